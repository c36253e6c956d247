// resources, identities (filters, temporal filters, search, sort, tags) and inventory/summary.

#include "report/report_test_fixture.hpp"

namespace chitragupt::report {
namespace {

using testing::json;

class InventoryRoutes : public testing::ReportTest {
 protected:
  void SetUp() override {
    ReportTest::SetUp();
    if (not_runnable()) return;
    add_resource("lkc-b", "kafka_cluster", "2026-01-05 00:00:00", "Orders");
    add_resource("lkc-a", "kafka_cluster", "2026-01-20 00:00:00", "Payments");
    add_resource("env-1", "environment", "", "Prod env");
    add_identity("sa-1", "service_account", "2026-01-01 00:00:00");
    add_identity("u-1", "user");
    // lkc-b is deleted on 2026-01-25.
    ASSERT_TRUE(db_->execute("UPDATE resources SET status = 'deleted', deleted_at = ? "
                             "WHERE resource_id = 'lkc-b'",
                             {std::string("2026-01-25 00:00:00")})
                    .is_ok());
  }
  std::vector<std::string> ids(const json& page, const char* field = "resource_id") {
    std::vector<std::string> out;
    for (const auto& i : page["items"]) out.push_back(i[field]);
    return out;
  }
};
CHITRAGUPT_ON_BOTH_ENGINES(InventoryRoutes);

TEST_P(InventoryRoutes, resources_list_fields_and_filters) {
  json all = get_ok("/resources");
  EXPECT_EQ(all["total"], 3);
  EXPECT_EQ(ids(all), (std::vector<std::string>{"env-1", "lkc-a", "lkc-b"}));
  const json& b = all["items"][2];
  EXPECT_EQ(b["status"], "deleted");
  EXPECT_EQ(b["deleted_at"], "2026-01-25T00:00:00Z");
  EXPECT_EQ(b["created_at"], "2026-01-05T00:00:00Z");
  EXPECT_EQ(b["display_name"], "Orders");
  EXPECT_EQ(b["resource_type"], "kafka_cluster");
  EXPECT_EQ(b["parent_id"], nullptr);
  EXPECT_EQ(b["metadata"], json::object());
  EXPECT_EQ(ids(get_ok("/resources", {{"resource_type", "kafka_cluster"}, {"status", "active"}})),
            (std::vector<std::string>{"lkc-a"}));
  EXPECT_EQ(ids(get_ok("/resources", {{"search", "PAY"}})), (std::vector<std::string>{"lkc-a"}));
  EXPECT_EQ(ids(get_ok("/resources", {{"search", "%"}})), (std::vector<std::string>{}));
}

TEST_P(InventoryRoutes, resources_sort_with_nulls_last) {
  EXPECT_EQ(ids(get_ok("/resources", {{"sort_by", "created_at"}})),
            (std::vector<std::string>{"lkc-b", "lkc-a", "env-1"}));
  EXPECT_EQ(ids(get_ok("/resources", {{"sort_by", "created_at"}, {"sort_order", "desc"}})),
            (std::vector<std::string>{"lkc-a", "lkc-b", "env-1"}));
  EXPECT_EQ(ids(get_ok("/resources", {{"sort_order", "desc"}})),
            (std::vector<std::string>{"lkc-b", "lkc-a", "env-1"}));
  expect_bad(get("/resources", {{"sort_by", "password"}}), "sort_by");
  expect_bad(get("/resources", {{"sort_order", "up"}}), "sort_order");
}

TEST_P(InventoryRoutes, temporal_filters) {
  EXPECT_EQ(
      ids(get_ok("/resources", {{"active_at", "2026-01-10"}, {"resource_type", "kafka_cluster"}})),
      (std::vector<std::string>{"lkc-b"}));
  EXPECT_EQ(
      ids(get_ok("/resources", {{"active_at", "2026-01-26"}, {"resource_type", "kafka_cluster"}})),
      (std::vector<std::string>{"lkc-a"}));
  EXPECT_EQ(ids(get_ok("/resources", {{"period_start", "2026-01-21"},
                                      {"period_end", "2026-01-24"},
                                      {"resource_type", "kafka_cluster"}})),
            (std::vector<std::string>{"lkc-a", "lkc-b"}));
  // In New York, 2026-01-19 ends at 2026-01-20 05:00 UTC: lkc-a exists by then.
  EXPECT_EQ(ids(get_ok("/resources", {{"active_at", "2026-01-19T23:30"},
                                      {"timezone", "America/New_York"},
                                      {"resource_type", "kafka_cluster"}})),
            (std::vector<std::string>{"lkc-a", "lkc-b"}));
  expect_bad(get("/resources", {{"active_at", "2026-01-10"}, {"period_start", "2026-01-01"}}),
             "active_at");
  expect_bad(get("/resources", {{"period_start", "2026-01-01"}}), "period_end");
  expect_bad(get("/resources", {{"active_at", "tomorrow"}}), "active_at");
  expect_bad(get("/resources", {{"active_at", "2026-01-10"}, {"timezone", "X/Y"}}), "timezone");
  expect_bad(get("/resources", {{"period_start", "2026-02-01"}, {"period_end", "2026-01-01"}}),
             "start_date");
}

TEST_P(InventoryRoutes, identities_and_tag_filter) {
  json all = get_ok("/identities");
  EXPECT_EQ(ids(all, "identity_id"), (std::vector<std::string>{"sa-1", "u-1"}));
  EXPECT_EQ(all["items"][0]["identity_type"], "service_account");
  EXPECT_EQ(all["items"][1]["created_at"], nullptr);
  ASSERT_EQ(call("POST", "/tenants/{tenant}/entities/{entity_type}/{entity_id}/tags", {},
                 {{"entity_type", "identity"}, {"entity_id", "u-1"}},
                 R"({"tag_key":"team","tag_value":"a"})")
                .status,
            201);
  EXPECT_EQ(ids(get_ok("/identities", {{"tag_key", "team"}}), "identity_id"),
            (std::vector<std::string>{"u-1"}));
  EXPECT_EQ(ids(get_ok("/identities", {{"tag_key", "team"}, {"tag_value", "b"}}), "identity_id"),
            (std::vector<std::string>{}));
  EXPECT_EQ(ids(get_ok("/identities", {{"identity_type", "user"}}), "identity_id"),
            (std::vector<std::string>{"u-1"}));
}

TEST_P(InventoryRoutes, summary_counts_by_type) {
  json body = get_ok("/inventory/summary");
  EXPECT_EQ(body["resource_counts"],
            json({{"kafka_cluster", {{"total", 2}, {"active", 1}, {"deleted", 1}}},
                  {"environment", {{"total", 1}, {"active", 1}, {"deleted", 0}}}}));
  EXPECT_EQ(body["identity_counts"],
            json({{"service_account", {{"total", 1}, {"active", 1}, {"deleted", 0}}},
                  {"user", {{"total", 1}, {"active", 1}, {"deleted", 0}}}}));
}

}  // namespace
}  // namespace chitragupt::report
