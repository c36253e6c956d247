#pragma once
// kafka-metrics-gen: N days of a described self-managed Kafka cluster's broker metrics, as the
// JMX exporter names them (kafka_server_brokertopicmetrics_bytesin_total / _bytesout_total per
// broker, topic and principal; kafka_log_log_size per broker, topic and partition), in
// OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`, and the truth: per UTC
// day the cluster totals and each principal's bytes, as the engine's queries must see them.
//
// Shaped so a real Prometheus answers exactly: samples every 30 minutes on the clock, counters
// linear within each hour and far from zero (so increase() over an hour, with or without
// extrapolation, is the hour's exact integer increment), log sizes constant within a UTC day
// (so the day's mean is exact). Deterministic from the seed.

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace chitragupt::sim::kafka_metrics {

struct ClusterShape {
  int days = 3;
  int brokers = 3;
  int principals = 5;
  int topics = 4;
  int partitions = 2;  // per topic
  std::uint64_t seed = 1;
  std::int64_t end = 0;  // epoch seconds, floored to 30 minutes: the last sample
};

struct PrincipalBytes {
  std::int64_t in = 0;
  std::int64_t out = 0;
};

struct DayTruth {
  std::string date;           // YYYY-MM-DD
  std::int64_t bytes_in = 0;  // Σ of the day's 24 hourly increases over every series
  std::int64_t bytes_out = 0;
  std::int64_t storage_bytes = 0;  // Σ kafka_log_log_size (the same at each of the 24 hours)
  std::map<std::string, PrincipalBytes> principals;
};

struct Truth {
  // The brokers and topics the byte counters name (every one a principal sends through): what
  // discovery from Prometheus must find. kafka_log_log_size covers every broker and topic.
  std::vector<std::string> brokers;
  std::vector<std::string> topics;
  std::vector<std::string> principals;
  std::vector<DayTruth> days;  // every whole UTC day of the data, oldest first
};

// Writes the OpenMetrics text (ending "# EOF") and returns the truth.
Truth generate(const ClusterShape& shape, std::ostream& openmetrics);

// The truth as JSON text.
std::string truth_json(const Truth& truth);

}  // namespace chitragupt::sim::kafka_metrics
