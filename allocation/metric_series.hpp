#pragma once
// MetricSeries: the samples of one metric key that share one label set -- a Prometheus series,
// as the telemetry API returns it. A cluster-day of Kafka usage is thousands of principals times
// 24 hourly samples; kept as series, the labels exist once per principal instead of once per
// sample (MetricRow), which is what made fetching and indexing a month's metrics cost more than
// writing its chargeback rows.
//
// The rows of a series are its samples in order, each with the series' key and labels:
// to_rows() gives them, and everything derived from series (MetricsIndex) equals what the same
// rows would give.

#include <map>
#include <string>
#include <vector>

#include "allocation/metric_row.hpp"

namespace chitragupt::allocation {

struct MetricSample {
  EpochSeconds timestamp = 0;
  double value = 0;
};

struct MetricSeries {
  std::string metric_key;
  std::map<std::string, std::string> labels;
  std::vector<MetricSample> samples;
};

// The rows of `series`, series after series, samples in order.
std::vector<MetricRow> to_rows(const std::vector<MetricSeries>& series);

// Rows grouped into series: consecutive rows with the same key and labels form one series, so
// to_rows(to_series(rows)) == rows (same rows, same order).
std::vector<MetricSeries> to_series(std::vector<MetricRow>&& rows);

}  // namespace chitragupt::allocation
