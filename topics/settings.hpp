#pragma once
// plugin_settings.topic_attribution of a Confluent Cloud tenant, validated (reference
// "topic attribution" §2). A plain value: the settings parser of ccloud/ fills its errors in,
// the attribution stage reads the rest.

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emitters/emitter_spec.hpp"

namespace chitragupt::topics {

// The three metric keys the models read, in model order.
inline constexpr const char* kBytesIn = "topic_bytes_in";
inline constexpr const char* kBytesOut = "topic_bytes_out";
inline constexpr const char* kRetainedBytes = "topic_retained_bytes";

struct TopicSettings {
  bool enabled = false;
  int retention_days = 90;
  std::string missing_metrics_behavior = "even_split";  // even_split | skip
  std::vector<std::string> exclude_topic_patterns = {"__consumer_offsets", "_schemas",
                                                     "_confluent-*"};
  // PRODUCT_TYPE -> bytes_ratio | retained_bytes_ratio | even_split | disabled
  std::map<std::string, std::string> cost_mapping_overrides;
  // topic_bytes_in | topic_bytes_out | topic_retained_bytes -> metric name
  std::map<std::string, std::string> metric_name_overrides;
  std::vector<emitters::EmitterSpec> emitters;

  // The metric queried for one of the three keys (the override, else the original's default).
  std::string metric_name(const std::string& key) const;
};

struct TopicSettingsError {
  std::string path;  // under plugin_settings: "topic_attribution.retention_days"
  std::string message;
};

struct ParsedTopicSettings {
  TopicSettings settings;
  std::vector<TopicSettingsError> errors;
};

// `block` is plugin_settings.topic_attribution (null: absent = disabled). `has_metrics`: whether
// plugin_settings.metrics is set (enabled needs it). Every error is reported, by path.
ParsedTopicSettings parse_topic_settings(const nlohmann::json& block, bool has_metrics);

// topic_attribution_status of the tenants, status and readiness routes: "disabled" (no block,
// or enabled false), "config_error" (with the messages joined by "; ") or "enabled".
struct AttributionStatus {
  std::string status = "disabled";
  std::string error;  // "" unless config_error
};
AttributionStatus attribution_status(const std::string& ecosystem,
                                     const nlohmann::json& plugin_settings);

}  // namespace chitragupt::topics
