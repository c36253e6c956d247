#include "topics/settings.hpp"

#include <gtest/gtest.h>

namespace chitragupt::topics {
namespace {

using nlohmann::json;

std::string errors_of(const json& block, bool has_metrics = true) {
  std::string out;
  for (const auto& e : parse_topic_settings(block, has_metrics).errors)
    out += e.path + ": " + e.message + "\n";
  return out;
}

TEST(TopicSettings, absent_block_is_disabled_with_the_original_defaults) {
  auto p = parse_topic_settings(nullptr, false);
  EXPECT_TRUE(p.errors.empty());
  EXPECT_FALSE(p.settings.enabled);
  EXPECT_EQ(p.settings.retention_days, 90);
  EXPECT_EQ(p.settings.missing_metrics_behavior, "even_split");
  EXPECT_EQ(p.settings.exclude_topic_patterns,
            (std::vector<std::string>{"__consumer_offsets", "_schemas", "_confluent-*"}));
  EXPECT_EQ(p.settings.metric_name(kBytesIn), "confluent_kafka_server_received_bytes");
  EXPECT_EQ(p.settings.metric_name(kBytesOut), "confluent_kafka_server_sent_bytes");
  EXPECT_EQ(p.settings.metric_name(kRetainedBytes), "confluent_kafka_server_retained_bytes");
}

TEST(TopicSettings, enabled_needs_metrics) {
  EXPECT_NE(errors_of({{"enabled", true}}, false)
                .find("topic_attribution.enabled: topic attribution needs plugin_settings.metrics"),
            std::string::npos);
  EXPECT_EQ(errors_of({{"enabled", true}}, true), "");
  EXPECT_NE(errors_of({{"enabled", "yes"}}).find("topic_attribution.enabled: expected a boolean"),
            std::string::npos);
}

TEST(TopicSettings, retention_days_is_1_to_365) {
  EXPECT_EQ(parse_topic_settings({{"retention_days", 7}}, true).settings.retention_days, 7);
  EXPECT_NE(errors_of({{"retention_days", 0}})
                .find("topic_attribution.retention_days: must be between 1 and 365, got 0"),
            std::string::npos);
  EXPECT_NE(errors_of({{"retention_days", 366}}).find("retention_days"), std::string::npos);
}

TEST(TopicSettings, missing_metrics_behavior_is_trimmed_and_lowered) {
  EXPECT_EQ(parse_topic_settings({{"missing_metrics_behavior", " SKIP "}}, true)
                .settings.missing_metrics_behavior,
            "skip");
  EXPECT_NE(
      errors_of({{"missing_metrics_behavior", "drop"}})
          .find("topic_attribution.missing_metrics_behavior: must be one of even_split, skip"),
      std::string::npos);
}

TEST(TopicSettings, exclude_patterns_are_trimmed_and_empty_ones_dropped) {
  auto p = parse_topic_settings({{"exclude_topic_patterns", {" a* ", "", "  "}}}, true);
  EXPECT_EQ(p.settings.exclude_topic_patterns, (std::vector<std::string>{"a*"}));
  EXPECT_NE(errors_of({{"exclude_topic_patterns", {1}}})
                .find("topic_attribution.exclude_topic_patterns[0]: expected a string"),
            std::string::npos);
}

TEST(TopicSettings, cost_mapping_overrides_normalise_keys_and_values) {
  auto p =
      parse_topic_settings({{"cost_mapping_overrides",
                             {{"kafka_base", " Disabled "}, {"KAFKA_REST_PRODUCE", "even_split"}}}},
                           true);
  ASSERT_TRUE(p.errors.empty());
  EXPECT_EQ(p.settings.cost_mapping_overrides,
            (std::map<std::string, std::string>{{"KAFKA_BASE", "disabled"},
                                                {"KAFKA_REST_PRODUCE", "even_split"}}));
  EXPECT_NE(errors_of({{"cost_mapping_overrides", {{"KAFKA_BASE", "half"}}}})
                .find("topic_attribution.cost_mapping_overrides.KAFKA_BASE: must be one of"),
            std::string::npos);
}

TEST(TopicSettings, metric_name_overrides_take_known_keys_only) {
  auto p =
      parse_topic_settings({{"metric_name_overrides", {{" TOPIC_BYTES_IN", " my_in "}}}}, true);
  ASSERT_TRUE(p.errors.empty());
  EXPECT_EQ(p.settings.metric_name(kBytesIn), "my_in");
  EXPECT_NE(errors_of({{"metric_name_overrides", {{"bytes", "x"}}}})
                .find("topic_attribution.metric_name_overrides.bytes: unknown metric key"),
            std::string::npos);
  EXPECT_NE(
      errors_of({{"metric_name_overrides", {{"topic_bytes_out", " "}}}}).find("must not be empty"),
      std::string::npos);
}

TEST(TopicSettings, csv_emitter_gets_the_original_defaults) {
  auto p = parse_topic_settings({{"emitters", {{{"type", "csv"}}}}}, true);
  ASSERT_TRUE(p.errors.empty()) << errors_of({{"emitters", {{{"type", "csv"}}}}});
  ASSERT_EQ(p.settings.emitters.size(), 1u);
  EXPECT_EQ(p.settings.emitters[0].name, "csv");
  EXPECT_EQ(p.settings.emitters[0].output_dir, "/tmp/topic_attribution");
  EXPECT_EQ(p.settings.emitters[0].filename_template, "topic_attr_{tenant_id}_{date}.csv");
  EXPECT_NE(errors_of({{"emitters", {{{"type", "csv"}, {"aggregation", "daily"}}}}})
                .find("topic_attribution.emitters[0].aggregation"),
            std::string::npos);
  EXPECT_NE(errors_of({{"emitters", {{{"type", "kafka"}}}}}).find("unknown emitter type"),
            std::string::npos);
}

TEST(TopicSettings, unknown_keys_are_errors_with_a_suggestion) {
  EXPECT_NE(errors_of({{"retention_day", 3}}).find("topic_attribution.retention_day:"),
            std::string::npos);
}

TEST(TopicSettings, attribution_status_is_disabled_enabled_or_config_error) {
  EXPECT_EQ(attribution_status("confluent_cloud", json::object()).status, "disabled");
  EXPECT_EQ(
      attribution_status("confluent_cloud", {{"topic_attribution", {{"enabled", false}}}}).status,
      "disabled");
  json ps = {{"metrics", {{"url", "http://x"}}}, {"topic_attribution", {{"enabled", true}}}};
  EXPECT_EQ(attribution_status("confluent_cloud", ps).status, "enabled");
  EXPECT_EQ(attribution_status("confluent_cloud", ps).error, "");
  ps.erase("metrics");
  ps["topic_attribution"]["retention_days"] = 0;
  auto bad = attribution_status("confluent_cloud", ps);
  EXPECT_EQ(bad.status, "config_error");
  EXPECT_NE(bad.error.find("retention_days: must be between 1 and 365, got 0; "), std::string::npos)
      << bad.error;
  EXPECT_NE(bad.error.find("needs plugin_settings.metrics"), std::string::npos);
}

}  // namespace
}  // namespace chitragupt::topics
