#include "topics/stage.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "storage/billing_store.hpp"
#include "storage/chargeback_store.hpp"
#include "storage/inventory_store.hpp"
#include "storage/utc_time.hpp"
#include "topics/attribution.hpp"
#include "topics/store.hpp"

namespace chitragupt::topics {
namespace {

using allocation::Money;

const std::vector<std::string>& metric_keys() {
  static const std::vector<std::string> keys = {kBytesIn, kBytesOut, kRetainedBytes};
  return keys;
}

// Stored "YYYY-MM-DD HH:MM:SS" (UTC) -> epoch seconds; -1 when malformed.
std::int64_t epoch_of(const std::string& stored) {
  std::tm tm{};
  if (stored.size() < 10 ||
      !strptime(stored.c_str(), stored.size() >= 19 ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d", &tm))
    return -1;
  return static_cast<std::int64_t>(timegm(&tm));
}

// The three metrics of one cluster over [start, end), reduced per topic (reference §3); false
// when a query failed.
bool fetch_usage(const TopicMetricsFetcher& fetch, const TopicSettings& settings,
                 const std::string& cluster, std::int64_t start, std::int64_t end,
                 std::int64_t step, TopicUsage& usage, std::string& error) {
  for (const auto& key : metric_keys()) {
    // The range is inclusive at both ends: the sample at `end` belongs to the next window.
    auto series =
        fetch(settings.metric_name(key), cluster, start, std::max(start, end - step), step);
    if (!series) {
      error = key + ": " + series.error();
      return false;
    }
    auto& by_topic = usage[key];
    for (const auto& s : *series) {
      if (s.topic.empty() || excluded_topic(s.topic, settings.exclude_topic_patterns)) continue;
      if (key == kRetainedBytes) {
        double max = 0;
        for (double v : s.values) max = std::max(max, v);
        if (max > 0) by_topic[s.topic] = std::max(by_topic[s.topic], max);
      } else {
        double sum = 0;
        for (double v : s.values) sum += v;
        by_topic[s.topic] += sum;
      }
    }
  }
  return true;
}

struct Group {
  std::string cluster;
  std::string env_id;
  std::vector<storage::BillingRecord> lines;
  std::vector<Model> models;
  std::int64_t start = 0, end = 0;
  std::vector<std::string> topics;  // the universe, sorted
  TopicUsage usage;
  bool metrics_ok = true;
  std::string error;
};

// Everything a date needs that is read before its transaction: the lines, the topics and the
// metrics (no network call inside a write transaction).
Result<std::vector<Group>> prepare_date(const OverlayTarget& t, const TopicSettings& settings,
                                        const std::map<std::string, Model>& table,
                                        const TopicMetricsFetcher& fetch, std::int64_t step,
                                        const std::string& date) {
  storage::BillingStore billing(t.db, t.ecosystem, t.tenant_id);
  TopicStore store(t.db, t.ecosystem, t.tenant_id);
  auto lines = billing.lines_for_date(date);
  if (!lines) return lines.status();
  std::map<std::pair<std::string, std::string>, Group> groups;
  for (auto& line : *lines) {
    if (line.resource_id.rfind("lkc-", 0) != 0) continue;
    auto model = table.find(line.product_type);
    if (model == table.end()) continue;
    Group& g = groups[{line.resource_id, line.env_id}];
    g.cluster = line.resource_id;
    g.env_id = line.env_id;
    // One window per group, covering every line of it (the original took the first line's).
    const std::int64_t start = epoch_of(line.timestamp);
    const std::int64_t end = start + (line.granularity == "hourly" ? 3600 : 86400);
    if (g.lines.empty() || start < g.start) g.start = start;
    if (g.lines.empty() || end > g.end) g.end = end;
    g.lines.push_back(std::move(line));
    g.models.push_back(model->second);
  }
  std::vector<Group> out;
  for (auto& [key, g] : groups) {
    auto alive = store.topics_alive(g.cluster, storage::utc_timestamp(g.start),
                                    storage::utc_timestamp(g.end));
    if (!alive) return alive.status();
    std::set<std::string> universe;
    for (auto& name : *alive) universe.insert(std::move(name));
    g.metrics_ok = fetch_usage(fetch, settings, g.cluster, g.start, g.end, step, g.usage, g.error);
    for (const auto& [metric, by_topic] : g.usage) {
      for (const auto& [topic, value] : by_topic) universe.insert(topic);
    }
    for (const auto& name : universe) {
      if (!name.empty() && !excluded_topic(name, settings.exclude_topic_patterns))
        g.topics.push_back(name);
    }
    out.push_back(std::move(g));
  }
  return out;
}

TopicFact fact_of(const Group& g, const storage::BillingRecord& line, const TopicRow& row) {
  return {line.timestamp,
          g.env_id,
          g.cluster,
          row.topic_name,
          line.product_category,
          line.product_type,
          row.attribution_method,
          row.amount.units()};
}

}  // namespace

Result<DiscoveryReport> discover_topics(const OverlayTarget& t, const TopicSettings& settings,
                                        const TopicMetricsFetcher& fetch, std::int64_t now,
                                        const std::string& start_date,
                                        const std::string& end_date) {
  DiscoveryReport report;
  TopicStore store(t.db, t.ecosystem, t.tenant_id);
  auto clusters = store.clusters_alive(start_date + " 00:00:00",
                                       storage::utc_timestamp(static_cast<std::time_t>(now)));
  if (!clusters) return clusters.status();
  std::vector<storage::ResourceRecord> topics;
  std::set<std::string> seen;
  bool complete = true;
  for (const auto& cluster : *clusters) {
    std::set<std::string> names;
    bool ok = true;
    for (const auto& key : metric_keys()) {
      auto series = fetch(settings.metric_name(key), cluster, now - 3600, now, 3600);
      if (!series) {
        report.warnings.push_back("topic discovery of " + cluster + ": " + series.error());
        spdlog::warn("tenant={} event=topic_discovery_failed cluster={} error={}", t.tenant_name,
                     cluster, series.error());
        ok = false;
        break;
      }
      for (const auto& s : *series) {
        if (!s.topic.empty()) names.insert(s.topic);
      }
    }
    if (!ok) {
      complete = false;
      continue;
    }
    report.clusters++;
    for (const auto& name : names) {
      storage::ResourceRecord r;
      r.resource_id = cluster + ":topic:" + name;
      r.resource_type = "topic";
      r.display_name = name;
      r.parent_id = cluster;
      seen.insert(r.resource_id);
      topics.push_back(std::move(r));
    }
  }
  report.topics = static_cast<int>(topics.size());
  storage::Transaction tx(t.db, storage::TxMode::immediate);
  if (!tx.begin_status()) return tx.begin_status();
  storage::InventoryStore inventory(t.db, t.ecosystem, t.tenant_id);
  const std::string stamp = storage::utc_timestamp(static_cast<std::time_t>(now));
  if (auto s = inventory.upsert_resources(topics, stamp); !s) return s.status();
  // A topic's lifetime ends when a complete discovery no longer reports it.
  if (complete) {
    if (auto s = inventory.mark_missing_resources_deleted({"topic"}, seen, stamp); !s)
      return s.status();
  }
  if (auto s = store.mark_overlay_gathered(start_date, end_date); !s) return s;
  if (auto s = tx.commit(); !s) return s;
  return report;
}

Result<AttributionReport> attribute_pending(const OverlayTarget& t, const TopicSettings& settings,
                                            const TopicMetricsFetcher& fetch,
                                            const AttributionOptions& options) {
  const auto began = std::chrono::steady_clock::now();
  AttributionReport report;
  TopicStore store(t.db, t.ecosystem, t.tenant_id);
  const auto table = model_table(settings);
  auto pending = store.pending_dates();
  if (!pending) return pending.status();
  for (const auto& date : *pending) {
    if (options.stopping && options.stopping->load()) {
      report.interrupted = true;
      break;
    }
    auto groups = prepare_date(t, settings, table, fetch, options.step_seconds, date);
    if (!groups) return groups.status();
    storage::Transaction tx(t.db, storage::TxMode::immediate);
    if (!tx.begin_status()) return tx.begin_status();
    std::vector<TopicFact> facts;
    bool pending_cluster = false;
    for (const auto& g : *groups) {
      report.lines += static_cast<std::int64_t>(g.lines.size());
      if (!g.metrics_ok) {
        // Retries (reference §7): every line counts an attempt; once all are at the limit the
        // lines get ATTRIBUTION_FAILED rows, otherwise the cluster (and the date) stays pending.
        bool all_at_limit = true;
        for (const auto& line : g.lines) {
          auto attempts = store.add_attempt(line);
          if (!attempts) return attempts.status();
          if (*attempts < options.retry_limit) all_at_limit = false;
        }
        if (!all_at_limit) {
          pending_cluster = true;
          spdlog::warn(
              "tenant={} event=topic_attribution_deferred tracking_date={} cluster={} "
              "error={}",
              t.tenant_name, date, g.cluster, g.error);
          continue;
        }
        for (const auto& line : g.lines) {
          auto amount = Money::parse(line.total_cost);
          facts.push_back(fact_of(g, line,
                                  failed_row({line.timestamp, line.product_category,
                                              line.product_type, amount ? *amount : Money()})));
        }
        continue;
      }
      for (std::size_t i = 0; i < g.lines.size(); ++i) {
        const auto& line = g.lines[i];
        auto amount = Money::parse(line.total_cost);
        if (!amount) {
          spdlog::warn(
              "tenant={} event=topic_line_not_attributable tracking_date={} cluster={} "
              "product_type={} total_cost_unparsable",
              t.tenant_name, date, g.cluster, line.product_type);
          continue;
        }
        TopicLine tl{line.timestamp, line.product_category, line.product_type, *amount};
        for (const auto& row : attribute_line(tl, g.models[i], g.topics, g.usage,
                                              settings.missing_metrics_behavior)) {
          facts.push_back(fact_of(g, line, row));
        }
      }
    }
    auto written = store.replace_date(date, facts);
    if (!written) return written.status();
    if (!pending_cluster) {
      if (auto s = store.mark_attributed(date); !s) return s;
    }
    if (auto s = tx.commit(); !s) return s;
    report.rows_written += *written;
    if (pending_cluster)
      report.dates_pending++;
    else
      report.dates_attributed++;
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  return report;
}

Result<std::int64_t> apply_topic_retention(const OverlayTarget& t, const TopicSettings& settings,
                                           std::int64_t now) {
  TopicStore store(t.db, t.ecosystem, t.tenant_id);
  storage::Transaction tx(t.db);
  if (!tx.begin_status()) return tx.begin_status();
  auto deleted = store.delete_before(storage::utc_timestamp(
      static_cast<std::time_t>(now - static_cast<std::int64_t>(settings.retention_days) * 86400)));
  if (!deleted) return deleted;
  if (auto s = tx.commit(); !s) return s;
  return deleted;
}

}  // namespace chitragupt::topics
