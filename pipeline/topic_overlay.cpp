#include "pipeline/topic_overlay.hpp"

#include <chrono>
#include <ctime>

#include <spdlog/spdlog.h>

namespace chitragupt::pipeline {

namespace {
std::int64_t now_seconds() {
  return static_cast<std::int64_t>(
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()));
}
}  // namespace

std::vector<std::string> run_topic_discovery(storage::Database& db,
                                             const config::TenantConfig& tenant,
                                             const topics::TopicSettings& settings,
                                             const topics::TopicMetricsFetcher& fetcher,
                                             const std::string& start_date,
                                             const std::string& end_date) {
  if (!settings.enabled) return {};
  auto found = topics::discover_topics({db, tenant.ecosystem, tenant.tenant_id, tenant.name},
                                       settings, fetcher, now_seconds(), start_date, end_date);
  if (!found) {
    spdlog::warn("tenant={} event=topic_discovery_failed error={}", tenant.name, found.error());
    return {"topic discovery: " + found.error()};
  }
  spdlog::info("tenant={} event=topic_discovery_completed clusters={} topics={}", tenant.name,
               found->clusters, found->topics);
  return found->warnings;
}

std::vector<std::string> run_topic_attribution(storage::Database& db,
                                               const config::TenantConfig& tenant,
                                               const topics::TopicSettings& settings,
                                               const topics::TopicMetricsFetcher& fetcher,
                                               std::int64_t step_seconds, const StopToken& stop,
                                               topics::AttributionReport* report) {
  if (!settings.enabled) return {};
  const topics::OverlayTarget target{db, tenant.ecosystem, tenant.tenant_id, tenant.name};
  topics::AttributionOptions options;
  options.retry_limit = tenant.topic_attribution_retry_limit;
  options.step_seconds = step_seconds;
  // The stage checks a flag between dates: raised by the run's stop.
  std::atomic<bool> stopping{stop.stop_requested()};
  StopCallback relay(stop, [&stopping] { stopping.store(true); });
  options.stopping = &stopping;
  auto done = topics::attribute_pending(target, settings, fetcher, options);
  if (!done) return {"topic attribution: " + done.error()};
  spdlog::info(
      "tenant={} event=topic_attribution_completed dates={} pending={} rows={} lines={} "
      "seconds={:.3f}",
      tenant.name, done->dates_attributed, done->dates_pending, done->rows_written, done->lines,
      done->seconds);
  if (report) *report = *done;
  if (auto kept = topics::apply_topic_retention(target, settings, now_seconds()); !kept)
    return {"topic attribution retention: " + kept.error()};
  return {};
}

}  // namespace chitragupt::pipeline
