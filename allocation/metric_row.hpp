#pragma once
// MetricRow: one sample of a usage metric (Prometheus-style). Values are measurements, not
// money, so they stay double; they only ever feed ratios.

#include <map>
#include <string>

#include "allocation/time_window.hpp"

namespace chitragupt::allocation {

struct MetricRow {
  EpochSeconds timestamp = 0;
  std::string metric_key;  // bytes_in, bytes_out, flink_cfu_primary, flink_cfu_fallback, ...
  double value = 0;
  std::map<std::string, std::string> labels;  // principal_id, kafka_id, compute_pool_id, ...
};

}  // namespace chitragupt::allocation
