// `chitragupt summary`: the month's billed vs allocated totals and the top identities, read from
// a tenant database on SQLite and PostgreSQL.

#include "cli/summary_command.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "storage/billing_store.hpp"
#include "storage/engine_test_fixture.hpp"
#include "storage/migrator.hpp"

namespace chitragupt::cli {
namespace {

using storage::BillingRecord;

class SummaryCommand : public storage::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (not_runnable()) return;
    url_ = url("summary");
    db_ = open("summary");
    ASSERT_TRUE(db_);
    ASSERT_TRUE(storage::Migrator(*db_).upgrade().is_ok());
  }

  void bill(const std::string& date, const std::string& resource, const std::string& cost) {
    BillingRecord b;
    b.timestamp = date + " 00:00:00";
    b.env_id = "env-1";
    b.resource_id = resource;
    b.product_type = "KAFKA_NUM_CKU";
    b.product_category = "KAFKA";
    b.quantity = "1";
    b.unit_price = cost;
    b.total_cost = cost;
    storage::BillingStore store(*db_, "confluent_cloud", "acme");
    ASSERT_TRUE(store.upsert({b}).is_ok());
  }

  void fact(const std::string& date, const std::string& identity, std::int64_t units) {
    auto id = db_->query(
        "SELECT dimension_id FROM chargeback_dimensions WHERE ecosystem = ? AND tenant_id = ? "
        "AND identity_id = ?",
        {std::string("confluent_cloud"), std::string("acme"), identity});
    ASSERT_TRUE(id) << id.error();
    if (id->empty()) {
      ASSERT_TRUE(db_->execute("INSERT INTO chargeback_dimensions (ecosystem, tenant_id, "
                               "resource_id, identity_id, cost_type) VALUES (?, ?, 'lkc-1', ?, "
                               "'usage')",
                               {std::string("confluent_cloud"), std::string("acme"), identity})
                      .is_ok());
      id = db_->query("SELECT dimension_id FROM chargeback_dimensions WHERE identity_id = ?",
                      {identity});
      ASSERT_TRUE(id && !id->empty());
    }
    ASSERT_TRUE(db_->execute("INSERT INTO chargeback_facts (timestamp, dimension_id, amount) "
                             "VALUES (?, ?, ?)",
                             {date + " 00:00:00", id->front().get_int(0), units})
                    .is_ok());
  }

  void calculated(const std::set<std::string>& dates) {
    storage::BillingStore store(*db_, "confluent_cloud", "acme");
    ASSERT_TRUE(store.mark_gathered(dates, {}).is_ok());
    for (const auto& d : dates) ASSERT_TRUE(store.mark_calculated(d, 0, "c").is_ok());
  }

  std::string url_;
  std::unique_ptr<storage::Database> db_;
};
CHITRAGUPT_ON_BOTH_ENGINES(SummaryCommand);

TEST_P(SummaryCommand, totals_cover_only_the_month_and_rank_identities_by_cost) {
  ASSERT_TRUE(db_->execute("INSERT INTO identities (ecosystem, tenant_id, identity_id, "
                           "identity_type, display_name) VALUES ('confluent_cloud', 'acme', "
                           "'sa-big', 'service_account', 'orders')")
                  .is_ok());
  // Sub-cent billed amounts are quantized per line as the allocation quantizes them.
  bill("2026-10-01", "lkc-1", "10.00005");  // 10.0001
  bill("2026-10-31", "lkc-1", "2.5");
  bill("2026-11-01", "lkc-1", "99");  // next month: not counted
  bill("2026-09-30", "lkc-1", "77");  // previous month: not counted
  calculated({"2026-09-30", "2026-10-01", "2026-10-31", "2026-11-01"});
  fact("2026-10-01", "sa-big", 80001);
  fact("2026-10-01", "sa-small", 20000);
  fact("2026-10-31", "sa-small", 25000);
  fact("2026-11-01", "sa-small", 990000);

  auto s = summarize_month(*db_, "confluent_cloud", "acme", "2026-10", 5);
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->days_in_month, 31);
  EXPECT_EQ(s->days_calculated, 2);
  EXPECT_EQ(s->days_pending, 0);
  EXPECT_EQ(s->billing_lines, 2);
  EXPECT_EQ(s->billed_units, 125001);
  EXPECT_EQ(s->allocated_units, 125001);
  ASSERT_EQ(s->top.size(), 2u);
  EXPECT_EQ(s->top[0].identity_id, "sa-big");
  EXPECT_EQ(s->top[0].display_name, "orders");
  EXPECT_EQ(s->top[0].units, 80001);
  EXPECT_EQ(s->top[1].identity_id, "sa-small");
  EXPECT_EQ(s->top[1].units, 45000);

  auto top1 = summarize_month(*db_, "confluent_cloud", "acme", "2026-10", 1);
  ASSERT_TRUE(top1);
  EXPECT_EQ(top1->top.size(), 1u);
}

