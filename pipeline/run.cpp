#include "pipeline/run.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <memory>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "emitters/emission_runner.hpp"
#include "pipeline/calculate.hpp"
#include "pipeline/gather.hpp"
#include "pipeline/topic_overlay.hpp"
#include "topics/emit.hpp"

namespace chitragupt::pipeline {

Result<ecosystems::Ecosystem*> SourceCache::ecosystem() {
  if (ecosystem_) return ecosystem_.get();
  auto created = ecosystems::create(tenant_);
  if (!created) return created.status();
  ecosystem_ = std::move(*created);
  ecosystem_->set_stop(stop_);
  return ecosystem_.get();
}

Result<ecosystems::MetricSeriesFetcher> SourceCache::metrics() {
  if (metrics_) return *metrics_;
  auto eco = ecosystem();
  if (!eco) return eco.status();
  auto fetcher = (*eco)->metrics(tenant_.metrics_prefetch_workers);
  if (!fetcher) return fetcher.status();
  metrics_ = std::move(*fetcher);
  return *metrics_;
}

void SourceCache::set_stop(const StopToken& stop) {
  stop_ = stop;
  if (ecosystem_) ecosystem_->set_stop(stop);
  // A parallel metrics source holds clients made for the earlier stop: made again when asked.
  metrics_.reset();
}

namespace {

ccloud::CivilDate utc_today() {
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  return ccloud::CivilDate::from_epoch_seconds(static_cast<int64_t>(now));
}

// The stop of one run: requested when the process or the tenant stops (the parent token), or
// when the run passes tenant_execution_timeout_seconds. Ends with the run.
class RunStop {
 public:
  RunStop(int timeout_seconds, const StopToken& parent) : source_(parent) {
    if (timeout_seconds <= 0) return;
    timer_ = std::thread([this, timeout_seconds] {
      if (!source_.token().wait_for(std::chrono::seconds(timeout_seconds))) {
        timed_out_.store(true);
        source_.request_stop("tenant_execution_timeout_seconds");
      }
    });
  }
  ~RunStop() {
    source_.request_stop("run ended");  // wakes the timer
    if (timer_.joinable()) timer_.join();
  }
  RunStop(const RunStop&) = delete;
  RunStop& operator=(const RunStop&) = delete;

  StopToken token() const { return source_.token(); }
  bool timed_out() const { return timed_out_.load(); }

