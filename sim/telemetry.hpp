// Hour-by-hour usage of the simulated organisation, as the Confluent telemetry API reports it.
//
// Every value is a pure function of (seed, object, hour): nothing is stored per hour, so any
// range can be asked for, and the billing ledger adds up exactly the values the telemetry
// serves. An object has samples only for the hours it existed in (and, for principals, was
// active); inside those hours a value may well be 0.
//
// Metrics (labels):
//   confluent_kafka_server_request_bytes   (kafka_id, principal_id)  delta, bytes in
//   confluent_kafka_server_response_bytes  (kafka_id, principal_id)  delta, bytes out
//   confluent_kafka_server_received_bytes  (kafka_id, topic)         delta
//   confluent_kafka_server_sent_bytes      (kafka_id, topic)         delta
//   confluent_kafka_server_retained_bytes  (kafka_id, topic)         gauge
//   confluent_flink_num_cfu                (compute_pool_id, flink_statement_name)  gauge
//   confluent_flink_statement_utilization_cfu_minutes_consumed  (same labels)       delta
// A delta sample at t with step s covers [t, t+s) (hour values pro rata); a gauge sample at t is
// the value of the hour containing t.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/org_model.hpp"

namespace ccloud_sim {

using Labels = std::map<std::string, std::string>;

struct Sample {
  double time;  // epoch seconds
  int64_t value;
};

struct Series {
  Labels labels;
  std::vector<Sample> samples;
};

class Telemetry {
 public:
  explicit Telemetry(const OrgModel& model);

  static bool known_metric(const std::string& name);

  // Hour h covers [h·3600, h·3600 + 3600). nullopt: no sample for that hour.
  std::optional<int64_t> principal_bytes(size_t principal, int64_t hour, bool inbound) const;
  std::optional<int64_t> cluster_bytes(size_t cluster, int64_t hour, bool inbound) const;
  std::optional<int64_t> topic_retained(size_t cluster, size_t topic, int64_t hour) const;
  std::optional<int64_t> statement_cfu(size_t statement, int64_t hour) const;
  // The cluster's bytes of one hour split over its topics by weight (remainder to the first).
  std::vector<int64_t> topic_shares(size_t cluster, int64_t total) const;

  const std::vector<size_t>& principals_of(size_t cluster) const {
    return principals_by_cluster_[cluster];
  }
  const std::vector<size_t>& statements_of(size_t pool) const { return statements_by_pool_[pool]; }

  // Series of `metric` whose labels pass `keep`, sampled at start, start+step, … ≤ end.
  // Series without any sample are left out. Sorted by labels.
  std::vector<Series> select(const std::string& metric,
                             const std::function<bool(const Labels&)>& keep, double start,
                             double end, double step) const;

 private:
  bool cluster_alive(size_t cluster, int64_t hour) const;

  const OrgModel& model_;
  std::vector<std::vector<size_t>> principals_by_cluster_;
  std::vector<std::vector<size_t>> statements_by_pool_;
};

}  // namespace ccloud_sim
