// emission_records on SQLite and PostgreSQL with the same expectations.

#include "storage/emission_store.hpp"

#include <gtest/gtest.h>

#include "storage/engine_test_fixture.hpp"
#include "storage/migrator.hpp"

namespace chitragupt::storage {
namespace {

class EmissionStoreTest : public testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (not_runnable()) return;
    db_ = open();
    ASSERT_NE(db_, nullptr);
    Migrator m(*db_);
    ASSERT_TRUE(m.upgrade().is_ok());
  }
  void state(const std::string& date, int calculated, const std::string& tenant = "t") {
    ASSERT_TRUE(db_->execute("INSERT INTO pipeline_state (ecosystem, tenant_id, tracking_date, "
                             "billing_gathered, chargeback_calculated) VALUES (?, ?, ?, 1, ?)",
                             {"confluent_cloud", tenant, date, std::int64_t{calculated}})
                    .is_ok());
  }
  std::unique_ptr<Database> db_;
};

using Dates = std::vector<std::string>;

TEST_P(EmissionStoreTest, pending_dates_are_calculated_dates_without_an_emitted_record) {
  state("2026-01-01", 1);
  state("2026-01-02", 1);
  state("2026-01-03", 0);  // gathered, not calculated
  state("2026-01-04", 1);
  state("2026-01-02", 1, "other-tenant");
  EmissionStore store(*db_, "confluent_cloud", "t");
  EXPECT_EQ(*store.pending_dates("csv", "chargeback", ""),
            (Dates{"2026-01-01", "2026-01-02", "2026-01-04"}));
  ASSERT_TRUE(store.record("csv", "chargeback", "2026-01-01", "emitted").is_ok());
  ASSERT_TRUE(store.record("csv", "chargeback", "2026-01-02", "failed").is_ok());
  // Failed dates stay pending; another emitter or pipeline has its own records.
  EXPECT_EQ(*store.pending_dates("csv", "chargeback", ""), (Dates{"2026-01-02", "2026-01-04"}));
  EXPECT_EQ(store.pending_dates("prom", "chargeback", "")->size(), 3u);
  EXPECT_EQ(store.pending_dates("csv", "billing", "")->size(), 3u);
  // lookback bound
  EXPECT_EQ(*store.pending_dates("csv", "chargeback", "2026-01-03"), (Dates{"2026-01-04"}));
  EXPECT_EQ(*store.last_emitted("csv", "chargeback"), "2026-01-01");
  EXPECT_EQ(*store.calculated_dates("2026-01-02", "2026-01-31"),
            (Dates{"2026-01-02", "2026-01-04"}));
}

TEST_P(EmissionStoreTest, a_retried_date_counts_its_attempts_and_keeps_one_row) {
  state("2026-01-01", 1);
  EmissionStore store(*db_, "confluent_cloud", "t");
  ASSERT_TRUE(store.record("csv", "chargeback", "2026-01-01", "failed").is_ok());
  auto first = store.find("csv", "chargeback", "2026-01-01");
  ASSERT_TRUE(first.is_ok() && first->has_value());
  EXPECT_EQ((*first)->status, "failed");
  EXPECT_EQ((*first)->attempt_count, 1);
  ASSERT_TRUE(store.record("csv", "chargeback", "2026-01-01", "failed").is_ok());
  ASSERT_TRUE(store.record("csv", "chargeback", "2026-01-01", "emitted").is_ok());
  auto last = store.find("csv", "chargeback", "2026-01-01");
  EXPECT_EQ((*last)->status, "emitted");
  EXPECT_EQ((*last)->attempt_count, 3);
  auto rows = db_->query("SELECT COUNT(*) FROM emission_records");
  EXPECT_EQ(rows->front().get_int(0), 1);
  EXPECT_TRUE(store.pending_dates("csv", "chargeback", "")->empty());
  EXPECT_FALSE(store.find("csv", "chargeback", "2026-01-09")->has_value());
}

CHITRAGUPT_ON_BOTH_ENGINES(EmissionStoreTest);

}  // namespace
}  // namespace chitragupt::storage
