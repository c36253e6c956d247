#include "ecosystems/confluent_cloud/billing_lines.hpp"

#include <gtest/gtest.h>

#include "sources/json_text.hpp"

namespace chitragupt::ccloud {
namespace {

using nlohmann::json;

// A window whose rows are parsed from JSON text the way the client parses billing pages.
BillingWindow window_of(const std::string& rows_json, const std::string& start = "2026-02-01",
                        const std::string& end = "2026-02-16") {
  auto parsed = parse_json(rows_json, NumberMode::exact_text);
  EXPECT_TRUE(parsed.is_ok()) << parsed.error();
  BillingWindow w{start, end, {}};
  for (size_t i = 0; i < parsed->size(); ++i) w.rows.push_back({(*parsed)[i], i});
  return w;
}

std::vector<std::string> as_strings(const std::vector<std::pair<CivilDate, CivilDate>>& ws) {
  std::vector<std::string> out;
  for (const auto& [a, b] : ws) out.push_back(a.to_string() + ".." + b.to_string());
  return out;
}

TEST(BillingWindows, a_range_is_cut_into_days_per_query_windows_with_a_short_last_one) {
  auto windows =
      billing_windows(*CivilDate::parse("2026-01-01"), *CivilDate::parse("2026-02-10"), 15);
  EXPECT_EQ(as_strings(windows),
            (std::vector<std::string>{"2026-01-01..2026-01-16", "2026-01-16..2026-01-31",
                                      "2026-01-31..2026-02-10"}));
}

TEST(BillingWindows, windows_cross_month_and_leap_day_boundaries) {
  auto windows =
      billing_windows(*CivilDate::parse("2028-02-27"), *CivilDate::parse("2028-03-02"), 2);
  EXPECT_EQ(as_strings(windows),
            (std::vector<std::string>{"2028-02-27..2028-02-29", "2028-02-29..2028-03-02"}));
}

TEST(BillingWindows, an_empty_or_inverted_range_has_no_windows) {
  auto d = *CivilDate::parse("2026-02-01");
  EXPECT_TRUE(billing_windows(d, d, 15).empty());
  EXPECT_TRUE(billing_windows(d.plus_days(1), d, 15).empty());
  EXPECT_EQ(billing_windows(d, d.plus_days(3), 1).size(), 3u);
}

TEST(BillingLines, a_cost_row_maps_to_a_line_with_amounts_as_received) {
  auto lines = billing_lines(window_of(R"([{"id":"cost-1","start_date":"2026-02-01",
    "end_date":"2026-02-02","granularity":"DAILY","product":"KAFKA","line_type":"KAFKA_NUM_CKU",
    "quantity":24,"price":4.1667,"amount":100.0,"original_amount":100.0,"discount_amount":0,
    "unit":"CKU_HOUR","resource":{"id":"lkc-abc","display_name":"prod",
    "environment":{"id":"env-1"}}}])"));
  ASSERT_EQ(lines.size(), 1u);
  const auto& l = lines[0];
  EXPECT_EQ(l.date, "2026-02-01");
  EXPECT_EQ(l.timestamp, 1769904000);
  EXPECT_EQ(l.env_id, "env-1");
  EXPECT_EQ(l.resource_id, "lkc-abc");
  EXPECT_EQ(l.product_category, "KAFKA");
  EXPECT_EQ(l.product_type, "KAFKA_NUM_CKU");
  EXPECT_EQ(l.quantity, "24");
  EXPECT_EQ(l.unit_price, "4.1667");
  EXPECT_EQ(l.total_cost, "100.0");
  EXPECT_EQ(l.currency, "USD");
  EXPECT_EQ(l.granularity, "daily");
  EXPECT_EQ(l.metadata["resource_name"], "prod");
  EXPECT_EQ(l.metadata["original_amount"], "100.0");
  EXPECT_FALSE(l.metadata.contains("tiers"));
}

TEST(BillingLines, rows_without_resource_or_environment_get_unresolved_ids_and_empty_env) {
  auto lines = billing_lines(window_of(R"([
    {"start_date":"2026-02-01","product":"SUPPORT","line_type":"SUPPORT","amount":5},
    {"start_date":"2026-02-02","product":"AUDIT_LOG","line_type":"AUDIT_LOG_READ","amount":1.5,
     "resource":{"display_name":"no id"}}])"));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].resource_id.rfind("unresolved_billing_", 0), 0u) << lines[0].resource_id;
  EXPECT_EQ(lines[0].resource_id.size(), std::string("unresolved_billing_").size() + 16);
  EXPECT_EQ(lines[0].env_id, "");
  EXPECT_EQ(lines[0].quantity, "0");
  EXPECT_EQ(lines[0].unit_price, "0");
  EXPECT_EQ(lines[0].total_cost, "5");
  EXPECT_EQ(lines[1].resource_id.rfind("unresolved_billing_", 0), 0u);
  EXPECT_NE(lines[1].resource_id, lines[0].resource_id);
  EXPECT_EQ(lines[1].timestamp, 1769904000 + 86400);
}

// Issue 15 item 3: the key of a row without a resource comes from the row itself, not from its
// position in the query window, so a later gather whose window starts elsewhere (the lookback
// rolled forward, or days_per_query cut it differently) names the same row the same way.
TEST(BillingLines, rows_without_resource_keep_their_key_when_the_window_shifts) {
  const std::string support =
      R"({"start_date":"2026-02-05","product":"SUPPORT","line_type":"SUPPORT","amount":5})";
  const std::string bad = R"({"start_date":"05/02/2026","product":"X","amount":2})";
  const std::string other =
      R"({"start_date":"2026-02-04","product":"KAFKA","line_type":"KAFKA_BASE","amount":1,)"
      R"("resource":{"id":"lkc-1"}})";
  auto first = billing_lines(window_of("[" + support + "," + bad + "]", "2026-02-01"));
  auto second = billing_lines(
      window_of("[" + other + "," + other + "," + bad + "," + support + "]", "2026-02-01"));
  ASSERT_EQ(first.size(), 2u);
  ASSERT_EQ(second.size(), 3u);  // the two lkc-1 rows merge as tiers
  EXPECT_EQ(first[0].resource_id, second[2].resource_id);
  EXPECT_EQ(first[1].resource_id, second[1].resource_id);
  EXPECT_EQ(first[1].resource_id.rfind("malformed_billing_", 0), 0u);
}

TEST(BillingLines, pricing_tiers_merge_into_one_line_with_exact_sums) {
  // The reference's worked example: NUM_RULES 240 x 0.023 = 5.52 and 72 x 0.0345 = 2.484.
  auto lines = billing_lines(window_of(R"([
    {"start_date":"2026-02-01","product":"SCHEMA_REGISTRY","line_type":"NUM_RULES","quantity":240,
     "price":0.023,"amount":5.52,"resource":{"id":"lsrc-test","environment":{"id":"env-1"}}},
    {"start_date":"2026-02-01","product":"SCHEMA_REGISTRY","line_type":"NUM_RULES","quantity":72,
     "price":0.0345,"amount":2.484,"resource":{"id":"lsrc-test","environment":{"id":"env-1"}}}])"));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].total_cost, "8.004");
  EXPECT_EQ(lines[0].quantity, "312");
  EXPECT_EQ(lines[0].unit_price, "0");
  EXPECT_EQ(lines[0].metadata["tiers"],
            json::parse(R"([{"price":"0.023","quantity":"240","cost":"5.52"},
                            {"price":"0.0345","quantity":"72","cost":"2.484"}])"));
}

TEST(BillingLines, tier_merge_is_exact_where_doubles_are_not) {
  auto lines = billing_lines(window_of(R"([
    {"start_date":"2026-02-01","product":"KAFKA","line_type":"KAFKA_STORAGE","quantity":0.1,
     "price":1,"amount":0.1,"resource":{"id":"lkc-1"}},
    {"start_date":"2026-02-01","product":"KAFKA","line_type":"KAFKA_STORAGE","quantity":0.2,
     "price":1,"amount":0.2,"resource":{"id":"lkc-1"}},
    {"start_date":"2026-02-01","product":"KAFKA","line_type":"KAFKA_STORAGE","quantity":0.000001,
     "price":1,"amount":123456.123457,"resource":{"id":"lkc-1"}}])"));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].total_cost, "123456.423457");
  EXPECT_EQ(lines[0].quantity, "0.300001");
  EXPECT_EQ(lines[0].metadata["tiers"].size(), 3u);
}

TEST(BillingLines, rows_differing_in_any_key_field_stay_separate) {
  auto lines = billing_lines(window_of(R"([
    {"start_date":"2026-02-01","product":"KAFKA","line_type":"KAFKA_BASE","amount":1,
     "resource":{"id":"lkc-1","environment":{"id":"env-1"}}},
    {"start_date":"2026-02-02","product":"KAFKA","line_type":"KAFKA_BASE","amount":1,
     "resource":{"id":"lkc-1","environment":{"id":"env-1"}}},
    {"start_date":"2026-02-01","product":"KAFKA","line_type":"KAFKA_BASE","amount":1,
     "resource":{"id":"lkc-1","environment":{"id":"env-2"}}},
    {"start_date":"2026-02-01","product":"KAFKA","line_type":"KAFKA_STORAGE","amount":1,
     "resource":{"id":"lkc-1","environment":{"id":"env-1"}}},
    {"start_date":"2026-02-01","product":"OTHER","line_type":"KAFKA_BASE","amount":1,
     "resource":{"id":"lkc-1","environment":{"id":"env-1"}}}])"));
  EXPECT_EQ(lines.size(), 5u);
}

// Issue 15 item 2: only a row that cannot be put on a resource or a date (not an object, a bad
// start_date, a resource or environment that is not an object) becomes malformed_billing_<key>.
TEST(BillingLines, malformed_rows_become_sentinel_lines_that_keep_what_can_be_read) {
  auto lines = billing_lines(window_of(R"([
    {"start_date":"2026-02-03","product":"KAFKA","line_type":"KAFKA_BASE","amount":2.5,
     "resource":"lkc-1"},
    {"start_date":"2026-02-03","product":"KAFKA","line_type":"KAFKA_BASE","amount":1,
     "resource":{"id":"lkc-2","environment":["env-1"]}},
    {"start_date":"02/03/2026","product":"KAFKA","line_type":"KAFKA_BASE","amount":1},
    "not an object"])"));
  ASSERT_EQ(lines.size(), 4u);
  const std::vector<std::string> expected_errors = {"resource is not an object",
                                                    "resource.environment is not an object",
                                                    "invalid start_date", "row is not an object"};
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].resource_id.rfind("malformed_billing_", 0), 0u) << lines[i].resource_id;
    EXPECT_EQ(lines[i].metadata["malformed"], true);
    EXPECT_EQ(lines[i].metadata["parse_error"], expected_errors[i]);
    EXPECT_TRUE(lines[i].metadata.contains("raw"));
  }
  EXPECT_EQ(lines[0].total_cost, "2.5");
  EXPECT_EQ(lines[0].date, "2026-02-03");
  EXPECT_EQ(lines[2].date, "2026-02-01");  // bad date: the window start
}

