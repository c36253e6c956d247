// chargebacks, chargebacks/dates, chargebacks/allocation-issues, chargebacks/{dimension_id},
// and the parameter rules they share, on SQLite and PostgreSQL.

#include "report/report_test_fixture.hpp"

namespace chitragupt::report {
namespace {

using testing::fact;
using testing::json;

class ChargebackRoutes : public testing::ReportTest {
 protected:
  void SetUp() override {
    ReportTest::SetUp();
    if (not_runnable()) return;
    add_resource("lkc-1", "kafka_cluster");
    add_resource("lkc-2", "kafka_cluster");
    add_identity("sa-1", "service_account");
    add_identity("sa-2", "service_account");
    auto failed = fact("2026-01-11 00:00:00", "u-1", 1, "shared", "lkc-2");
    failed.allocation_method = "ALLOCATION_FAILED";
    failed.allocation_detail = "no_metrics_located";
    write_facts({fact("2026-01-10 00:00:00", "sa-1", 12345),
                 fact("2026-01-10 00:00:00", "sa-2", 20000),
                 fact("2026-01-10 00:00:00", "sa-1", 5000, "shared", "lkc-2"),
                 fact("2026-01-11 00:00:00", "sa-1", 10000), failed});
  }
  std::vector<std::pair<std::string, std::string>> january(
      std::vector<std::pair<std::string, std::string>> more = {}) {
    more.emplace_back("start_date", "2026-01-01");
    more.emplace_back("end_date", "2026-01-31");
    return more;
  }
};
CHITRAGUPT_ON_BOTH_ENGINES(ChargebackRoutes);

TEST_P(ChargebackRoutes, chargebacks_lists_rows_in_time_order_with_exact_amounts) {
  json body = get_ok("/chargebacks", january());
  ASSERT_EQ(body["total"], 5);
  EXPECT_EQ(body["page"], 1);
  EXPECT_EQ(body["page_size"], 100);
  EXPECT_EQ(body["pages"], 1);
  const json& first = body["items"][0];
  EXPECT_EQ(first["timestamp"], "2026-01-10T00:00:00Z");
  EXPECT_EQ(first["identity_id"], "sa-1");
  EXPECT_EQ(first["amount"], "1.2345");
  EXPECT_EQ(first["cost_type"], "usage");
  EXPECT_EQ(first["resource_id"], "lkc-1");
  EXPECT_EQ(first["product_type"], "KAFKA_NUM_CKU");
  EXPECT_EQ(first["allocation_method"], "usage_ratio");
  EXPECT_EQ(first["ecosystem"], "confluent_cloud");
  EXPECT_EQ(first["tenant_id"], "t1");
  EXPECT_EQ(first["metadata"], json({{"env_id", "env-1"}}));
  EXPECT_EQ(first["tags"], json::object());
  EXPECT_EQ(body["items"][4]["amount"], "0.0001");
}

TEST_P(ChargebackRoutes, chargebacks_filters_by_columns_and_dates) {
  json body = get_ok("/chargebacks", january({{"identity_id", "sa-1"}, {"cost_type", "usage"}}));
  ASSERT_EQ(body["total"], 2);
  EXPECT_EQ(body["items"][0]["amount"], "1.2345");
  EXPECT_EQ(body["items"][1]["amount"], "1.0000");
  json one_day = get_ok("/chargebacks", {{"start_date", "2026-01-11"}, {"end_date", "2026-01-11"}});
  EXPECT_EQ(one_day["total"], 2);
  // In Los Angeles (UTC-8) both 00:00 UTC instants fall on the previous local day.
  json la_11 = get_ok("/chargebacks", {{"start_date", "2026-01-11"},
                                       {"end_date", "2026-01-11"},
                                       {"timezone", "America/Los_Angeles"}});
  EXPECT_EQ(la_11["total"], 0);
  json la_10 = get_ok("/chargebacks", {{"start_date", "2026-01-10"},
                                       {"end_date", "2026-01-10"},
                                       {"timezone", "America/Los_Angeles"}});
  EXPECT_EQ(la_10["total"], 2);
}

TEST_P(ChargebackRoutes, chargebacks_sort_by_a_column_on_the_server_with_a_total_order) {
  auto amounts = [](const json& body) {
    std::vector<std::string> out;
    for (const auto& item : body["items"]) out.push_back(item["amount"]);
    return out;
  };
  json desc = get_ok("/chargebacks", january({{"sort_by", "amount"}, {"sort_order", "desc"}}));
  EXPECT_EQ(amounts(desc),
            (std::vector<std::string>{"2.0000", "1.2345", "1.0000", "0.5000", "0.0001"}));
  // Numbers sort as numbers (12345 > 5000 units), not as text.
  json asc = get_ok("/chargebacks", january({{"sort_by", "amount"}}));
  EXPECT_EQ(amounts(asc),
            (std::vector<std::string>{"0.0001", "0.5000", "1.0000", "1.2345", "2.0000"}));
  // Ties (sa-1 has three rows) keep time order, so pages never overlap.
  json by_identity =
      get_ok("/chargebacks", january({{"sort_by", "identity_id"}, {"sort_order", "desc"}}));
  std::vector<std::string> ids;
  for (const auto& item : by_identity["items"]) ids.push_back(item["identity_id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"u-1", "sa-2", "sa-1", "sa-1", "sa-1"}));
  EXPECT_EQ(by_identity["items"][2]["timestamp"], "2026-01-10T00:00:00Z");
  EXPECT_EQ(by_identity["items"][4]["timestamp"], "2026-01-11T00:00:00Z");
  json second_page = get_ok(
      "/chargebacks",
      january({{"sort_by", "amount"}, {"sort_order", "desc"}, {"page", "2"}, {"page_size", "2"}}));
  EXPECT_EQ(amounts(second_page), (std::vector<std::string>{"1.0000", "0.5000"}));
  expect_bad(get("/chargebacks", {{"sort_by", "tags"}}), "sort_by");
  expect_bad(get("/chargebacks", {{"sort_by", "amount"}, {"sort_order", "up"}}), "sort_order");
}

TEST_P(ChargebackRoutes, chargebacks_pagination_edges) {
  json last = get_ok("/chargebacks", january({{"page", "3"}, {"page_size", "2"}}));
  EXPECT_EQ(last["total"], 5);
  EXPECT_EQ(last["pages"], 3);
  ASSERT_EQ(last["items"].size(), 1u);
  EXPECT_EQ(last["items"][0]["identity_id"], "u-1");
  json beyond = get_ok("/chargebacks", january({{"page", "4"}, {"page_size", "2"}}));
  EXPECT_EQ(beyond["total"], 5);
  EXPECT_TRUE(beyond["items"].empty());
  json empty = get_ok("/chargebacks", {{"start_date", "2025-01-01"}, {"end_date", "2025-01-31"}});
  EXPECT_EQ(empty["total"], 0);
  EXPECT_EQ(empty["pages"], 0);
  EXPECT_TRUE(empty["items"].empty());
}

TEST_P(ChargebackRoutes, every_bad_parameter_is_a_400_naming_it) {
  expect_bad(get("/chargebacks", {{"start_date", "2026-13-01"}}), "start_date");
  expect_bad(get("/chargebacks", {{"end_date", "soon"}}), "end_date");
  expect_bad(get("/chargebacks", {{"start_date", "2026-02-01"}, {"end_date", "2026-01-31"}}),
             "start_date");
  expect_bad(get("/chargebacks", {{"timezone", "Mars/Base"}}), "timezone");
  expect_bad(get("/chargebacks", {{"page", "0"}}), "page");
  expect_bad(get("/chargebacks", {{"page", "x"}}), "page");
  expect_bad(get("/chargebacks", {{"page_size", "1001"}}), "page_size");
  expect_bad(get("/chargebacks", {{"page_size", "0"}}), "page_size");
  expect_bad(get("/chargebacks", {{"tag_key", "bad key!"}}), "tag_key");
  expect_bad(get("/chargebacks", {{"tag_value", "x"}}), "tag_value");
  expect_bad(get("/chargebacks/{dimension_id}", {}, {{"dimension_id", "abc"}}), "dimension_id");
}

TEST_P(ChargebackRoutes, input_is_not_echoed_unescaped) {
  Response r = get("/chargebacks", {{"timezone", "<script>\"x\"</script>"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body.find("\"x\"</script>"), std::string::npos) << r.body;
  EXPECT_TRUE(json::parse(r.body, nullptr, false).is_object());
}

TEST_P(ChargebackRoutes, dates_lists_distinct_utc_days_newest_first) {
  json body = get_ok("/chargebacks/dates");
  EXPECT_EQ(body, json({{"dates", {"2026-01-11", "2026-01-10"}}}));
}

TEST_P(ChargebackRoutes, allocation_issues_groups_failed_rows) {
  json body = get_ok("/chargebacks/allocation-issues", january());
  ASSERT_EQ(body["total"], 1);
  const json& issue = body["items"][0];
  EXPECT_EQ(issue["identity_id"], "u-1");
  EXPECT_EQ(issue["resource_id"], "lkc-2");
  EXPECT_EQ(issue["env_id"], "env-1");
  EXPECT_EQ(issue["allocation_detail"], "no_metrics_located");
  EXPECT_EQ(issue["row_count"], 1);
  EXPECT_EQ(issue["usage_cost"], "0.0000");
  EXPECT_EQ(issue["shared_cost"], "0.0001");
  EXPECT_EQ(issue["total_cost"], "0.0001");
}

TEST_P(ChargebackRoutes, dimension_by_id_and_404_for_unknown) {
  json rows = get_ok("/chargebacks", january({{"identity_id", "sa-2"}}));
  ASSERT_EQ(rows["total"], 1);
  const std::string id = std::to_string(rows["items"][0]["dimension_id"].get<std::int64_t>());
  json dim = get_ok("/chargebacks/{dimension_id}", {}, {{"dimension_id", id}});
  EXPECT_EQ(dim["identity_id"], "sa-2");
  EXPECT_EQ(dim["env_id"], "env-1");
  EXPECT_EQ(dim["allocation_detail"], "usage_ratio_allocation");
  EXPECT_EQ(dim["tags"], json::object());
  Response missing = get("/chargebacks/{dimension_id}", {}, {{"dimension_id", "999999"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(json::parse(missing.body)["error"]["code"], "not_found");
}

TEST_P(ChargebackRoutes, unknown_route_and_pipeline_run_answer_404) {
  EXPECT_EQ(get("/nothing").status, 404);
  EXPECT_EQ(call("POST", "/tenants/{tenant}/pipeline/run").status, 404);
  EXPECT_EQ(call("DELETE", "/tenants/{tenant}/chargebacks").status, 404);
}

TEST(ReportRoutes, routes_are_unique_and_include_pipeline_run) {
  std::set<std::string> seen;
  bool has_run = false;
  for (const Route& r : routes()) {
    EXPECT_TRUE(seen.insert(r.method + " " + r.route).second) << r.route;
    EXPECT_FALSE(r.summary.empty()) << r.route;
    has_run = has_run || (r.method == "POST" && r.route == "/tenants/{tenant}/pipeline/run");
  }
  EXPECT_TRUE(has_run);
  // 22 + the four focus/exports routes + four topic-attribution and four graph routes
  EXPECT_EQ(routes().size(), 34u);
}

}  // namespace
}  // namespace chitragupt::report
