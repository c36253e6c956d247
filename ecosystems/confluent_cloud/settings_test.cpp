#include "ecosystems/confluent_cloud/settings.hpp"

#include <gtest/gtest.h>

namespace chitragupt::ccloud {
namespace {

using nlohmann::json;

constexpr const char* kSecret = "s3cr3t-VALUE-xyz";

json minimal() { return {{"ccloud_api", {{"key", "KEY"}, {"secret", kSecret}}}}; }

std::string all_errors(const ParsedSettings& parsed) {
  std::string out;
  for (const auto& e : parsed.errors) out += e.path + ": " + e.message + "\n";
  return out;
}

// The message at `path`, or "" when there is none.
std::string error_at(const ParsedSettings& parsed, const std::string& path) {
  for (const auto& e : parsed.errors) {
    if (e.path == path) return e.message;
  }
  return "";
}

TEST(CcloudSettings, minimal_settings_get_the_documented_defaults) {
  auto parsed = parse_ccloud_settings(minimal());
  ASSERT_TRUE(parsed.ok()) << all_errors(parsed);
  const auto& s = *parsed.settings;
  EXPECT_EQ(s.ccloud_api.key, "KEY");
  EXPECT_EQ(s.ccloud_api.secret, kSecret);
  EXPECT_EQ(s.ccloud_api.base_url, "https://api.confluent.cloud");
  EXPECT_EQ(s.ccloud_api.request_timeout_seconds, 30);
  EXPECT_EQ(s.ccloud_api.max_retries, 5);
  EXPECT_EQ(s.billing_api.days_per_query, 15);
  EXPECT_FALSE(s.metrics.has_value());
  EXPECT_TRUE(s.flink.empty());
  EXPECT_EQ(s.min_refresh_gap_seconds, 1800);
  EXPECT_EQ(s.metrics_step_seconds, 3600);
  EXPECT_EQ(s.chargeback_granularity, "daily");
  EXPECT_TRUE(s.emitters.empty());
  EXPECT_TRUE(s.topic_attribution.is_null());
}

TEST(CcloudSettings, a_full_tree_is_read_into_typed_fields) {
  json ps = minimal();
  ps["ccloud_api"]["base_url"] = "http://127.0.0.1:8089";
  ps["ccloud_api"]["request_timeout_seconds"] = "12";  // a ${VAR} substitution gives a string
  ps["ccloud_api"]["max_retries"] = 0;
  ps["billing_api"] = {{"days_per_query", 30}};
  ps["metrics"] = {{"type", "prometheus"},
                   {"url", "https://api.telemetry.confluent.cloud"},
                   {"auth_type", "basic"},
                   {"username", "MKEY"},
                   {"password", "mpass"}};
  ps["flink"] =
      json::array({{{"region", "us-east-1"}, {"cloud", "AWS"}, {"key", "FK"}, {"secret", "FS"}},
                   {{"region", "westeurope"},
                    {"cloud", "azure"},
                    {"key", "FK2"},
                    {"secret", "FS2"},
                    {"base_url", "http://127.0.0.1:9000"}}});
  ps["allocator_params"] = {{"kafka_cku_usage_ratio", "0.60"}, {"kafka_cku_shared_ratio", 0.4}};
  ps["allocator_overrides"] = {{"KAFKA_BASE", "even_split"}};
  ps["identity_resolution_overrides"] = json::object();
  ps["min_refresh_gap_seconds"] = 0;
  ps["metrics_step_seconds"] = 60;
  ps["granularity_durations"] = {{"weekly", 168}};
  ps["chargeback_granularity"] = "hourly";
  ps["emitters"] = json::array(
      {{{"type", "csv"}, {"aggregation", "daily"}, {"params", {{"output_dir", "/tmp/x"}}}}});
  ps["topic_attribution"] = {{"enabled", false}};
  auto parsed = parse_ccloud_settings(ps);
  ASSERT_TRUE(parsed.ok()) << all_errors(parsed);
  const auto& s = *parsed.settings;
  EXPECT_EQ(s.ccloud_api.request_timeout_seconds, 12);
  EXPECT_EQ(s.ccloud_api.max_retries, 0);
  EXPECT_EQ(s.billing_api.days_per_query, 30);
  ASSERT_TRUE(s.metrics.has_value());
  EXPECT_EQ(s.metrics->auth_type, MetricsAuthType::basic);
  EXPECT_EQ(s.metrics->password, "mpass");
  ASSERT_EQ(s.flink.size(), 2u);
  EXPECT_EQ(s.flink[0].effective_base_url(), "https://flink.us-east-1.aws.confluent.cloud");
  EXPECT_TRUE(s.flink[0].serves("aws", "US-EAST-1"));
  EXPECT_EQ(s.flink[1].effective_base_url(), "http://127.0.0.1:9000");
  EXPECT_EQ(s.allocator_overrides.at("KAFKA_BASE"), "even_split");
  EXPECT_EQ(s.granularity_durations.at("weekly"), 168);
  EXPECT_EQ(s.chargeback_granularity, "hourly");
  EXPECT_EQ(s.emitters.size(), 1u);
  EXPECT_EQ(s.topic_attribution["enabled"], false);
}

TEST(CcloudSettings, ccloud_api_key_and_secret_are_required) {
  auto missing_all = parse_ccloud_settings(json::object());
  EXPECT_EQ(error_at(missing_all, "ccloud_api"), "required");
  auto missing_secret = parse_ccloud_settings({{"ccloud_api", {{"key", "K"}}}});
  EXPECT_EQ(error_at(missing_secret, "ccloud_api.secret"), "required");
  auto empty_key = parse_ccloud_settings({{"ccloud_api", {{"key", ""}, {"secret", kSecret}}}});
  EXPECT_EQ(error_at(empty_key, "ccloud_api.key"), "must not be empty");
}

TEST(CcloudSettings, unknown_keys_name_the_closest_valid_key) {
  json ps = minimal();
  ps["ccloud_api"]["baseurl"] = "https://x";
  ps["billing_api"] = {{"days_per_qurey", 5}};
  ps["metric"] = json::object();
  ps["zzzz"] = 1;
  auto parsed = parse_ccloud_settings(ps);
  EXPECT_EQ(error_at(parsed, "ccloud_api.baseurl"), "unknown key (did you mean base_url?)");
  EXPECT_EQ(error_at(parsed, "billing_api.days_per_qurey"),
            "unknown key (did you mean days_per_query?)");
  EXPECT_EQ(error_at(parsed, "metric"), "unknown key (did you mean metrics?)");
  EXPECT_NE(error_at(parsed, "zzzz").find("unknown key (valid keys: "), std::string::npos);
  EXPECT_EQ(parsed.errors.size(), 4u) << all_errors(parsed);
}

TEST(CcloudSettings, numeric_ranges_are_enforced) {
  json ps = minimal();
  ps["ccloud_api"]["request_timeout_seconds"] = 301;
  ps["ccloud_api"]["max_retries"] = 11;
  ps["billing_api"] = {{"days_per_query", 0}};
  ps["min_refresh_gap_seconds"] = -1;
  ps["metrics_step_seconds"] = 0;
  ps["granularity_durations"] = {{"x", 0}};
  auto parsed = parse_ccloud_settings(ps);
  EXPECT_EQ(error_at(parsed, "ccloud_api.request_timeout_seconds"),
            "must be between 1 and 300, got 301");
  EXPECT_EQ(error_at(parsed, "ccloud_api.max_retries"), "must be between 0 and 10, got 11");
  EXPECT_EQ(error_at(parsed, "billing_api.days_per_query"), "must be between 1 and 30, got 0");
  EXPECT_EQ(error_at(parsed, "min_refresh_gap_seconds"), "must be >= 0, got -1");
  EXPECT_EQ(error_at(parsed, "metrics_step_seconds"), "must be at least 1, got 0");
  EXPECT_EQ(error_at(parsed, "granularity_durations.x"), "minimum is 1 hour, got 0");
  EXPECT_EQ(parsed.errors.size(), 6u) << all_errors(parsed);
  EXPECT_FALSE(parsed.settings.has_value());
}

TEST(CcloudSettings, wrong_types_are_reported_without_quoting_values) {
  json ps = minimal();
  ps["ccloud_api"]["secret"] = json::array({kSecret});
  ps["billing_api"] = {{"days_per_query", "fifteen"}};
  ps["chargeback_granularity"] = "weekly";
  ps["flink"] = "us-east-1";
  auto parsed = parse_ccloud_settings(ps);
  EXPECT_EQ(error_at(parsed, "ccloud_api.secret"), "expected a string, got a list");
  EXPECT_EQ(error_at(parsed, "billing_api.days_per_query"), "expected an integer, got a string");
  EXPECT_EQ(error_at(parsed, "chargeback_granularity"),
            "must be one of hourly, daily, monthly, got 'weekly'");
  EXPECT_EQ(error_at(parsed, "flink"), "expected a list, got a string");
}

TEST(CcloudSettings, basic_metrics_auth_needs_username_and_password) {
  json ps = minimal();
  ps["metrics"] = {{"url", "https://prom"}, {"auth_type", "basic"}, {"username", "u"}};
  auto parsed = parse_ccloud_settings(ps);
  EXPECT_EQ(error_at(parsed, "metrics"), "username and password required for basic auth");
}

TEST(CcloudSettings, bearer_metrics_auth_needs_a_token) {
  json ps = minimal();
  ps["metrics"] = {{"url", "https://prom"}, {"auth_type", "bearer"}};
  EXPECT_EQ(error_at(parse_ccloud_settings(ps), "metrics"),
            "bearer_token required for bearer auth");
}

TEST(CcloudSettings, credentials_without_an_auth_type_are_an_error) {
  json ps = minimal();
  ps["metrics"] = {{"url", "https://prom"}, {"bearer_token", kSecret}};
  auto parsed = parse_ccloud_settings(ps);
  EXPECT_EQ(error_at(parsed, "metrics"), "credentials provided but auth_type is 'none'");
  EXPECT_EQ(all_errors(parsed).find(kSecret), std::string::npos);
}

TEST(CcloudSettings, metrics_needs_a_prometheus_type_and_an_http_url) {
  json ps = minimal();
  ps["metrics"] = {{"type", "datadog"}, {"auth_type", "digest"}};
  auto parsed = parse_ccloud_settings(ps);
  EXPECT_EQ(error_at(parsed, "metrics.type"), "must be one of prometheus, got 'datadog'");
  EXPECT_EQ(error_at(parsed, "metrics.url"), "required");
  EXPECT_EQ(error_at(parsed, "metrics.auth_type"),
            "must be one of none, basic, bearer, got 'digest'");
  json bad_url = minimal();
  bad_url["metrics"] = {{"url", "prometheus:9090"}};
  EXPECT_EQ(error_at(parse_ccloud_settings(bad_url), "metrics.url"),
            "must start with http:// or https://");
}

TEST(CcloudSettings, flink_entries_need_region_cloud_key_and_secret) {
  json ps = minimal();
  ps["flink"] =
      json::array({{{"region", "us-east-1"}, {"cloud", "aws"}, {"key", "K"}},
                   {{"region", "us-east-1"},
                    {"cloud", "AWS"},
                    {"key", "K"},
                    {"secret", kSecret},
                    {"regoin", "x"}},
                   {{"region", "us-east-1"}, {"cloud", "AWS"}, {"key", "K"}, {"secret", kSecret}},
                   "not-a-mapping"});
  auto parsed = parse_ccloud_settings(ps);
  EXPECT_EQ(error_at(parsed, "flink[0].secret"), "required");
  EXPECT_EQ(error_at(parsed, "flink[1].regoin"), "unknown key (did you mean region?)");
  EXPECT_EQ(error_at(parsed, "flink[2]"), "duplicate entry for AWS us-east-1");
  EXPECT_EQ(error_at(parsed, "flink[3]"), "expected a mapping, got a string");
}

TEST(CcloudSettings, cku_ratios_must_sum_to_one) {
  json ps = minimal();
  ps["allocator_params"] = {{"kafka_cku_usage_ratio", "0.80"}, {"kafka_cku_shared_ratio", "0.30"}};
  EXPECT_EQ(error_at(parse_ccloud_settings(ps), "allocator_params"),
            "allocator_params kafka_cku_usage_ratio + kafka_cku_shared_ratio must sum to 1.0, "
            "got 1.10");
  ps["allocator_params"] = {{"kafka_cku_usage_ratio", "0.6"}};  // shared stays 0.30
  EXPECT_FALSE(parse_ccloud_settings(ps).ok());
  ps["allocator_params"] = {{"kafka_cku_usage_ratio", "0.70005"}};
  EXPECT_TRUE(parse_ccloud_settings(ps).ok());
}

// Issue 15 item 8: flink[] entries in the original's shape {region_id, key, secret}.
TEST(CcloudSettings, flink_regions_take_the_original_region_id) {
  json ps = minimal();
  ps["flink"] =
      json::array({{{"region_id", "aws.us-east-1"}, {"key", "FK"}, {"secret", "FS"}},
                   {{"region", "westeurope"}, {"cloud", "AZURE"}, {"key", "K"}, {"secret", "S"}}});
  auto parsed = parse_ccloud_settings(ps);
  ASSERT_TRUE(parsed.ok()) << all_errors(parsed);
  const auto& flink = parsed.settings->flink;
  ASSERT_EQ(flink.size(), 2u);
  EXPECT_TRUE(flink[0].serves("AWS", "us-east-1"));
  EXPECT_EQ(flink[0].effective_base_url(), "https://flink.us-east-1.aws.confluent.cloud");
  EXPECT_TRUE(flink[1].serves("azure", "westeurope"));
  ps["flink"] = json::array({{{"region_id", "us-east-1"}, {"key", "FK"}, {"secret", "FS"}}});
  EXPECT_NE(error_at(parse_ccloud_settings(ps), "flink[0].region_id").find("<cloud>.<region>"),
            std::string::npos);
  ps["flink"] = json::array(
      {{{"region_id", "aws.us-east-1"}, {"region", "x"}, {"key", "FK"}, {"secret", "FS"}}});
  EXPECT_EQ(error_at(parse_ccloud_settings(ps), "flink[0]"),
            "give either region_id or region and cloud, not both");
  ps["flink"] = json::array({{{"region_id", "aws.us-east-1"}, {"key", "FK"}, {"secret", "FS"}},
                             {{"region_id", "AWS.us-east-1"}, {"key", "FK"}, {"secret", "FS"}}});
  EXPECT_NE(error_at(parse_ccloud_settings(ps), "flink[1]").find("duplicate"), std::string::npos);
}

// Issue 20: an enabled topic_attribution block is validated by topics/ and needs metrics.
TEST(CcloudSettings, enabled_topic_attribution_needs_metrics_and_valid_keys) {
  json ps = minimal();
  ps["topic_attribution"] = {{"enabled", true}};
  EXPECT_NE(error_at(parse_ccloud_settings(ps), "topic_attribution.enabled")
                .find("needs plugin_settings.metrics"),
            std::string::npos);
  ps["metrics"] = {{"url", "http://127.0.0.1:9090"}};
  EXPECT_TRUE(parse_ccloud_settings(ps).ok());
  ps["topic_attribution"] = {{"enabled", true}, {"retention_days", 0}};
  EXPECT_NE(error_at(parse_ccloud_settings(ps), "topic_attribution.retention_days")
                .find("between 1 and 365"),
            std::string::npos);
  ps["topic_attribution"] = {{"enabled", false}, {"retention_days", 30}};
  EXPECT_TRUE(parse_ccloud_settings(ps).ok());
}

// The original's overrides are Python import paths: they cannot mean anything here, so they fail
// with why and what to use instead.
TEST(CcloudSettings, python_override_paths_fail_with_why_and_what_instead) {
  json ps = minimal();
  ps["allocator_overrides"] = {{"kafka", "my_org.allocators.WeightedTeamAllocator"}};
  ps["identity_resolution_overrides"] = {{"ksqldb", "my_org.resolvers.ldap_identity_resolver"}};
  auto parsed = parse_ccloud_settings(ps);
  const std::string allocator = error_at(parsed, "allocator_overrides.kafka");
  EXPECT_NE(allocator.find("Python import path"), std::string::npos) << allocator;
  EXPECT_NE(allocator.find("built-in allocators"), std::string::npos) << allocator;
  const std::string resolver = error_at(parsed, "identity_resolution_overrides.ksqldb");
  EXPECT_NE(resolver.find("cannot be overridden"), std::string::npos) << resolver;
  EXPECT_NE(resolver.find("allocator_overrides"), std::string::npos) << resolver;
}

TEST(CcloudSettings, emitters_are_checked_but_kept_as_given) {
  json ps = minimal();
  ps["emitters"] = json::array({{{"name", "x"}},
                                {{"type", "csv"}, {"aggregation", "hourly"}},
                                {{"type", "csv"}, {"parms", json::object()}}});
  auto parsed = parse_ccloud_settings(ps);
  EXPECT_EQ(error_at(parsed, "emitters[0].type"), "required");
  EXPECT_EQ(error_at(parsed, "emitters[1].aggregation"),
            "aggregation 'hourly' is finer than chargeback_granularity 'daily'");
  EXPECT_EQ(error_at(parsed, "emitters[2].parms"), "unknown key (did you mean params?)");
}

TEST(CcloudSettings, all_errors_are_reported_at_once_and_secrets_never_appear) {
  json ps = {{"ccloud_api", {{"key", 5.5}, {"secret", kSecret}, {"base_url", "ftp://h"}}},
             {"metrics", {{"url", "http://p"}, {"password", kSecret}, {"bearer_token", kSecret}}},
             {"flink", json::array({{{"secret", kSecret}}})},
             {"secrte", kSecret}};
  auto parsed = parse_ccloud_settings(ps);
  EXPECT_GE(parsed.errors.size(), 7u) << all_errors(parsed);
  EXPECT_EQ(all_errors(parsed).find(kSecret), std::string::npos) << all_errors(parsed);
  EXPECT_EQ(error_at(parsed, "ccloud_api.base_url"), "must start with http:// or https://");
  EXPECT_EQ(error_at(parsed, "secrte"),
            "unknown key (valid keys: allocator_overrides, "
            "allocator_params, billing_api, ccloud_api, "
            "chargeback_granularity, emitters, flink, "
            "granularity_durations, identity_resolution_overrides, "
            "metrics, metrics_step_seconds, "
            "min_refresh_gap_seconds, topic_attribution)");
}

TEST(CcloudSettings, plugin_settings_that_is_not_a_mapping_is_one_error) {
  auto parsed = parse_ccloud_settings(json::array({1}));
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].path, "");
  EXPECT_EQ(parsed.errors[0].message, "expected a mapping, got a list");
}

}  // namespace
}  // namespace chitragupt::ccloud
