#pragma once
// A self-managed Kafka cluster as an ecosystem (reference §4): its brokers, topics and
// principals discovered from Prometheus (JMX-exporter metrics) or the Kafka Admin API, daily
// cost lines synthesised from rates x measured usage, and those lines split across principals
// by the bytes they moved.

#include <string>
#include <vector>

#include "allocation/registry.hpp"
#include "ecosystems/ecosystem.hpp"
#include "ecosystems/prometheus_metrics.hpp"
#include "ecosystems/self_managed_kafka/settings.hpp"

namespace chitragupt::ecosystems::self_managed_kafka {

inline constexpr const char* kCompute = "SELF_KAFKA_COMPUTE";
inline constexpr const char* kStorage = "SELF_KAFKA_STORAGE";
inline constexpr const char* kIngress = "SELF_KAFKA_NETWORK_INGRESS";
inline constexpr const char* kEgress = "SELF_KAFKA_NETWORK_EGRESS";

// Discovery (§4.3): every (broker, topic, principal) of a byte-in series with a sample in the
// last `window_hours`, as one instant query at "now". The original asked a range query over
// the window at its step, which sees only the series present at each step's instant (with
// Prometheus' 5-minute lookback): a principal active between two steps, or metrics scraped
// less often than every 5 minutes, went unseen.
ccloud::MetricQuery discovery_query(int64_t window_hours);

// The per-principal usage queries of the allocation (label `principal`).
QueryCatalogue allocation_queries(int64_t step_seconds);

// The cost model: the four product types, their chains (§4.5), principals (and static
// identities) as the identities.
allocation::Registry cost_model(const Settings& settings);

// One day's cluster-wide samples (hourly at the default step) and the four lines they price
// (§4.4): compute = broker_count x hours, storage = mean bytes / 2^30 x hours, ingress and
// egress = summed bytes / 2^30; each total = quantity x the region's rate.
struct DaySamples {
  std::vector<double> bytes_in;
  std::vector<double> bytes_out;
  std::vector<double> storage_bytes;
};
std::vector<storage::BillingRecord> day_lines(const Settings& settings,
                                              const ccloud::CivilDate& day, int hours,
                                              const DaySamples& samples);

EcosystemKind ecosystem_kind();

}  // namespace chitragupt::ecosystems::self_managed_kafka
