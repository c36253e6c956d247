#pragma once
// One pipeline run of one tenant: gather -> calculate -> emit, recorded in pipeline_runs.
// The collector actor decides when to run; this decides what a run does.

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ccloud/api.hpp"
#include "ccloud/telemetry.hpp"
#include "config/config.hpp"
#include "storage/database.hpp"
#include "storage/pipeline_runs.hpp"

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
};

// The Confluent Cloud clients of a tenant, created from its plugin_settings on first use.
class SourceCache {
 public:
  explicit SourceCache(const config::TenantConfig& tenant) : tenant_(tenant) {}
  Result<const ccloud::CcloudSettings*> settings();
  Result<ccloud::CcloudApi*> ccloud_api();
  // Null (and ok) when the tenant has no metrics source.
  Result<ccloud::TelemetryClient*> telemetry();

 private:
  const config::TenantConfig& tenant_;
  std::optional<ccloud::CcloudSettings> settings_;
  std::unique_ptr<ccloud::CcloudApi> api_;
  std::unique_ptr<ccloud::TelemetryClient> telemetry_;
};

// Runs every stage the tenant's ecosystem supports. `trigger` is periodic|run_once|manual.
RunResult run_pipeline(storage::Database& db, const config::TenantConfig& tenant,
                       SourceCache& sources, const std::string& trigger,
                       const std::atomic<bool>* stopping);

}  // namespace chitragupt::pipeline
