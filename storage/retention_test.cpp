#include "storage/retention.hpp"

#include <gtest/gtest.h>

#include "storage/engine_test_fixture.hpp"
#include "storage/migrator.hpp"

namespace chitragupt::storage {
namespace {

const char* const kEco = "confluent_cloud";
const char* const kTenant = "prod";

// 2026-03-15 12:34:56 UTC; with 10 retention days the cutoff is 2026-03-05 12:34:56 and the
// day cutoff 2026-03-05 00:00:00.
std::time_t test_now() {
  std::tm tm{};
  tm.tm_year = 2026 - 1900;
  tm.tm_mon = 2;
  tm.tm_mday = 15;
  tm.tm_hour = 12;
  tm.tm_min = 34;
  tm.tm_sec = 56;
  return timegm(&tm);
}
constexpr int kDays = 10;

class RetentionTest : public testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (not_runnable()) return;
    db_ = open("retention");
    ASSERT_TRUE(db_);
    auto report = Migrator(*db_).upgrade();
    ASSERT_TRUE(report) << report.error();
  }

  void exec(const std::string& sql, const Params& params = {}) {
    auto s = db_->execute(sql, params);
    ASSERT_TRUE(s) << sql << ": " << s.message();
  }
  std::int64_t count(const std::string& sql, const Params& params = {}) {
    auto rows = db_->query(sql, params);
    EXPECT_TRUE(rows) << sql << ": " << rows.error();
    return rows && !rows->empty() ? rows->front().get_int(0) : -1;
  }
  // The first column of every row `sql` returns.
  std::vector<std::string> column(const std::string& sql) {
    auto rows = db_->query(sql);
    EXPECT_TRUE(rows) << sql << ": " << rows.error();
    std::vector<std::string> out;
    if (rows) {
      for (const Row& r : *rows) out.push_back(r.get_text(0));
    }
    return out;
  }

  void billing(const std::string& table, const std::string& tenant, const std::string& ts,
               const std::string& resource = "lkc-1") {
    exec("INSERT INTO " + table +
             " (ecosystem, tenant_id, timestamp, resource_id, product_type, product_category, "
             "quantity, unit_price, total_cost) VALUES (?, ?, ?, ?, 'KAFKA_NUM_CKU', 'KAFKA', "
             "'1', '2.5', '2.5')",
         {kEco, tenant, ts, resource});
  }
  std::int64_t dimension(const std::string& tenant, const std::string& identity) {
    auto rows = db_->query(
        "INSERT INTO chargeback_dimensions (ecosystem, tenant_id, resource_id, identity_id) "
        "VALUES (?, ?, 'lkc-1', ?) RETURNING dimension_id",
        {kEco, tenant, identity});
    EXPECT_TRUE(rows) << rows.error();
    return rows && !rows->empty() ? rows->front().get_int(0) : -1;
  }
  void fact(std::int64_t dimension_id, const std::string& ts, std::int64_t amount = 12345) {
    exec("INSERT INTO chargeback_facts (timestamp, dimension_id, amount) VALUES (?, ?, ?)",
         {ts, dimension_id, amount});
  }
  void state(const std::string& tenant, const std::string& date) {
    exec(
        "INSERT INTO pipeline_state (ecosystem, tenant_id, tracking_date, billing_gathered) "
        "VALUES (?, ?, ?, 1)",
        {kEco, tenant, date});
  }
  void resource(const std::string& tenant, const std::string& id, const Value& deleted_at,
                const std::string& created_at = "2020-01-01 00:00:00") {
    exec(
        "INSERT INTO resources (ecosystem, tenant_id, resource_id, resource_type, status, "
        "created_at, deleted_at) VALUES (?, ?, ?, 'kafka_cluster', ?, ?, ?)",
        {kEco, tenant, id,
         std::holds_alternative<std::monostate>(deleted_at) ? "active" : "deleted", created_at,
         deleted_at});
  }
  void identity(const std::string& tenant, const std::string& id, const Value& deleted_at,
                const std::string& created_at = "2020-01-01 00:00:00") {
    exec(
        "INSERT INTO identities (ecosystem, tenant_id, identity_id, identity_type, created_at, "
        "deleted_at) VALUES (?, ?, ?, 'service_account', ?, ?)",
        {kEco, tenant, id, created_at, deleted_at});
  }

  Result<RetentionReport> cleanup(const std::string& tenant = kTenant) {
    return cleanup_retention(*db_, kEco, tenant, kDays, test_now());
  }

  std::unique_ptr<Database> db_;
};
CHITRAGUPT_ON_BOTH_ENGINES(RetentionTest);

using Strings = std::vector<std::string>;

