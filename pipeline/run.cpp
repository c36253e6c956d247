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

namespace chitragupt::pipeline {

Result<const ccloud::CcloudSettings*> SourceCache::settings() {
  if (settings_) return &*settings_;
  auto parsed = ccloud::parse_ccloud_settings(tenant_.plugin_settings);
  if (!parsed.ok()) {
    // Validated at load time already; this only guards a caller that skipped validation.
    const auto& e = parsed.errors.front();
    return Status::error("plugin_settings." + e.path + ": " + e.message);
  }
  settings_ = std::move(*parsed.settings);
  return &*settings_;
}

Result<ccloud::CcloudApi*> SourceCache::ccloud_api() {
  if (api_) return api_.get();
  auto s = settings();
  if (!s) return s.status();
  auto api = ccloud::CcloudApi::create(**s);
  if (!api) return api.status();
  api_ = std::move(*api);
  api_->set_stop(stop_);
  return api_.get();
}

Result<ccloud::TelemetryClient*> SourceCache::telemetry() {
  if (telemetry_) return telemetry_.get();
  auto s = settings();
  if (!s) return s.status();
  if (!(*s)->metrics) return static_cast<ccloud::TelemetryClient*>(nullptr);
  auto client = ccloud::TelemetryClient::create(*(*s)->metrics);
  if (!client) return client.status();
  telemetry_ = std::move(*client);
  telemetry_->set_stop(stop_);
  return telemetry_.get();
}

Result<std::vector<ccloud::TelemetryClient*>> SourceCache::telemetry_pool() {
  std::vector<ccloud::TelemetryClient*> out;
  auto first = telemetry();
  if (!first) return first.status();
  if (*first == nullptr) return out;
  out.push_back(*first);
  auto s = settings();
  while (telemetry_pool_.size() + 1 < static_cast<std::size_t>(tenant_.metrics_prefetch_workers)) {
    auto client = ccloud::TelemetryClient::create(*(*s)->metrics);
    if (!client) return client.status();
    (*client)->set_stop(stop_);
    telemetry_pool_.push_back(std::move(*client));
  }
  for (auto& c : telemetry_pool_) out.push_back(c.get());
  return out;
}

void SourceCache::set_stop(const StopToken& stop) {
  stop_ = stop;
  if (api_) api_->set_stop(stop);
  if (telemetry_) telemetry_->set_stop(stop);
  for (auto& client : telemetry_pool_) client->set_stop(stop);
}

namespace {

ccloud::CivilDate utc_today() {
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  return ccloud::CivilDate::from_epoch_seconds(static_cast<int64_t>(now));
}

const ccloud::MetricQuery* metric_query(const std::string& key) {
  namespace q = ccloud::metric_queries;
  for (const auto* query :
       {&q::kBytesIn, &q::kBytesOut, &q::kFlinkCfuPrimary, &q::kFlinkCfuFallback}) {
    if (query->key == key) return query;
  }
  return nullptr;
}

// The clients of a metrics source shared by parallel fetches: each call borrows a free one.
class ClientPool {
 public:
  explicit ClientPool(std::vector<ccloud::TelemetryClient*> clients) : free_(std::move(clients)) {}
  template <typename F>
  auto with_client(F f) {
    ccloud::TelemetryClient* client = nullptr;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ready_.wait(lock, [this] { return !free_.empty(); });
      client = free_.back();
      free_.pop_back();
    }
    auto result = f(*client);
    {
      std::lock_guard<std::mutex> lock(mu_);
      free_.push_back(client);
    }
    ready_.notify_one();
    return result;
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_;
  std::vector<ccloud::TelemetryClient*> free_;
};

// Usage metrics for the calculate stage, from the tenant's Prometheus-compatible source, as
// series (labels once per principal, not once per hourly sample). Safe to call from as many
// threads as the pool has clients (more wait for one).
MetricSeriesFetcher telemetry_fetcher(std::vector<ccloud::TelemetryClient*> clients,
                                      std::int64_t step_seconds) {
  if (clients.empty()) return {};
  auto pool = std::make_shared<ClientPool>(std::move(clients));
  return [pool, step_seconds](const std::vector<std::string>& keys, const std::string& resource_id,
                              std::int64_t start,
                              std::int64_t end) -> Result<std::vector<allocation::MetricSeries>> {
    std::vector<allocation::MetricSeries> series;
    for (const auto& key : keys) {
      const auto* query = metric_query(key);
      if (!query) continue;
      // The range is inclusive at both ends; the last sample belongs to the next window.
      auto fetched = pool->with_client([&](ccloud::TelemetryClient& telemetry) {
        return telemetry.query_range_series(*query, resource_id, start, end - step_seconds,
                                            step_seconds);
      });
      if (!fetched) return fetched.status();
      for (auto& one : *fetched) {
        allocation::MetricSeries& out = series.emplace_back();
        out.metric_key = std::move(one.metric_key);
        out.labels = std::move(one.labels);
        out.samples.reserve(one.samples.size());
        for (const auto& sample : one.samples)
          out.samples.push_back({sample.timestamp, sample.value});
      }
    }
    return series;
  };
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

  if (tenant.ecosystem == "confluent_cloud") {
    if (auto s = runs.set_stage(*id, "gathering"); !s) return finish("failed", s.message());
    auto api = sources.ccloud_api();
    if (!api) {
      result.gather_failed = true;
      return finish("failed", "gather: " + api.error());
    }
    auto settings = sources.settings();
    if (!settings) return finish("failed", settings.error());
    std::vector<std::string> problems;
    // min_refresh_gap_seconds: a gather this soon after the last one is skipped (the run
    // still calculates and emits what is pending), as in the original.
    const auto gap = std::chrono::seconds((*settings)->min_refresh_gap_seconds);
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
      auto gathered = gather_ccloud(**api, target, window, &sources.zero_gather);
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
    }
    if (stopping.stop_requested()) return finish("interrupted", interrupted());

    if (auto s = runs.set_stage(*id, "calculating"); !s) return finish("failed", s.message());
    auto telemetry = sources.telemetry_pool();
    if (!telemetry) return finish("failed", "metrics: " + telemetry.error());
    auto registry = allocation::Registry::confluent_cloud().with_allocator_overrides(
        (*settings)->allocator_overrides);
    if (!registry) return finish("failed", "allocator_overrides: " + registry.error());
    CalculateOptions options;
    options.registry = &*registry;
    options.params = allocator_params_of(tenant.plugin_settings);
    options.granularity_durations = (*settings)->granularity_durations;
    options.metric_series = telemetry_fetcher(*telemetry, (*settings)->metrics_step_seconds);
    options.prefetch_workers = tenant.metrics_prefetch_workers;
    options.run_id = *id;
    options.stop = stopping;
    auto calculated = calculate_pending(db, tenant, options);
    if (!calculated) {
      if (stopping.stop_requested()) return finish("interrupted", interrupted());
      return finish("failed", "calculate: " + calculated.error());
    }
    result.counts.dates_calculated = calculated->dates_calculated;
    result.counts.rows_written = calculated->rows_written;
    for (const auto& e : calculated->errors) problems.push_back("calculate: " + e);
    result.warnings = calculated->warnings;
    if (calculated->interrupted) return finish("interrupted", interrupted());
    if (!problems.empty()) {
      std::string joined;
      for (const auto& p : problems) joined += (joined.empty() ? "" : "; ") + p;
      return finish("failed", joined);
    }
    // Emit only after a successful run, as the original.
    if (!(*settings)->emitters.empty() && !stopping.stop_requested()) {
      if (auto s = runs.set_stage(*id, "emitting"); !s) return finish("failed", s.message());
      auto emitted = emitters::run_emitters({db, tenant.ecosystem, tenant.tenant_id, tenant.name},
                                            (*settings)->emitters, utc_today().to_string());
      result.dates_emitted = emitted.dates_emitted;
      result.emit_warnings = std::move(emitted.warnings);
    }
  }
  // Other ecosystems (self-managed Kafka, generic metrics) have no gather stage yet.
  if (stopping.stop_requested()) return finish("interrupted", interrupted());
  std::string warnings;
  for (const auto& w : result.warnings) warnings += (warnings.empty() ? "warnings: " : "; ") + w;
  return finish("completed", warnings);
}

}  // namespace chitragupt::pipeline
