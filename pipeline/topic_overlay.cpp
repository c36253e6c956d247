#include "pipeline/topic_overlay.hpp"

#include <chrono>
#include <ctime>

#include <spdlog/spdlog.h>

namespace chitragupt::pipeline {

topics::TopicSettings topic_settings_of(const ccloud::CcloudSettings& settings) {
  // Validated when the config was loaded; a block that fails here counts as disabled.
  auto parsed =
      topics::parse_topic_settings(settings.topic_attribution, settings.metrics.has_value());
  if (!parsed.errors.empty()) return {};
  return parsed.settings;
}

topics::TopicMetricsFetcher topic_fetcher(ccloud::TelemetryClient* telemetry) {
  return
      [telemetry](const std::string& metric, const std::string& cluster, std::int64_t start,
                  std::int64_t end, std::int64_t step) -> Result<std::vector<topics::TopicSeries>> {
        if (telemetry == nullptr) return Status::error("no metrics source");
        const ccloud::MetricQuery query{metric,
                                        "sum by (kafka_id, topic) (" + metric + "{})",
                                        {"kafka_id", "topic"},
                                        "kafka_id",
                                        ccloud::QueryMode::range};
        auto fetched = telemetry->query_range_series(query, cluster, start, end, step);
        if (!fetched) return fetched.status();
        std::vector<topics::TopicSeries> out;
        out.reserve(fetched->size());
        for (const auto& s : *fetched) {
          topics::TopicSeries& one = out.emplace_back();
          if (auto t = s.labels.find("topic"); t != s.labels.end()) one.topic = t->second;
          one.values.reserve(s.samples.size());
          for (const auto& sample : s.samples) one.values.push_back(sample.value);
        }
        return out;
      };
}

namespace {
std::int64_t now_seconds() {
  return static_cast<std::int64_t>(
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()));
}
}  // namespace

std::vector<std::string> run_topic_discovery(storage::Database& db,
                                             const config::TenantConfig& tenant,
                                             const topics::TopicSettings& settings,
                                             ccloud::TelemetryClient* telemetry,
                                             const std::string& start_date,
                                             const std::string& end_date) {
  if (!settings.enabled) return {};
  auto found =
      topics::discover_topics({db, tenant.ecosystem, tenant.tenant_id, tenant.name}, settings,
                              topic_fetcher(telemetry), now_seconds(), start_date, end_date);
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
                                               ccloud::TelemetryClient* telemetry,
                                               std::int64_t step_seconds,
                                               const std::atomic<bool>* stopping,
                                               topics::AttributionReport* report) {
  if (!settings.enabled) return {};
  const topics::OverlayTarget target{db, tenant.ecosystem, tenant.tenant_id, tenant.name};
  topics::AttributionOptions options;
  options.retry_limit = tenant.topic_attribution_retry_limit;
  options.step_seconds = step_seconds;
  options.stopping = stopping;
  auto done = topics::attribute_pending(target, settings, topic_fetcher(telemetry), options);
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
