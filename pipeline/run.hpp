#pragma once
// One pipeline run of one tenant: gather -> calculate -> emit, recorded in pipeline_runs.
// The collector actor decides when to run; this decides what a run does.

#include <atomic>
#include <memory>
#include <string>

#include "ccloud/api.hpp"
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
};

// The Confluent Cloud client of a tenant, created from its plugin_settings on first use.
class SourceCache {
 public:
  explicit SourceCache(const config::TenantConfig& tenant) : tenant_(tenant) {}
  Result<ccloud::CcloudApi*> ccloud_api();

 private:
  const config::TenantConfig& tenant_;
  std::unique_ptr<ccloud::CcloudApi> api_;
};

// Runs every stage the tenant's ecosystem supports. `trigger` is periodic|run_once|manual.
RunResult run_pipeline(storage::Database& db, const config::TenantConfig& tenant,
                       SourceCache& sources, const std::string& trigger,
                       const std::atomic<bool>* stopping);

}  // namespace chitragupt::pipeline
