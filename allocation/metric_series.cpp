#include "allocation/metric_series.hpp"

#include <utility>

namespace chitragupt::allocation {

std::vector<MetricRow> to_rows(const std::vector<MetricSeries>& series) {
  std::size_t count = 0;
  for (const MetricSeries& s : series) count += s.samples.size();
  std::vector<MetricRow> rows;
  rows.reserve(count);
  for (const MetricSeries& s : series) {
    for (const MetricSample& sample : s.samples) {
      rows.push_back({sample.timestamp, s.metric_key, sample.value, s.labels});
    }
  }
  return rows;
}

std::vector<MetricSeries> to_series(std::vector<MetricRow>&& rows) {
  std::vector<MetricSeries> out;
  for (MetricRow& row : rows) {
    if (out.empty() || out.back().metric_key != row.metric_key || out.back().labels != row.labels) {
      out.emplace_back();
      out.back().metric_key = std::move(row.metric_key);
      out.back().labels = std::move(row.labels);
    }
    out.back().samples.push_back({row.timestamp, row.value});
  }
  rows.clear();
  return out;
}

}  // namespace chitragupt::allocation
