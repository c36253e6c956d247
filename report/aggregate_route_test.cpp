// chargebacks/aggregate on SQLite and PostgreSQL: groups, totals, tags, time buckets in a zone
// (around both 2026 DST changes in New York), and its 400s.

#include "report/report_test_fixture.hpp"
#include "report/zone_time.hpp"

namespace chitragupt::report {
namespace {

using testing::fact;
using testing::json;

class AggregateRoute : public testing::ReportTest {
 protected:
  void seed() {
    add_resource("lkc-1", "kafka_cluster");
    add_resource("lkc-2", "kafka_cluster");
    add_identity("sa-1", "service_account");
    add_identity("sa-2", "service_account");
    write_facts({fact("2026-01-10 00:00:00", "sa-1", 12345),
                 fact("2026-01-10 00:00:00", "sa-2", 20000),
                 fact("2026-01-10 00:00:00", "sa-1", 5000, "shared", "lkc-2"),
                 fact("2026-01-11 00:00:00", "sa-1", 10000),
                 fact("2026-01-11 00:00:00", "u-1", 1, "shared", "lkc-2")});
  }
  // One fact of 1.0000 every UTC hour in [from, to).
  void hourly(const std::string& from_day, int days) {
    std::vector<storage::ChargebackFactRecord> rows;
    std::int64_t start = *parse_day(from_day) * 86400;
    for (int h = 0; h < days * 24; ++h) {
      std::int64_t t = start + h * 3600;
      std::string ts = format_day(t / 86400);
      char hms[16];
      std::snprintf(hms, sizeof hms, " %02d:00:00", static_cast<int>(t % 86400 / 3600));
      rows.push_back(fact(ts + hms, "sa-1", 10000));
    }
    write_facts(rows);
  }
  json aggregate(std::vector<std::pair<std::string, std::string>> query) {
    return get_ok("/chargebacks/aggregate", std::move(query));
  }
};
CHITRAGUPT_ON_BOTH_ENGINES(AggregateRoute);

TEST_P(AggregateRoute, groups_by_identity_and_day_with_exact_totals) {
  seed();
  json body = aggregate({{"start_date", "2026-01-01"}, {"end_date", "2026-01-31"}});
  EXPECT_EQ(body["total_amount"], "4.7346");
  EXPECT_EQ(body["usage_amount"], "4.2345");
  EXPECT_EQ(body["shared_amount"], "0.5001");
  EXPECT_EQ(body["total_rows"], 5);
  json expected = json::array();
  expected.push_back({{"dimensions", {{"identity_id", "sa-1"}}},
                      {"time_bucket", "2026-01-10"},
                      {"total_amount", "1.7345"},
                      {"usage_amount", "1.2345"},
                      {"shared_amount", "0.5000"},
                      {"row_count", 2}});
  expected.push_back({{"dimensions", {{"identity_id", "sa-2"}}},
                      {"time_bucket", "2026-01-10"},
                      {"total_amount", "2.0000"},
                      {"usage_amount", "2.0000"},
                      {"shared_amount", "0.0000"},
                      {"row_count", 1}});
  expected.push_back({{"dimensions", {{"identity_id", "sa-1"}}},
                      {"time_bucket", "2026-01-11"},
                      {"total_amount", "1.0000"},
                      {"usage_amount", "1.0000"},
                      {"shared_amount", "0.0000"},
                      {"row_count", 1}});
  expected.push_back({{"dimensions", {{"identity_id", "u-1"}}},
                      {"time_bucket", "2026-01-11"},
                      {"total_amount", "0.0001"},
                      {"usage_amount", "0.0000"},
                      {"shared_amount", "0.0001"},
                      {"row_count", 1}});
  EXPECT_EQ(body["buckets"], expected);
}

TEST_P(AggregateRoute, several_group_by_and_month_bucket) {
  seed();
  json body = aggregate({{"start_date", "2026-01-01"},
                         {"end_date", "2026-01-31"},
                         {"group_by", "resource_id"},
                         {"group_by", "cost_type"},
                         {"time_bucket", "month"}});
  ASSERT_EQ(body["buckets"].size(), 2u);
  EXPECT_EQ(body["buckets"][0]["dimensions"],
            json({{"resource_id", "lkc-1"}, {"cost_type", "usage"}}));
  EXPECT_EQ(body["buckets"][0]["total_amount"], "4.2345");
  EXPECT_EQ(body["buckets"][0]["time_bucket"], "2026-01");
  EXPECT_EQ(body["buckets"][1]["dimensions"],
            json({{"resource_id", "lkc-2"}, {"cost_type", "shared"}}));
  EXPECT_EQ(body["buckets"][1]["total_amount"], "0.5001");
  EXPECT_EQ(body["buckets"][1]["row_count"], 2);
  json env = aggregate(
      {{"start_date", "2026-01-01"}, {"end_date", "2026-01-31"}, {"group_by", "environment_id"}});
  ASSERT_EQ(env["buckets"].size(), 2u);
  EXPECT_EQ(env["buckets"][0]["dimensions"], json({{"environment_id", "env-1"}}));
}

TEST_P(AggregateRoute, groups_and_filters_by_tags_with_untagged_rows) {
  seed();
  Response tagged = call("POST", "/tenants/{tenant}/entities/{entity_type}/{entity_id}/tags", {},
                         {{"entity_type", "identity"}, {"entity_id", "sa-1"}},
                         R"({"tag_key":"team","tag_value":"payments"})");
  ASSERT_EQ(tagged.status, 201) << tagged.body;
  // The resource's tag wins over the identity's for rows of lkc-2.
  ASSERT_EQ(call("POST", "/tenants/{tenant}/entities/{entity_type}/{entity_id}/tags", {},
                 {{"entity_type", "resource"}, {"entity_id", "lkc-2"}},
                 R"({"tag_key":"team","tag_value":"platform"})")
                .status,
            201);
  json body = aggregate({{"start_date", "2026-01-01"},
                         {"end_date", "2026-01-31"},
                         {"group_by", "tag:team"},
                         {"time_bucket", "month"}});
  ASSERT_EQ(body["buckets"].size(), 3u) << body.dump();
  std::map<std::string, std::string> by_team;
  for (const auto& b : body["buckets"]) by_team[b["dimensions"]["tag:team"]] = b["total_amount"];
  EXPECT_EQ(by_team["payments"], "2.2345");  // sa-1 on lkc-1
  EXPECT_EQ(by_team["platform"], "0.5001");  // everything on lkc-2
  EXPECT_EQ(by_team["UNTAGGED"], "2.0000");  // sa-2
  json filtered = aggregate({{"start_date", "2026-01-01"},
                             {"end_date", "2026-01-31"},
                             {"tag:team", "payments,UNTAGGED"},
                             {"time_bucket", "month"}});
  EXPECT_EQ(filtered["total_amount"], "4.2345");
  json by_chargebacks = get_ok("/chargebacks", {{"start_date", "2026-01-01"},
                                                {"end_date", "2026-01-31"},
                                                {"tag_key", "team"},
                                                {"tag_value", "platform"}});
  EXPECT_EQ(by_chargebacks["total"], 2);
  EXPECT_EQ(by_chargebacks["items"][0]["tags"], json({{"team", "platform"}}));
}

TEST_P(AggregateRoute, new_york_spring_forward_day_has_23_hours) {
  hourly("2026-03-07", 3);
  json day = aggregate(
      {{"start_date", "2026-03-08"}, {"end_date", "2026-03-08"}, {"timezone", "America/New_York"}});
  ASSERT_EQ(day["buckets"].size(), 1u);
  EXPECT_EQ(day["buckets"][0]["time_bucket"], "2026-03-08");
  EXPECT_EQ(day["total_amount"], "23.0000");
  EXPECT_EQ(day["total_rows"], 23);
  json hours = aggregate({{"start_date", "2026-03-08"},
                          {"end_date", "2026-03-08"},
                          {"timezone", "America/New_York"},
                          {"time_bucket", "hour"}});
  ASSERT_EQ(hours["buckets"].size(), 23u);
  EXPECT_EQ(hours["buckets"][0]["time_bucket"], "2026-03-08T00:00:00-05:00");
  EXPECT_EQ(hours["buckets"][1]["time_bucket"], "2026-03-08T01:00:00-05:00");
  EXPECT_EQ(hours["buckets"][2]["time_bucket"], "2026-03-08T03:00:00-04:00");
  EXPECT_EQ(hours["buckets"][22]["time_bucket"], "2026-03-08T23:00:00-04:00");
}

TEST_P(AggregateRoute, new_york_fall_back_day_has_25_hours_and_two_one_oclocks) {
  hourly("2026-10-31", 3);
  json day = aggregate(
      {{"start_date", "2026-11-01"}, {"end_date", "2026-11-01"}, {"timezone", "America/New_York"}});
  ASSERT_EQ(day["buckets"].size(), 1u);
  EXPECT_EQ(day["total_amount"], "25.0000");
  json hours = aggregate({{"start_date", "2026-11-01"},
                          {"end_date", "2026-11-01"},
                          {"timezone", "America/New_York"},
                          {"time_bucket", "hour"}});
  ASSERT_EQ(hours["buckets"].size(), 25u);
  EXPECT_EQ(hours["buckets"][1]["time_bucket"], "2026-11-01T01:00:00-04:00");
  EXPECT_EQ(hours["buckets"][2]["time_bucket"], "2026-11-01T01:00:00-05:00");
  EXPECT_EQ(hours["buckets"][2]["total_amount"], "1.0000");
  // The same UTC data in UTC: a 24-hour day.
  json utc = aggregate({{"start_date", "2026-11-01"}, {"end_date", "2026-11-01"}});
  EXPECT_EQ(utc["total_amount"], "24.0000");
}

TEST_P(AggregateRoute, week_buckets_are_iso_weeks_in_the_zone) {
  hourly("2026-03-07", 3);  // Sat 7th .. Mon 9th UTC
  json weeks = aggregate({{"start_date", "2026-03-07"},
                          {"end_date", "2026-03-09"},
                          {"timezone", "America/New_York"},
                          {"time_bucket", "week"}});
  ASSERT_EQ(weeks["buckets"].size(), 2u);
  EXPECT_EQ(weeks["buckets"][0]["time_bucket"], "2026-W10");
  EXPECT_EQ(weeks["buckets"][1]["time_bucket"], "2026-W11");
  // 7th 05:00Z .. 9th 04:00Z is week 10 (47 h); the rest up to the 10th 04:00Z (data ends at
  // the 10th 00:00Z) is week 11: 20 h.
  EXPECT_EQ(weeks["buckets"][0]["total_amount"], "47.0000");
  EXPECT_EQ(weeks["buckets"][1]["total_amount"], "20.0000");
}

TEST_P(AggregateRoute, bad_parameters_are_400_naming_them) {
  expect_bad(get("/chargebacks/aggregate", {{"group_by", "colour"}}), "group_by");
  expect_bad(get("/chargebacks/aggregate", {{"group_by", "tag:bad key"}}), "group_by");
  expect_bad(get("/chargebacks/aggregate", {{"group_by", "tag:"}}), "group_by");
  expect_bad(get("/chargebacks/aggregate", {{"tag:-x", "a"}}), "tag:<key>");
  expect_bad(get("/chargebacks/aggregate", {{"time_bucket", "fortnight"}}), "time_bucket");
  expect_bad(get("/chargebacks/aggregate", {{"timezone", "Nowhere/City"}}), "timezone");
  expect_bad(
      get("/chargebacks/aggregate", {{"start_date", "2026-03-02"}, {"end_date", "2026-03-01"}}),
      "start_date");
  expect_bad(get("/chargebacks/aggregate", {{"end_date", "2026-02-30"}}), "end_date");
  expect_bad(
      get("/chargebacks/aggregate", {{"start_date", "1900-01-01"}, {"end_date", "2026-01-01"}}),
      "start_date");
  expect_bad(
      get("/chargebacks/aggregate",
          {{"start_date", "2020-01-01"}, {"end_date", "2026-01-01"}, {"time_bucket", "hour"}}),
      "start_date");
}

TEST_P(AggregateRoute, empty_range_gives_zero_totals) {
  seed();
  json body = aggregate({{"start_date", "2025-01-01"}, {"end_date", "2025-01-02"}});
  EXPECT_EQ(body, json({{"buckets", json::array()},
                        {"total_amount", "0.0000"},
                        {"usage_amount", "0.0000"},
                        {"shared_amount", "0.0000"},
                        {"total_rows", 0}}));
}

}  // namespace
}  // namespace chitragupt::report