TEST_P(SummaryCommand, billing_of_days_not_yet_calculated_is_reported_as_pending) {
  bill("2026-10-01", "lkc-1", "3");
  bill("2026-10-02", "lkc-1", "4");
  calculated({"2026-10-01"});
  storage::BillingStore store(*db_, "confluent_cloud", "acme");
  ASSERT_TRUE(store.mark_gathered({"2026-10-02"}, {}).is_ok());
  fact("2026-10-01", "sa-1", 30000);
  auto s = summarize_month(*db_, "confluent_cloud", "acme", "2026-10", 5);
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->days_calculated, 1);
  EXPECT_EQ(s->days_pending, 1);
  EXPECT_EQ(s->billed_units, 30000);  // only the calculated day
  EXPECT_EQ(s->allocated_units, 30000);
}

TEST_P(SummaryCommand, command_prints_balanced_totals_and_fails_on_a_mismatch) {
  bill("2026-10-05", "lkc-1", "1234.5");
  calculated({"2026-10-05"});
  fact("2026-10-05", "sa-1", 12345000);
  storage::testing::TempDir dir;
  std::string config = dir.path() + "/c.yaml";
  std::ofstream(config) << "tenants:\n  acme-prod:\n    ecosystem: confluent_cloud\n"
                           "    tenant_id: acme\n    storage:\n      connection_string: \""
                        << url_
                        << "\"\n    plugin_settings:\n      ccloud_api: {key: k, secret: s}\n";
  std::ostringstream out, err;
  int code = run_summary_command({"--config-file", config, "--month", "2026-10"}, out, err);
  EXPECT_EQ(code, 0) << err.str();
  EXPECT_NE(out.str().find("acme-prod (confluent_cloud) — 2026-10: 1 of 31 days calculated"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("1,234.5000"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("= billed, to the cent"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find(url_), std::string::npos) << "the connection string leaked";

  fact("2026-10-06", "sa-1", 1);  // a fact without billing: allocated > billed
  std::ostringstream out2, err2;
  code = run_summary_command({"--config-file", config, "--month", "2026-10"}, out2, err2);
  EXPECT_EQ(code, 1);
  EXPECT_NE(out2.str().find("MISMATCH: differs by 0.0001"), std::string::npos) << out2.str();
}

TEST(SummaryCommandArgs, usage_errors_exit_2_and_name_the_problem) {
  std::ostringstream out, err;
  EXPECT_EQ(run_summary_command({}, out, err), 2);
  EXPECT_NE(err.str().find("--config-file is required"), std::string::npos);
  std::ostringstream err2;
  EXPECT_EQ(run_summary_command({"--config-file", "x", "--month", "2026-13"}, out, err2), 2);
  EXPECT_NE(err2.str().find("--month must be YYYY-MM, not '2026-13'"), std::string::npos);
  std::ostringstream err3;
  EXPECT_EQ(run_summary_command({"--config-file", "x", "--top", "0"}, out, err3), 2);
  EXPECT_NE(err3.str().find("--top"), std::string::npos);
}

TEST(SummaryCommandFormat, amounts_get_thousands_separators_and_four_decimals) {
  EXPECT_EQ(format_amount(0), "0.0000");
  EXPECT_EQ(format_amount(12345), "1.2345");
  EXPECT_EQ(format_amount(123456789012), "12,345,678.9012");
  EXPECT_EQ(format_amount(-10000000), "-1,000.0000");
  EXPECT_EQ(previous_month("2026-11-25"), "2026-10");
  EXPECT_EQ(previous_month("2027-01-03"), "2026-12");
}

}  // namespace
}  // namespace chitragupt::cli