TEST(RetentionCutoffTest, cutoff_is_now_minus_the_days_and_the_day_cutoff_its_utc_date) {
  const RetentionCutoff c = retention_cutoff(test_now(), kDays);
  EXPECT_EQ(c.exact, "2026-03-05 12:34:56");
  EXPECT_EQ(c.day, "2026-03-05");
  // Across a month and a year end.
  EXPECT_EQ(retention_cutoff(test_now(), 250).exact, "2025-07-08 12:34:56");
  EXPECT_EQ(retention_cutoff(test_now(), 1).day, "2026-03-14");
}

TEST(RetentionCutoffTest, log_fields_name_every_table_and_the_total_adds_them_up) {
  RetentionCounts n;
  n.billing = 1;
  n.ccloud_billing = 2;
  n.chargeback_facts = 3;
  n.chargeback_dimensions = 4;
  n.pipeline_state = 5;
  n.resources = 6;
  n.identities = 7;
  EXPECT_EQ(n.total(), 28);
  EXPECT_EQ(n.to_fields(),
            "billing=1 ccloud_billing=2 chargeback_facts=3 chargeback_dimensions=4 "
            "pipeline_state=5 resources=6 identities=7");
}

TEST_P(RetentionTest, billing_at_the_day_cutoff_stays_one_second_or_one_day_before_goes) {
  for (const char* table : {"billing", "ccloud_billing"}) {
    billing(table, kTenant, "2026-03-04 00:00:00");  // a day before: goes
    billing(table, kTenant, "2026-03-04 23:59:59");  // a second before: goes
    billing(table, kTenant, "2026-03-05 00:00:00");  // exactly the day cutoff: stays
    billing(table, kTenant, "2026-03-05 12:00:00");  // before the exact cutoff, same day: stays
    billing(table, kTenant, "2026-03-14 00:00:00");
  }
  auto report = cleanup();
  ASSERT_TRUE(report) << report.error();
  EXPECT_EQ(report->cutoff.day, "2026-03-05");
  EXPECT_EQ(report->deleted.billing, 2);
  EXPECT_EQ(report->deleted.ccloud_billing, 2);
  const Strings kept = {"2026-03-05 00:00:00", "2026-03-05 12:00:00", "2026-03-14 00:00:00"};
  EXPECT_EQ(column("SELECT timestamp FROM billing ORDER BY timestamp"), kept);
  EXPECT_EQ(column("SELECT timestamp FROM ccloud_billing ORDER BY timestamp"), kept);
}

