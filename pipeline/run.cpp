#include "pipeline/run.hpp"

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

namespace {

ccloud::CivilDate utc_today() {
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  return ccloud::CivilDate::from_epoch_seconds(static_cast<int64_t>(now));
}

bool stop_requested(const std::atomic<bool>* stopping) { return stopping && stopping->load(); }

// Raises `stop` when the run passes its deadline or the process is stopping; the stages check
// it between their steps.
class RunDeadline {
 public:
  RunDeadline(int timeout_seconds, const std::atomic<bool>* stopping) {
    if (timeout_seconds <= 0 && stopping == nullptr) return;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
    watcher_ = std::thread([this, timeout_seconds, deadline, stopping] {
      std::unique_lock<std::mutex> lock(mu_);
      while (!done_) {
        if (stopping != nullptr && stopping->load()) {
          stop_.store(true);
          return;
        }
        if (timeout_seconds > 0 && std::chrono::steady_clock::now() >= deadline) {
          timed_out_.store(true);
          stop_.store(true);
          return;
        }
        wake_.wait_for(lock, std::chrono::milliseconds(50));
      }
    });
  }
  ~RunDeadline() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    wake_.notify_all();
    if (watcher_.joinable()) watcher_.join();
  }
  RunDeadline(const RunDeadline&) = delete;
  RunDeadline& operator=(const RunDeadline&) = delete;

  const std::atomic<bool>* stop() const { return &stop_; }
  bool timed_out() const { return timed_out_.load(); }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<bool> timed_out_{false};
  std::mutex mu_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread watcher_;
};

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
  RunDeadline deadline(tenant.tenant_execution_timeout_seconds, stopping);
  stopping = deadline.stop();
  const std::string interrupted_because =
      "Execution timed out after " + std::to_string(tenant.tenant_execution_timeout_seconds) +
      "s (tenant_execution_timeout_seconds); the run was interrupted";
  auto interrupted = [&] {
    return deadline.timed_out() ? interrupted_because : std::string("Interrupted by shutdown");
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
    if (stop_requested(stopping)) return finish("interrupted", interrupted());

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
    options.stopping = stopping;
    options.on_date = [&](const std::string& date) {
      if (auto s = runs.set_current_date(*id, date); !s) {
        spdlog::warn("tenant={} event=run_progress_not_recorded tracking_date={} error={}",
                     tenant.name, date, s.message());
      }
    };
    auto calculated = calculate_pending(db, tenant, options);
    if (!calculated) return finish("failed", "calculate: " + calculated.error());
    result.counts.dates_calculated = calculated->dates_calculated;
    result.counts.rows_written = calculated->rows_written;
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
    if (!settings->emitters.empty() && !stop_requested(stopping)) {
      if (auto s = runs.set_stage(*id, "emitting"); !s) return finish("failed", s.message());
      auto emitted = emitters::run_emitters({db, tenant.ecosystem, tenant.tenant_id, tenant.name},
                                            settings->emitters, utc_today().to_string());
      result.dates_emitted = emitted.dates_emitted;
      result.emit_warnings = std::move(emitted.warnings);
    }
    if (!stop_requested(stopping)) {
      auto emitted =
          topics::emit_topic_attribution({db, tenant.ecosystem, tenant.tenant_id, tenant.name},
                                         (*ecosystem)->topic_settings(), utc_today().to_string());
      result.dates_emitted += emitted.dates_emitted;
      for (auto& w : emitted.warnings) result.emit_warnings.push_back(std::move(w));
    }
  }
  if (stop_requested(stopping)) return finish("interrupted", interrupted());
  std::string warnings;
  for (const auto& w : result.warnings) warnings += (warnings.empty() ? "warnings: " : "; ") + w;
  return finish("completed", warnings);
}

}  // namespace chitragupt::pipeline
