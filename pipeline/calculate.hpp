#pragma once
// The calculate stage: for each pending date, oldest first — resolve identities, allocate every
// billing line (allocation/), and replace that date's chargeback rows. Dates are written in
// batches, one transaction each (never half a date; a failed batch leaves all its dates
// pending). A line whose allocation fails counts an attempt; below the tenant's
// allocation_retry_limit the date stays pending (retried next run), at the limit the line gets
// one UNALLOCATED row with method ALLOCATION_FAILED so the date can complete.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "allocation/metric_row.hpp"
#include "allocation/metric_series.hpp"
#include "allocation/registry.hpp"
#include "common/status.hpp"
#include "common/stop_token.hpp"
#include "config/config.hpp"
#include "ecosystems/ecosystem.hpp"
#include "storage/database.hpp"

namespace chitragupt::pipeline {

// Fetches the usage metrics named by `metric_keys` for one resource over [start, end), as
// series (labels once per series, the shape a Prometheus range query returns). Returns an error
// when the source failed (lines then allocate with metrics_fetch_failed).
using MetricSeriesFetcher = ecosystems::MetricSeriesFetcher;
// The same as rows (labels on every sample). The stage groups them into series as they arrive:
// the same allocation, but a month of hourly rows costs far more to make and to move.
using MetricsFetcher = std::function<Result<std::vector<allocation::MetricRow>>(
    const std::vector<std::string>& metric_keys, const std::string& resource_id, std::int64_t start,
    std::int64_t end)>;

struct CalculateOptions {
  const allocation::Registry* registry = nullptr;
  allocation::AllocatorParams params;
  allocation::GranularityDurations granularity_durations;
  // The tenant's metrics source: metric_series if set, else metrics; both empty: none.
  MetricSeriesFetcher metric_series;
  MetricsFetcher metrics;
  std::int64_t run_id = 0;
  // metrics_prefetch_workers: the (resource, day) metric groups fetched at once, ahead of the
  // lines that need them. 1: one at a time, when first needed. The source must then be safe to
  // call from that many threads at once.
  int prefetch_workers = 1;
  StopToken stop;  // checked between dates
  // Called with each date before it is written (progress for the readiness document).
  std::function<void(const std::string& date)> on_date;
};

struct CalculateReport {
  int dates_calculated = 0;
  int dates_left_pending = 0;  // a line failed below the retry limit
  std::int64_t rows_written = 0;
  std::int64_t lines = 0;
  std::int64_t lines_failed_for_good = 0;  // ALLOCATION_FAILED rows written
  bool interrupted = false;
  std::vector<std::string> errors;  // per date, for the run's error message
  // Lines that no retry can allocate (an amount that is not a number): recorded with an
  // ALLOCATION_FAILED row, reported in the run's warnings.
  std::vector<std::string> warnings;
  // SQLite: the WAL syncs done beside the stage's work (one per committed batch at most; 0 on
  // PostgreSQL and in-memory databases).
  std::int64_t wal_syncs = 0;
  // Where the stage's wall time went on its writing thread: waiting for a date to be allocated
  // and prepared (on helper threads, beside the writes) and writing dates (commits included).
  // For benchmarks and the run's debug log.
  double allocation_wait_seconds = 0;
  double write_seconds = 0;
};

Result<CalculateReport> calculate_pending(storage::Database& db, const config::TenantConfig& tenant,
                                          const CalculateOptions& options);

// allocator_params of plugin_settings as the allocation engine takes them (decimal text).
allocation::AllocatorParams allocator_params_of(const nlohmann::json& plugin_settings);

}  // namespace chitragupt::pipeline