TEST_P(RetentionTest, facts_at_the_day_cutoff_stay_and_dimensions_left_without_facts_go) {
  const std::int64_t old_only = dimension(kTenant, "sa-old");
  const std::int64_t both = dimension(kTenant, "sa-both");
  dimension(kTenant, "sa-unused");  // left without facts by an earlier run
  fact(old_only, "2026-03-04 23:59:59");
  fact(old_only, "2026-03-04 00:00:00");
  fact(both, "2026-03-04 23:59:59");
  fact(both, "2026-03-05 00:00:00");
  fact(both, "2026-03-06 00:00:00");

  auto report = cleanup();
  ASSERT_TRUE(report) << report.error();
  EXPECT_EQ(report->deleted.chargeback_facts, 3);
  EXPECT_EQ(report->deleted.chargeback_dimensions, 2);
  EXPECT_EQ(column("SELECT timestamp FROM chargeback_facts ORDER BY timestamp"),
            (Strings{"2026-03-05 00:00:00", "2026-03-06 00:00:00"}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM chargeback_facts WHERE dimension_id = ?", {both}), 2);
  EXPECT_EQ(column("SELECT identity_id FROM chargeback_dimensions ORDER BY identity_id"),
            (Strings{"sa-both"}));
}

TEST_P(RetentionTest, pipeline_state_before_the_cutoff_date_goes_and_the_cutoff_date_stays) {
  state(kTenant, "2026-03-03");
  state(kTenant, "2026-03-04");
  state(kTenant, "2026-03-05");
  state(kTenant, "2026-03-10");
  auto report = cleanup();
  ASSERT_TRUE(report) << report.error();
  EXPECT_EQ(report->deleted.pipeline_state, 2);
  EXPECT_EQ(column("SELECT tracking_date FROM pipeline_state ORDER BY tracking_date"),
            (Strings{"2026-03-05", "2026-03-10"}));
}

TEST_P(RetentionTest, only_resources_and_identities_deleted_before_the_exact_cutoff_go) {
  const Value null;
  resource(kTenant, "lkc-deleted-before", std::string("2026-03-05 12:34:55"));
  resource(kTenant, "lkc-deleted-long-ago", std::string("2025-01-01 00:00:00"));
  resource(kTenant, "lkc-deleted-at-cutoff", std::string("2026-03-05 12:34:56"));
  resource(kTenant, "lkc-deleted-after", std::string("2026-03-10 08:00:00"));
  resource(kTenant, "lkc-active-old", null, "2019-06-01 00:00:00");
  identity(kTenant, "sa-deleted-before", std::string("2026-03-05 12:34:55"));
  identity(kTenant, "sa-deleted-after", std::string("2026-03-06 00:00:00"));
  identity(kTenant, "sa-active-old", null, "2019-06-01 00:00:00");

  auto report = cleanup();
  ASSERT_TRUE(report) << report.error();
  EXPECT_EQ(report->cutoff.exact, "2026-03-05 12:34:56");
  EXPECT_EQ(report->deleted.resources, 2);
  EXPECT_EQ(report->deleted.identities, 1);
  EXPECT_EQ(column("SELECT resource_id FROM resources ORDER BY resource_id"),
            (Strings{"lkc-active-old", "lkc-deleted-after", "lkc-deleted-at-cutoff"}));
  EXPECT_EQ(column("SELECT identity_id FROM identities ORDER BY identity_id"),
            (Strings{"sa-active-old", "sa-deleted-after"}));
}

TEST_P(RetentionTest, pipeline_runs_emission_records_and_tags_are_never_deleted) {
  exec(
      "INSERT INTO pipeline_runs (tenant_name, started_at, ended_at, status) "
      "VALUES ('prod', '2020-01-01 00:00:00', '2020-01-01 00:10:00', 'completed')");
  const std::int64_t run = count("SELECT MAX(id) FROM pipeline_runs");
  exec(
      "INSERT INTO pipeline_state (ecosystem, tenant_id, tracking_date, calculation_run_id) "
      "VALUES (?, ?, '2020-01-01', ?)",
      {kEco, kTenant, run});
  exec(
      "INSERT INTO emission_records (ecosystem, tenant_id, emitter_name, date, status) "
      "VALUES (?, ?, 'csv', '2020-01-01', 'emitted')",
      {kEco, kTenant});
  resource(kTenant, "lkc-gone", std::string("2020-02-01 00:00:00"));
  exec(
      "INSERT INTO tags (tenant_id, entity_type, entity_id, tag_key, tag_value, created_by, "
      "created_at) VALUES (?, 'resource', 'lkc-gone', 'team', 'payments', 'ops', "
      "'2020-01-01 00:00:00')",
      {kTenant});

  auto report = cleanup();
  ASSERT_TRUE(report) << report.error();
  EXPECT_EQ(report->deleted.pipeline_state, 1);
  EXPECT_EQ(report->deleted.resources, 1);
  EXPECT_EQ(report->deleted.total(), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM pipeline_runs"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM emission_records"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM tags WHERE entity_id = 'lkc-gone'"), 1);
}

TEST_P(RetentionTest, another_tenants_rows_in_the_same_database_are_left_alone) {
  billing("ccloud_billing", "other", "2020-01-01 00:00:00");
  billing("billing", "other", "2020-01-01 00:00:00");
  const std::int64_t dim = dimension("other", "sa-1");
  fact(dim, "2020-01-01 00:00:00");
  dimension("other", "sa-orphan");
  state("other", "2020-01-01");
  resource("other", "lkc-gone", std::string("2020-02-01 00:00:00"));
  identity("other", "sa-gone", std::string("2020-02-01 00:00:00"));

  auto report = cleanup(kTenant);
  ASSERT_TRUE(report) << report.error();
  EXPECT_EQ(report->deleted.total(), 0);
  for (const char* table : {"billing", "ccloud_billing", "chargeback_facts",
                            "chargeback_dimensions", "pipeline_state", "resources", "identities"}) {
    EXPECT_GT(count(std::string("SELECT COUNT(*) FROM ") + table), 0) << table;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM chargeback_dimensions"), 2);
}

TEST_P(RetentionTest, a_failing_table_rolls_back_everything_and_the_error_names_it) {
  billing("billing", kTenant, "2020-01-01 00:00:00");
  state(kTenant, "2020-01-01");
  exec("DROP TABLE identities");  // the last step: everything before it has been deleted

  auto report = cleanup();
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().find("retention: counting identities"), std::string::npos)
      << report.error();
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_EQ(count("SELECT COUNT(*) FROM billing"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM pipeline_state"), 1);
}

TEST_P(RetentionTest, a_second_cleanup_with_the_same_clock_deletes_nothing) {
  billing("ccloud_billing", kTenant, "2026-01-01 00:00:00");
  fact(dimension(kTenant, "sa-1"), "2026-01-01 00:00:00");
  ASSERT_TRUE(cleanup());
  auto again = cleanup();
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(again->deleted.total(), 0);
}

TEST_P(RetentionTest, retention_days_below_one_is_refused) {
  billing("billing", kTenant, "2020-01-01 00:00:00");
  auto report = cleanup_retention(*db_, kEco, kTenant, 0, test_now());
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().find("retention_days must be at least 1, got 0"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM billing"), 1);
}

}  // namespace
}  // namespace chitragupt::storage
