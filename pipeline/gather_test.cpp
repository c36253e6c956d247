// The gather stage against a fake Confluent Cloud (loopback HTTP) into a real SQLite file and a
// real PostgreSQL database: rows without a resource keep one key however the window moves.

#include "pipeline/gather.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "ecosystems/ecosystem.hpp"
#include "sources/test_support.hpp"
#include "storage/engine_test_fixture.hpp"
#include "storage/migrator.hpp"

namespace chitragupt::pipeline {
namespace {

using nlohmann::json;

// A billing row of `date` with no resource at all (support plans, some promotional credits).
json resourceless_row(const std::string& date, const std::string& line_type,
                      const std::string& amount) {
  const auto next = ccloud::CivilDate::parse(date)->plus_days(1).to_string();
  return {{"start_date", date},     {"end_date", next},          {"product", "SUPPORT"},
          {"line_type", line_type}, {"quantity", "1"},           {"price", amount},
          {"amount", amount},       {"original_amount", amount}, {"unit", "Unit"}};
}

class GatherStage : public storage::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (not_runnable()) return;
    db_ = open();
    ASSERT_NE(db_, nullptr);
    storage::Migrator m(*db_);
    ASSERT_TRUE(m.upgrade().is_ok());

    auto& s = server_.server();
    s.Get("/org/v2/organizations", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(
          json{{"metadata", json::object()}, {"data", {{{"id", "org-1"}, {"display_name", "org"}}}}}
              .dump(),
          "application/json");
    });
    s.Get("/org/v2/environments", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(json{{"metadata", json::object()}, {"data", json::array()}}.dump(),
                      "application/json");
    });
    // Every day from 2026-02-01 has the same two resourceless rows. The answer for a window lists
    // a window-specific row first, so each row's position differs from one window to the next
    // (the original keyed such rows by that position).
    s.Get("/billing/v1/costs", [](const httplib::Request& req, httplib::Response& res) {
      auto start = ccloud::CivilDate::parse(req.get_param_value("start_date"));
      auto end = ccloud::CivilDate::parse(req.get_param_value("end_date"));
      json data = json::array();
      data.push_back(resourceless_row(start->to_string(), "PROMO_CREDIT", "0.0000"));
      for (auto d = *start; d < *end; d = d.plus_days(1)) {
        if (d < *ccloud::CivilDate::parse("2026-02-01")) continue;
        data.push_back(resourceless_row(d.to_string(), "SUPPORT", "10.0000"));
        data.push_back(resourceless_row(d.to_string(), "TAX", "1.2345"));
      }
      res.set_content(json{{"metadata", json::object()}, {"data", data}}.dump(),
                      "application/json");
    });
    server_.start();
  }

  Result<GatherReport> gather(const std::string& start, const std::string& end) {
    config::TenantConfig tenant;
    tenant.name = "t";
    tenant.tenant_id = "t";
    tenant.ecosystem = "confluent_cloud";
    tenant.plugin_settings = {
        {"ccloud_api",
         {{"key", "KEY"}, {"secret", "SECRET"}, {"base_url", server_.url()}, {"max_retries", 0}}}};
    auto ecosystem = ecosystems::create(tenant);
    if (!ecosystem) return ecosystem.status();
    GatherTarget target{*db_, "confluent_cloud", "t", "t"};
    return gather_ecosystem(**ecosystem, target,
                            {*ccloud::CivilDate::parse(start), *ccloud::CivilDate::parse(end)});
  }

  // (date, resource_id, amount) of every stored billing row of a resourceless product.
  std::multiset<std::string> stored_rows() {
    auto rows = db_->query(
        "SELECT substr(timestamp, 1, 10) || ' ' || resource_id || ' ' || product_type || ' ' || "
        "total_cost FROM ccloud_billing WHERE resource_id LIKE 'unresolved_billing_%'");
    EXPECT_TRUE(rows.is_ok()) << rows.error();
    std::multiset<std::string> out;
    if (rows)
      for (const auto& r : *rows) out.insert(r.get_text(0));
    return out;
  }

  ccloud::testing::FakeServer server_;
  std::unique_ptr<storage::Database> db_;
};

TEST_P(GatherStage, rows_without_a_resource_are_stored_once_when_the_window_moves) {
  // Lookback window [02-01, 02-04), then the same lookback one day later [02-02, 02-05).
  auto first = gather("2026-02-01", "2026-02-04");
  ASSERT_TRUE(first.is_ok()) << first.error();
  const auto after_first = stored_rows();
  auto second = gather("2026-02-02", "2026-02-05");
  ASSERT_TRUE(second.is_ok()) << second.error();
  const auto after_second = stored_rows();

  // Days 02-01..02-04: two rows each (SUPPORT, TAX) and the zero PROMO_CREDIT rows of the two
  // windows' first days — each exactly once, not once per window it appeared in.
  std::map<std::string, int> per_day;
  std::set<std::string> distinct(after_second.begin(), after_second.end());
  EXPECT_EQ(distinct.size(), after_second.size()) << "a row was stored twice";
  for (const auto& row : after_second) per_day[row.substr(0, 10)]++;
  EXPECT_EQ(per_day,
            (std::map<std::string, int>{
                {"2026-02-01", 3}, {"2026-02-02", 3}, {"2026-02-03", 2}, {"2026-02-04", 2}}));
  // The rows of the overlapping days kept the keys the first gather gave them.
  for (const auto& row : after_first) {
    if (row.substr(0, 10) != "2026-02-01") {
      EXPECT_EQ(after_second.count(row), 1u) << row;
    }
  }
  // Total billed per overlapping day is the invoice's, not a multiple of it.
  auto totals =
      db_->query("SELECT COUNT(*) FROM ccloud_billing WHERE timestamp LIKE '2026-02-03%'");
  ASSERT_TRUE(totals.is_ok()) << totals.error();
  EXPECT_EQ(totals->front().get_int(0), 2);
}

CHITRAGUPT_ON_BOTH_ENGINES(GatherStage);

}  // namespace
}  // namespace chitragupt::pipeline