 private:
  StopSource source_;
  std::atomic<bool> timed_out_{false};
  std::thread timer_;
};

}  // namespace

RunResult run_pipeline(storage::Database& db, const config::TenantConfig& tenant,
                       SourceCache& sources, const std::string& trigger, const StopToken& stop) {
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
  RunStop run_stop(tenant.tenant_execution_timeout_seconds, stop);
  const StopToken stopping = run_stop.token();
  sources.set_stop(stopping);
  auto interrupted = [&] {
    if (run_stop.timed_out()) {
      return "Execution timed out after " +
             std::to_string(tenant.tenant_execution_timeout_seconds) +
             "s (tenant_execution_timeout_seconds); the run was interrupted";
    }
    const std::string why = stopping.reason();
    return why == kStopShutdown ? std::string("Interrupted by shutdown") : "Interrupted: " + why;
  };
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

  {
    if (auto s = runs.set_stage(*id, "gathering"); !s) return finish("failed", s.message());
    auto ecosystem = sources.ecosystem();
    if (!ecosystem) {
      result.gather_failed = true;
      return finish("failed", "gather: " + ecosystem.error());
    }
    const ecosystems::CommonSettings* settings = &(*ecosystem)->common();
    std::vector<std::string> problems;
    // min_refresh_gap_seconds: a gather this soon after the last one is skipped (the run
    // still calculates and emits what is pending), as in the original.
    const auto gap = std::chrono::seconds(settings->min_refresh_gap_seconds);
    const auto now = std::chrono::steady_clock::now();
    if (sources.last_gather && now - *sources.last_gather < gap) {
      spdlog::info(
          "tenant={} event=gather_skipped reason=min_refresh_gap_seconds gap_s={} "
          "since_last_s={}",
          tenant.name, gap.count(),
          std::chrono::duration_cast<std::chrono::seconds>(now - *sources.last_gather).count());
    } else {
      auto window = gather_window(utc_today(), tenant.lookback_days, tenant.cutoff_days);
      GatherTarget target{db, tenant.ecosystem, tenant.tenant_id, tenant.name};
      auto gathered = gather_ecosystem(**ecosystem, target, window, &sources.zero_gather);
      if (!gathered) {
        // Cut short by the stop: nothing of this gather was committed, and it did not fail.
        if (stopping.stop_requested()) return finish("interrupted", interrupted());
        result.gather_failed = true;
        return finish("failed", "gather: " + gathered.error());
      }
      sources.last_gather = now;
      result.counts.dates_gathered = gathered->dates_gathered;
      spdlog::info(
          "tenant={} event=gather_completed resources={} identities={} deleted={} "
          "billing_lines={} inserted={} revised={} dates={} requeued={}",
          tenant.name, gathered->resources, gathered->identities,
          gathered->resources_deleted + gathered->identities_deleted, gathered->billing_lines,
          gathered->billing_inserted, gathered->billing_revised, gathered->dates_gathered,
          gathered->dates_requeued);
      for (const auto& w : gathered->warnings) problems.push_back("gather: " + w);
      // Topic discovery (topics/stage.hpp): its failures leave the overlay for the next gather.
      if (gathered->dates_gathered > 0) {
        for (const auto& w : run_topic_discovery(
                 db, tenant, (*ecosystem)->topic_settings(), (*ecosystem)->topic_metrics(),
                 window.start.to_string(), window.end.to_string())) {
          spdlog::warn("tenant={} event=topic_discovery_warning {}", tenant.name, w);
        }
      }
    }
    if (stopping.stop_requested()) return finish("interrupted", interrupted());

    if (auto s = runs.set_stage(*id, "calculating"); !s) return finish("failed", s.message());
    auto metrics = sources.metrics();
    if (!metrics) return finish("failed", "metrics: " + metrics.error());
    CalculateOptions options;
    options.registry = &(*ecosystem)->registry();
    options.params = allocator_params_of(tenant.plugin_settings);
    options.granularity_durations = settings->granularity_durations;
    options.metric_series = *metrics;
    options.prefetch_workers = tenant.metrics_prefetch_workers;
    options.run_id = *id;
    options.stop = stopping;
    options.on_date = [&](const std::string& date) {
      if (auto s = runs.set_current_date(*id, date); !s) {
        spdlog::warn("tenant={} event=run_progress_not_recorded tracking_date={} error={}",
                     tenant.name, date, s.message());
      }
    };
    auto calculated = calculate_pending(db, tenant, options);
    if (!calculated) {
      if (stopping.stop_requested()) return finish("interrupted", interrupted());
      return finish("failed", "calculate: " + calculated.error());
    }
    result.counts.dates_calculated = calculated->dates_calculated;
    result.counts.rows_written = calculated->rows_written;
    spdlog::debug(
        "tenant={} event=calculate_timing dates={} rows={} allocation_wait_s={:.3f} "
        "write_s={:.3f}",
        tenant.name, calculated->dates_calculated, calculated->rows_written,
        calculated->allocation_wait_seconds, calculated->write_seconds);
    for (const auto& e : calculated->errors) problems.push_back("calculate: " + e);
    result.warnings = calculated->warnings;
    if (calculated->interrupted) return finish("interrupted", interrupted());
    for (auto& e : run_topic_attribution(
             db, tenant, (*ecosystem)->topic_settings(), (*ecosystem)->topic_metrics(),
             settings->metrics_step_seconds, stopping, &result.topic_attribution)) {
      problems.push_back(std::move(e));
    }
    if (!problems.empty()) {
      std::string joined;
      for (const auto& p : problems) joined += (joined.empty() ? "" : "; ") + p;
      return finish("failed", joined);
    }
    // Emit only after a successful run, as the original.
    if (!settings->emitters.empty() && !stopping.stop_requested()) {
      if (auto s = runs.set_stage(*id, "emitting"); !s) return finish("failed", s.message());
      auto emitted = emitters::run_emitters({db, tenant.ecosystem, tenant.tenant_id, tenant.name},
                                            settings->emitters, utc_today().to_string());
      result.dates_emitted = emitted.dates_emitted;
      result.emit_warnings = std::move(emitted.warnings);
    }
    if (!stopping.stop_requested()) {
      auto emitted =
          topics::emit_topic_attribution({db, tenant.ecosystem, tenant.tenant_id, tenant.name},
                                         (*ecosystem)->topic_settings(), utc_today().to_string());
      result.dates_emitted += emitted.dates_emitted;
      for (auto& w : emitted.warnings) result.emit_warnings.push_back(std::move(w));
    }
  }
  if (stopping.stop_requested()) return finish("interrupted", interrupted());
  std::string warnings;
  for (const auto& w : result.warnings) warnings += (warnings.empty() ? "warnings: " : "; ") + w;
  return finish("completed", warnings);
}

}  // namespace chitragupt::pipeline