TEST(BillingLines, bad_informational_fields_leave_the_money_on_its_resource) {
  auto lines = billing_lines(window_of(R"([
    {"start_date":"2026-02-03","product":"KAFKA","line_type":"KAFKA_BASE","amount":2.5,
     "quantity":"n/a","price":{"x":1},"resource":{"id":"lkc-1","environment":{"id":"env-1"}}},
    {"start_date":"2026-02-03","product":"KAFKA","amount":1,"resource":{"id":"lkc-2"}}])"));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].resource_id, "lkc-1");
  EXPECT_EQ(lines[0].env_id, "env-1");
  EXPECT_EQ(lines[0].total_cost, "2.5");
  EXPECT_EQ(lines[0].quantity, "0");
  EXPECT_EQ(lines[0].unit_price, "0");
  EXPECT_EQ(lines[0].metadata["quantity_raw"], "n/a");
  EXPECT_EQ(lines[0].metadata["parse_error"], "quantity is not a number");
  EXPECT_FALSE(lines[0].metadata.contains("malformed"));
  EXPECT_EQ(lines[1].resource_id, "lkc-2");  // no line_type: the fallback allocator's
  EXPECT_EQ(lines[1].product_type, "UNKNOWN");
}

// A non-numeric amount cannot be allocated: the line stays on its resource with the raw value as
// its amount (the calculate stage reports it), never as zero.
TEST(BillingLines, a_non_numeric_amount_is_kept_raw_on_its_resource) {
  auto lines = billing_lines(window_of(R"([
    {"start_date":"2026-02-03","product":"KAFKA","line_type":"KAFKA_BASE","amount":"lots",
     "resource":{"id":"lkc-1"}},
    {"start_date":"2026-02-03","product":"KAFKA","line_type":"KAFKA_BASE","amount":2,
     "resource":{"id":"lkc-1"}}])"));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].resource_id, "lkc-1");
  EXPECT_EQ(lines[0].total_cost, "lots");
  EXPECT_EQ(lines[0].metadata["amount_raw"], "lots");
  EXPECT_EQ(lines[0].metadata["tiers"].size(), 2u);
}

TEST(BillingLines, null_amounts_count_as_zero_and_exponents_are_expanded) {
  auto lines = billing_lines(window_of(R"([
    {"start_date":"2026-02-01","product":"P","line_type":"T","amount":null,"quantity":1e-6,
     "price":2E1,"resource":{"id":"r"}}])"));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].total_cost, "0");
  EXPECT_EQ(lines[0].quantity, "0.000001");
  EXPECT_EQ(lines[0].unit_price, "20");
}

}  // namespace
}  // namespace chitragupt::ccloud
