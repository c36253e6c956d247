#include "pipeline/run.hpp"

#include <chrono>
#include <ctime>

#include <spdlog/spdlog.h>

#include "pipeline/gather.hpp"

namespace chitragupt::pipeline {

Result<ccloud::CcloudApi*> SourceCache::ccloud_api() {
  if (api_) return api_.get();
  auto parsed = ccloud::parse_ccloud_settings(tenant_.plugin_settings);
  if (!parsed.ok()) {
    // Validated at load time already; this only guards a caller that skipped validation.
    const auto& e = parsed.errors.front();
    return Status::error("plugin_settings." + e.path + ": " + e.message);
  }
  auto api = ccloud::CcloudApi::create(*parsed.settings);
  if (!api) return api.status();
  api_ = std::move(*api);
  return api_.get();
}

namespace {

ccloud::CivilDate utc_today() {
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  return ccloud::CivilDate::from_epoch_seconds(static_cast<int64_t>(now));
}

bool stop_requested(const std::atomic<bool>* stopping) { return stopping && stopping->load(); }

}  // namespace

RunResult run_pipeline(storage::Database& db, const config::TenantConfig& tenant,
                       SourceCache& sources, const std::string& trigger,
                       const std::atomic<bool>* stopping) {
  RunResult result;
  storage::PipelineRunStore runs(db);
  auto id = runs.start(tenant.name, trigger);
  if (!id) {
    result.status = "failed";
    result.error = id.error();
    result.database_unavailable = true;
    return result;
  }
  spdlog::info("tenant={} event=pipeline_run_started run_id={} trigger={}", tenant.name, *id,
               trigger);
  auto finish = [&](const std::string& status, const std::string& error) {
    result.status = status;
    result.error = error;
    if (auto s = runs.finish(*id, status, result.counts, error); !s) {
      result.status = "failed";
      result.error = s.message();
      result.database_unavailable = true;
    }
    spdlog::log(result.status == "failed" ? spdlog::level::err : spdlog::level::info,
                "tenant={} event=pipeline_run_{} run_id={} dates_gathered={} "
                "dates_calculated={} rows={}{}{}",
                tenant.name, result.status, *id, result.counts.dates_gathered,
                result.counts.dates_calculated, result.counts.rows_written,
                result.error.empty() ? "" : " error=", result.error);
    return result;
  };

  if (tenant.ecosystem == "confluent_cloud") {
    if (auto s = runs.set_stage(*id, "gathering"); !s) return finish("failed", s.message());
    auto api = sources.ccloud_api();
    if (!api) {
      result.gather_failed = true;
      return finish("failed", "gather: " + api.error());
    }
    auto window = gather_window(utc_today(), tenant.lookback_days, tenant.cutoff_days);
    GatherTarget target{db, tenant.ecosystem, tenant.tenant_id, tenant.name};
    auto gathered = gather_ccloud(**api, target, window);
    if (!gathered) {
      result.gather_failed = true;
      return finish("failed", "gather: " + gathered.error());
    }
    result.counts.dates_gathered = gathered->dates_gathered;
    spdlog::info(
        "tenant={} event=gather_completed resources={} identities={} deleted={} billing_lines={} "
        "inserted={} revised={} dates={} requeued={}",
        tenant.name, gathered->resources, gathered->identities,
        gathered->resources_deleted + gathered->identities_deleted, gathered->billing_lines,
        gathered->billing_inserted, gathered->billing_revised, gathered->dates_gathered,
        gathered->dates_requeued);
    if (!gathered->warnings.empty()) {
      std::string joined;
      for (const auto& w : gathered->warnings) joined += (joined.empty() ? "" : "; ") + w;
      return finish("failed", "gather partly failed: " + joined);
    }
  }
  // Other ecosystems (self-managed Kafka, generic metrics) have no gather stage yet.
  if (stop_requested(stopping)) return finish("interrupted", "Interrupted by shutdown");
  return finish("completed", "");
}

}  // namespace chitragupt::pipeline
