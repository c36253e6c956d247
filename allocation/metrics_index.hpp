#pragma once
// MetricsIndex: the metric rows of one (resource, window) group regrouped per principal, so the
// lines of the group read them without each scanning every row again (a Kafka cluster-day holds
// hourly rows for thousands of principals). It keeps what identity resolution and the
// usage-ratio tiers take from the rows: the distinct principals, and per principal and metric
// key the usable values (positive, finite) in the rows' order.
//
// It copies what it keeps, so the rows may go once it is built; LineInputs and
// AllocationContext take it alongside the rows it was built from.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "allocation/metric_row.hpp"
#include "allocation/metric_series.hpp"

namespace chitragupt::allocation {

class MetricsIndex {
 public:
  explicit MetricsIndex(const std::vector<MetricRow>& rows);
  // The index of to_rows(series), made without the rows: a series' labels are read once.
  explicit MetricsIndex(const std::vector<MetricSeries>& series);
  // The index of the parts' rows concatenated, made from their indexes (the rows are not read
  // again): a line that needs several fetched metrics gets their indexes merged.
  explicit MetricsIndex(const std::vector<const MetricsIndex*>& parts);

  // A principal's values for one metric key, in the rows' order.
  struct Values {
    const double* first = nullptr;
    const double* last = nullptr;
    const double* begin() const { return first; }
    const double* end() const { return last; }
    bool empty() const { return first == last; }
  };

  // Every non-empty labels.principal_id of any row (whatever its key and value), ascending,
  // each once.
  const std::vector<std::string>& principals() const { return principals_; }
  // The metric key's position among the keys seen, for values(); nullopt if no row has it.
  std::optional<std::size_t> key(std::string_view metric_key) const;
  // The values > 0 and finite of principals()[principal] for the key, in the rows' order (for
  // the merged index: each part's in turn).
  Values values(std::size_t principal, std::size_t key) const;

 private:
  template <typename Unit>  // MetricRow or MetricSeries
  void build(const std::vector<Unit>& units);

  std::vector<std::string> principals_;
  std::vector<std::string> keys_;
  // runs_[principal * keys_.size() + key]: [offset, offset + size) in values_.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> runs_;
  std::vector<double> values_;
};

}  // namespace chitragupt::allocation
