#pragma once
// The per-topic models (reference "topic attribution" §4–§6): which product types are split
// across a cluster's topics, by which usage, and how one billing line becomes one row per topic.
// Pure: no database, no metrics client. Every line that is attributed conserves its amount
// exactly (the rows sum to the line's amount quantized to 0.0001, the remainder given by the
// project's rule: allocation::distribute_remainder, topics in byte order); a line that cannot
// be split gets one __UNATTRIBUTED__ row carrying its whole amount and the reason, so no cost
// leaves the topic view silently.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "allocation/money.hpp"
#include "topics/settings.hpp"

namespace chitragupt::topics {

inline constexpr const char* kUnattributed = "__UNATTRIBUTED__";
// attribution_method of the __UNATTRIBUTED__ rows.
inline constexpr const char* kAttributionFailed = "ATTRIBUTION_FAILED";  // metrics down at limit
inline constexpr const char* kNoTopics = "NO_TOPICS";                    // empty topic universe
inline constexpr const char* kSkippedNoMetrics = "SKIPPED_NO_METRICS";   // skip, no usage
inline constexpr const char* kDisabled = "DISABLED";                     // override: disabled

enum class Model {
  bytes_in,        // bytes_ratio on topic_bytes_in
  bytes_out,       // bytes_ratio on topic_bytes_out
  bytes_in_out,    // bytes_ratio on topic_bytes_in + topic_bytes_out
  retained_bytes,  // retained_bytes_ratio on topic_retained_bytes
  even_split,      // even split, no usage
  disabled,        // grouped and counted, never split
};

// product_type -> model: the defaults with the overrides applied.
std::map<std::string, Model> model_table(const TopicSettings& settings);

// Usage per metric key (topic_bytes_in, ...) and topic: delta metrics summed over the window,
// the retained-bytes gauge at its maximum (present only when > 0).
using TopicUsage = std::map<std::string, std::map<std::string, double>>;

// Whether `topic` matches one of the fnmatch-style globs (`*`, `?`, `[seq]`, `[!seq]`, whole
// name, case-sensitive).
bool excluded_topic(const std::string& topic, const std::vector<std::string>& patterns);

struct TopicLine {
  std::string timestamp;  // stored UTC text
  std::string product_category;
  std::string product_type;
  allocation::Money amount;  // the billed total_cost, quantized HALF_UP to 0.0001
};

struct TopicRow {
  std::string topic_name;
  std::string attribution_method;
  allocation::Money amount;
};

// One line split across `topics` (sorted, distinct, none excluded) with `usage`. `usage` is
// null when the cluster's metrics could not be fetched: the caller decides about retries then,
// and this is not called. missing_metrics_behavior applies when a ratio model finds no usage.
std::vector<TopicRow> attribute_line(const TopicLine& line, Model model,
                                     const std::vector<std::string>& topics,
                                     const TopicUsage& usage,
                                     const std::string& missing_metrics_behavior);

// The ATTRIBUTION_FAILED row of a line whose metrics stayed unavailable up to the retry limit.
TopicRow failed_row(const TopicLine& line);

}  // namespace chitragupt::topics
