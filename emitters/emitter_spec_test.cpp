// plugin_settings.emitters as `chitragupt --validate` sees it (the confluent_cloud validator
// runs parse_ccloud_settings): defaults, and every error named by its path.

#include "emitters/emitter_spec.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ecosystems/confluent_cloud/settings.hpp"

namespace chitragupt::emitters {
namespace {

using nlohmann::json;

ccloud::ParsedSettings parse(const json& emitters) {
  json ps = {{"ccloud_api", {{"key", "KEY"}, {"secret", "SECRET"}}}, {"emitters", emitters}};
  return ccloud::parse_ccloud_settings(ps);
}

std::string error_at(const ccloud::ParsedSettings& parsed, const std::string& path) {
  std::string all;
  for (const auto& e : parsed.errors) {
    if (e.path == path) return e.message;
    all += e.path + ": " + e.message + "\n";
  }
  return "(no error at " + path + "; errors:\n" + all + ")";
}

TEST(EmitterSpecs, defaults_follow_the_original) {
  auto parsed = parse(json::array({{{"type", "csv"}, {"params", {{"output_dir", "/data/csv"}}}},
                                   {{"type", "prometheus"}, {"aggregation", "monthly"}}}));
  ASSERT_TRUE(parsed.ok()) << parsed.errors.front().path << ": " << parsed.errors.front().message;
  const auto& e = parsed.settings->emitters;
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].type, EmitterType::csv);
  EXPECT_EQ(e[0].name, "csv");
  // Issue 15 item 8: no aggregation passes the rows through as stored, as the original.
  EXPECT_EQ(e[0].aggregation, Aggregation::none);
  EXPECT_EQ(e[0].output_dir, "/data/csv");
  EXPECT_EQ(e[0].filename_template, "{tenant_id}_{date}.csv");
  EXPECT_FALSE(e[0].lookback_days.has_value());
  EXPECT_EQ(e[1].type, EmitterType::prometheus);
  EXPECT_EQ(e[1].aggregation, Aggregation::monthly);
  // The original's start_http_server default: port 8000 (besides the engine's /metrics).
  EXPECT_EQ(e[1].port, std::optional<int>(8000));
}

TEST(EmitterSpecs, prometheus_port_and_lookback_are_read) {
  auto parsed = parse(json::array({{{"type", "prometheus"},
                                    {"name", "prom"},
                                    {"lookback_days", "7"},
                                    {"params", {{"port", 9464}, {"host", "127.0.0.1"}}}}}));
  ASSERT_TRUE(parsed.ok());
  const auto& spec = parsed.settings->emitters.front();
  EXPECT_EQ(spec.name, "prom");
  EXPECT_EQ(spec.port, 9464);
  EXPECT_EQ(spec.host, "127.0.0.1");
  EXPECT_EQ(spec.lookback_days, 7);
}

TEST(EmitterSpecs, an_unknown_type_names_the_valid_ones) {
  auto parsed = parse(json::array({{{"type", "kafka"}}}));
  EXPECT_EQ(error_at(parsed, "emitters[0].type"),
            "unknown emitter type 'kafka'; valid types: csv, prometheus");
}

TEST(EmitterSpecs, csv_needs_output_dir) {
  auto parsed = parse(json::array({{{"type", "csv"}}}));
  EXPECT_EQ(error_at(parsed, "emitters[0].params.output_dir"), "required");
}

TEST(EmitterSpecs, an_unknown_placeholder_or_a_slash_in_filename_template_is_an_error) {
  auto parsed = parse(json::array(
      {{{"type", "csv"},
        {"name", "a"},
        {"params", {{"output_dir", "/x"}, {"filename_template", "{tenant}_{date}.csv"}}}},
       {{"type", "csv"},
        {"name", "b"},
        {"params", {{"output_dir", "/x"}, {"filename_template", "../{date}.csv"}}}},
       {{"type", "csv"},
        {"name", "c"},
        {"params", {{"output_dir", "/x"}, {"filename_template", "{date.csv"}}}}}));
  EXPECT_EQ(error_at(parsed, "emitters[0].params.filename_template"),
            "unknown placeholder {tenant}; valid: {tenant_id}, {tenant_name}, {date}");
  EXPECT_EQ(error_at(parsed, "emitters[1].params.filename_template"),
            "must be a file name without '/' (the directory is output_dir)");
  EXPECT_EQ(error_at(parsed, "emitters[2].params.filename_template"),
            "unterminated placeholder at position 0");
}

TEST(EmitterSpecs, params_bad_keys_ports_aggregations_and_duplicate_names_are_errors) {
  auto parsed =
      parse(json::array({{{"type", "csv"}, {"params", {{"output_dir", "/x"}, {"outputdir", "/y"}}}},
                         {{"type", "prometheus"}, {"params", {{"port", 70000}}}},
                         {{"type", "prometheus"}, {"aggregation", "weekly"}},
                         {{"type", "csv"}, {"params", {{"output_dir", "/z"}}}}}));
  EXPECT_EQ(error_at(parsed, "emitters[0].params.outputdir"),
            "unknown key (did you mean output_dir?)");
  EXPECT_EQ(error_at(parsed, "emitters[1].params.port"), "must be between 1 and 65535, got 70000");
  EXPECT_EQ(error_at(parsed, "emitters[2].aggregation"),
            "must be one of hourly, daily, monthly, got 'weekly'");
  EXPECT_NE(error_at(parsed, "emitters[2].name").find("duplicate emitter name 'prometheus'"),
            std::string::npos);
  EXPECT_NE(error_at(parsed, "emitters[3].name").find("duplicate emitter name 'csv'"),
            std::string::npos);
}

TEST(EmitterSpecs, filename_template_expands_its_placeholders) {
  std::string why;
  EXPECT_EQ(*expand_filename_template(
                "{tenant_name}/{tenant_id}_{date}",
                {{"tenant_id", "t"}, {"tenant_name", "n"}, {"date", "2026-01-01"}}, &why),
            "n/t_2026-01-01");
}

}  // namespace
}  // namespace chitragupt::emitters
