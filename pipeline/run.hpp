#pragma once
// One pipeline run of one tenant: gather -> calculate -> emit, recorded in pipeline_runs.
// The collector actor decides when to run; this decides what a run does.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/stop_token.hpp"
#include "config/config.hpp"
#include "ecosystems/ecosystem.hpp"
#include "pipeline/gather.hpp"
#include "storage/database.hpp"
#include "storage/pipeline_runs.hpp"
#include "topics/stage.hpp"

namespace chitragupt::pipeline {

struct RunResult {
  std::string status;  // completed|failed|interrupted
  std::string error;   // "" unless failed; never contains secrets
  storage::RunCounts counts;
  bool gather_failed = false;
  bool database_unavailable = false;  // the run could not even be recorded
  int dates_emitted = 0;
  // Emitter failures: logged, the dates retried next run; they never fail the run.
  std::vector<std::string> emit_warnings;
  // Billing lines that could not be allocated at all; a completed run records them in its
  // error_message as "warnings: ...".
  std::vector<std::string> warnings;
  topics::AttributionReport topic_attribution;  // the topic-attribution stage of this run
};

// The tenant's ecosystem (its clients, settings and rules), created on first use. It keeps its
// own copy of the tenant's settings: it lives from run to run (the collector's), while the
// settings a run is given may go with the run.
class SourceCache {
 public:
  explicit SourceCache(config::TenantConfig tenant) : tenant_(std::move(tenant)) {
    zero_gather.threshold = tenant_.zero_gather_deletion_threshold;
  }
  const config::TenantConfig& tenant() const { return tenant_; }
  Result<ecosystems::Ecosystem*> ecosystem();
  // The ecosystem's metrics source for metrics_prefetch_workers parallel fetches (created once);
  // an empty function when the tenant has none.
  Result<ecosystems::MetricSeriesFetcher> metrics();
  // The stop every client obeys from now on (each run binds its own: the process's stop, the
  // tenant's and the run's deadline); a metrics source made for an earlier stop is dropped.
  void set_stop(const StopToken& stop);

  // What the tenant's runs carry from one to the next (the original keeps them in its
  // orchestrator): the empty-listing counts of zero_gather_deletion_threshold, and when the last
  // gather ran, for min_refresh_gap_seconds.
  ZeroGatherGuard zero_gather;
  std::optional<std::chrono::steady_clock::time_point> last_gather;

 private:
  const config::TenantConfig tenant_;
  std::unique_ptr<ecosystems::Ecosystem> ecosystem_;
  std::optional<ecosystems::MetricSeriesFetcher> metrics_;
  StopToken stop_;
};

// Runs every stage the tenant's ecosystem supports. `trigger` is periodic|run_once|manual.
// The gather is skipped when the last one of this SourceCache ran less than
// min_refresh_gap_seconds ago. A run past tenant_execution_timeout_seconds (0: none) or whose
// `stop` is requested is interrupted at once: an upstream request in flight or a backoff wait
// ends, a date being written commits whole or not at all, and the run is recorded
// `interrupted` saying why.
RunResult run_pipeline(storage::Database& db, const config::TenantConfig& tenant,
                       SourceCache& sources, const std::string& trigger, const StopToken& stop);

// Why a stop was requested (StopSource reasons): the process is stopping, or the tenant's actor
// ended (removed or changed by a reload, failed).
inline constexpr const char* kStopShutdown = "shutdown";
inline constexpr const char* kStopTenant = "tenant stopped";

}  // namespace chitragupt::pipeline
