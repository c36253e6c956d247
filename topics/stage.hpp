#pragma once
// The topic-attribution overlay of a Confluent Cloud tenant (reference "topic attribution"
// §1, §4–§7): topic discovery after the gather, and the attribution stage after calculate —
// per pending date, oldest first, every billing line of an attributed product type on a Kafka
// cluster is split across the cluster's topics, in one transaction per date.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "storage/database.hpp"
#include "topics/settings.hpp"

namespace chitragupt::topics {

// One series of a per-topic metric: its `topic` label and sample values in time order.
struct TopicSeries {
  std::string topic;  // "" when the series has no topic label
  std::vector<double> values;
};
// `sum by (kafka_id, topic) (<metric>{kafka_id="<cluster>"})` over [start, end] (both ends
// included) at `step` seconds. An error means the metrics are unavailable.
using TopicMetricsFetcher = std::function<Result<std::vector<TopicSeries>>(
    const std::string& metric, const std::string& cluster, std::int64_t start, std::int64_t end,
    std::int64_t step)>;

struct OverlayTarget {
  storage::Database& db;
  std::string ecosystem;
  std::string tenant_id;
  std::string tenant_name;  // for logs
};

struct DiscoveryReport {
  int clusters = 0;
  int topics = 0;
  std::vector<std::string> warnings;  // clusters whose queries failed (skipped)
};

// Upserts a `topic` resource ({cluster}:topic:{name}, parent = cluster) for every topic label
// the three metrics report over [now − 1h, now] for each Kafka cluster alive in the gathered
// dates [start_date, end_date); when every cluster answered, topics no longer reported are
// marked deleted. Then marks those dates' overlay gathered.
Result<DiscoveryReport> discover_topics(const OverlayTarget& target, const TopicSettings& settings,
                                        const TopicMetricsFetcher& fetch, std::int64_t now,
                                        const std::string& start_date, const std::string& end_date);

struct AttributionOptions {
  int retry_limit = 3;               // topic_attribution_retry_limit
  std::int64_t step_seconds = 3600;  // metrics_step_seconds
  const std::atomic<bool>* stopping = nullptr;
};

struct AttributionReport {
  int dates_attributed = 0;
  int dates_pending = 0;  // a cluster's metrics were unavailable below the retry limit
  std::int64_t rows_written = 0;
  std::int64_t lines = 0;
  bool interrupted = false;
  double seconds = 0;  // wall time of the stage
};

Result<AttributionReport> attribute_pending(const OverlayTarget& target,
                                            const TopicSettings& settings,
                                            const TopicMetricsFetcher& fetch,
                                            const AttributionOptions& options);

// Deletes topic-attribution facts older than now − retention_days (the exact instant), then
// dimensions left without facts. Returns the facts deleted.
Result<std::int64_t> apply_topic_retention(const OverlayTarget& target,
                                           const TopicSettings& settings, std::int64_t now);

}  // namespace chitragupt::topics
