#include "sim/options.hpp"

#include <gtest/gtest.h>

#include "sim/sim_time.hpp"

namespace ccloud_sim {
namespace {

TEST(CommandLine, defaults_are_documented_values) {
  const auto parsed = parse_command_line({});
  ASSERT_TRUE(parsed.options);
  EXPECT_EQ(parsed.options->host, "127.0.0.1");
  EXPECT_EQ(parsed.options->api_key, "sim-key");
  EXPECT_EQ(parsed.options->api_secret, "sim-secret");
  EXPECT_EQ(parsed.options->days, 30);
  EXPECT_FALSE(parsed.options->end_day);
  EXPECT_NE(usage_text().find("sim-key"), std::string::npos);
}

TEST(CommandLine, parses_every_flag) {
  const auto parsed = parse_command_line({"--port",          "0",
                                          "--host",          "0.0.0.0",
                                          "--seed",          "18446744073709551615",
                                          "--preset",        "large",
                                          "--days",          "7",
                                          "--end-date",      "2026-02-01",
                                          "--fail-rate",     "0.25",
                                          "--rate-limit",    "20/s",
                                          "--latency-ms",    "15",
                                          "--truncate-rate", "0.1",
                                          "--api-key",       "K",
                                          "--api-secret",    "S",
                                          "--fail-path",     "/iam/v2/users",
                                          "--fail-path",     "/billing"});
  ASSERT_TRUE(parsed.options) << parsed.error;
  const SimOptions& o = *parsed.options;
  EXPECT_EQ(o.port, 0);
  EXPECT_EQ(o.host, "0.0.0.0");
  EXPECT_EQ(o.seed, 18446744073709551615ULL);
  EXPECT_EQ(o.preset, Preset::kLarge);
  EXPECT_EQ(o.days, 7);
  EXPECT_EQ(o.end_day, parse_date("2026-02-01"));
  EXPECT_DOUBLE_EQ(o.faults.fail_rate, 0.25);
  EXPECT_EQ(o.faults.rate_limit, 20);
  EXPECT_EQ(o.faults.latency_ms, 15);
  EXPECT_DOUBLE_EQ(o.faults.truncate_rate, 0.1);
  EXPECT_EQ(o.api_key, "K");
  EXPECT_EQ(o.api_secret, "S");
  EXPECT_EQ(o.faults.fail_paths, (std::vector<std::string>{"/iam/v2/users", "/billing"}));
  EXPECT_EQ(parse_command_line({"--rate-limit", "5"}).options->faults.rate_limit, 5);
}

TEST(CommandLine, rejects_bad_values_with_a_message) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--port", "70000"},
                                                                {"--preset", "huge"},
                                                                {"--days", "0"},
                                                                {"--fail-rate", "1.5"},
                                                                {"--end-date", "2026-13-01"},
                                                                {"--seed", "-1"},
                                                                {"--bogus", "1"},
                                                                {"--port"},
                                                                {"--rate-limit", "x/s"},
                                                                {"--fail-path", "users"}}) {
    const auto parsed = parse_command_line(args);
    EXPECT_FALSE(parsed.options) << args[0];
    EXPECT_FALSE(parsed.error.empty()) << args[0];
  }
  EXPECT_TRUE(parse_command_line({"--help"}).help);
}

TEST(SimTime, dates_and_times_round_trip) {
  EXPECT_EQ(format_date(*parse_date("2024-02-29")), "2024-02-29");
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_EQ(format_timestamp(1769904000), "2026-02-01T00:00:00Z");
  EXPECT_EQ(format_timestamp(1769904000, 7), "2026-02-01T00:00:00.007Z");
  EXPECT_EQ(*parse_time("2026-02-01T00:00:00+00:00"), 1769904000.0);
  EXPECT_EQ(*parse_time("2026-02-01T05:30:00+05:30"), 1769904000.0);
  EXPECT_EQ(*parse_time("1769904000.5"), 1769904000.5);
  EXPECT_EQ(*parse_duration("1h30m"), 5400.0);
  EXPECT_EQ(*parse_duration("3600"), 3600.0);
  EXPECT_FALSE(parse_duration("abc"));
}

}  // namespace
}  // namespace ccloud_sim
