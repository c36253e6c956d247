// ChargebackStore on both engines: the dimension cache is read once per store, so a dimension
// another writer creates afterwards must still resolve to that writer's id, not a second row.
#include "storage/chargeback_store.hpp"

#include <gtest/gtest.h>

#include "storage/engine_test_fixture.hpp"
#include "storage/migrator.hpp"

namespace chitragupt::storage {
namespace {

class ChargebackStoreTest : public testing::EngineTest {
 protected:
  // A fresh database of this engine, migrated to head (nullptr when it cannot be opened).
  std::unique_ptr<Database> migrated() {
    auto db = open();
    if (db && !Migrator(*db).upgrade().is_ok()) db.reset();
    return db;
  }
};

ChargebackFactRecord fact(const std::string& date, const std::string& identity,
                          std::int64_t units) {
  ChargebackFactRecord f;
  f.timestamp = date + " 00:00:00";
  f.resource_id = "lkc-1";
  f.product_category = "KAFKA";
  f.product_type = "KAFKA_NUM_CKU";
  f.identity_id = identity;
  f.cost_type = "usage";
  f.allocation_method = "usage_ratio";
  f.env_id = "env-1";
  f.amount_units = units;
  return f;
}

TEST_P(ChargebackStoreTest, a_dimension_made_by_another_writer_after_loading_is_reused) {
  auto db = migrated();
  ASSERT_NE(db, nullptr);
  ChargebackStore first(*db, "confluent_cloud", "t");
  ChargebackStore second(*db, "confluent_cloud", "t");
  ASSERT_TRUE(first.replace_date("2026-02-01", {fact("2026-02-01", "sa-1", 5)}).is_ok());
  first.transaction_committed();
  // `second` loads its cache now, then `first` creates sa-2's dimension.
  ASSERT_TRUE(second.replace_date("2026-02-02", {fact("2026-02-02", "sa-1", 7)}).is_ok());
  second.transaction_committed();
  ASSERT_TRUE(first.replace_date("2026-02-03", {fact("2026-02-03", "sa-2", 11)}).is_ok());
  first.transaction_committed();
  auto written = second.replace_date(
      "2026-02-04", {fact("2026-02-04", "sa-2", 13), fact("2026-02-04", "sa-2", 17)});
  ASSERT_TRUE(written.is_ok()) << written.error();
  EXPECT_EQ(*written, 1);  // the two rows share the dimension: summed

  auto dims = db->query(
      "SELECT identity_id, COUNT(*) FROM chargeback_dimensions GROUP BY 1 "
      "ORDER BY 1");
  ASSERT_TRUE(dims.is_ok()) << dims.error();
  ASSERT_EQ(dims->size(), 2u);
  EXPECT_EQ((*dims)[1].get_text(0), "sa-2");
  EXPECT_EQ((*dims)[1].get_int(1), 1);
  auto sa2 = db->query(
      "SELECT COUNT(DISTINCT f.dimension_id), SUM(f.amount) FROM chargeback_facts f JOIN "
      "chargeback_dimensions d ON d.dimension_id = f.dimension_id WHERE d.identity_id = 'sa-2'");
  ASSERT_TRUE(sa2.is_ok()) << sa2.error();
  EXPECT_EQ(sa2->front().get_int(0), 1);
  EXPECT_EQ(sa2->front().get_int(1), 41);
  EXPECT_EQ(*second.total_units_for_date("2026-02-04"), 30);
}

TEST_P(ChargebackStoreTest, dimensions_made_in_a_rolled_back_transaction_are_made_again) {
  auto db = migrated();
  ASSERT_NE(db, nullptr);
  ChargebackStore store(*db, "confluent_cloud", "t");
  ASSERT_TRUE(store.replace_date("2026-02-01", {fact("2026-02-01", "sa-1", 5)}).is_ok());
  store.transaction_committed();
  {
    Transaction tx(*db, TxMode::immediate);
    ASSERT_TRUE(tx.begin_status().is_ok());
    auto written = store.replace_date(
        "2026-02-02", {fact("2026-02-02", "sa-2", 7), fact("2026-02-02", "sa-3", 9)});
    ASSERT_TRUE(written.is_ok()) << written.error();
  }  // not committed: rolled back
  store.transaction_rolled_back();
  // The cache forgot sa-2 and sa-3: they are created again, and every fact has its dimension.
  auto written = store.replace_date("2026-02-02",
                                    {fact("2026-02-02", "sa-3", 9), fact("2026-02-02", "sa-2", 7),
                                     fact("2026-02-02", "sa-1", 1), fact("2026-02-02", "sa-3", 2)});
  ASSERT_TRUE(written.is_ok()) << written.error();
  EXPECT_EQ(*written, 3);
  store.transaction_committed();
  auto joined = db->query(
      "SELECT d.identity_id, f.amount FROM chargeback_facts f JOIN chargeback_dimensions d ON "
      "d.dimension_id = f.dimension_id WHERE f.timestamp >= '2026-02-02' ORDER BY 1");
  ASSERT_TRUE(joined.is_ok()) << joined.error();
  ASSERT_EQ(joined->size(), 3u);
  EXPECT_EQ((*joined)[0].get_text(0), "sa-1");
  EXPECT_EQ((*joined)[1].get_text(0), "sa-2");
  EXPECT_EQ((*joined)[2].get_text(0), "sa-3");
  EXPECT_EQ((*joined)[2].get_int(1), 11);  // summed
  auto dims = db->query("SELECT COUNT(*) FROM chargeback_dimensions");
  ASSERT_TRUE(dims.is_ok());
  EXPECT_EQ(dims->front().get_int(0), 3);
  // A new store reads the same three back.
  ChargebackStore fresh(*db, "confluent_cloud", "t");
  ASSERT_TRUE(fresh.replace_date("2026-02-03", {fact("2026-02-03", "sa-3", 1)}).is_ok());
  EXPECT_EQ(db->query("SELECT COUNT(*) FROM chargeback_dimensions")->front().get_int(0), 3);
}

// prepare() runs on the allocation thread of the calculate stage: it finds the dimensions the
// cache holds, leaves the rest to replace_date_prepared, and facts prepared before a rollback
// (whose ids may be gone) are refused rather than written with a dangling dimension id.
TEST_P(ChargebackStoreTest,
       prepared_facts_resolve_known_and_fresh_dimensions_and_go_stale_on_rollback) {
  auto db = migrated();
  ASSERT_NE(db, nullptr);
  ChargebackStore store(*db, "confluent_cloud", "t");
  ASSERT_TRUE(store.replace_date("2026-02-01", {fact("2026-02-01", "sa-1", 5)}).is_ok());
  store.transaction_committed();

  PreparedFacts p = store.prepare({fact("2026-02-02", "sa-2", 7), fact("2026-02-02", "sa-1", 3),
                                   fact("2026-02-02", "sa-2", 1), fact("2026-02-02", "sa-1", 2)});
  ASSERT_EQ(p.stamps, std::vector<std::string>{"2026-02-02 00:00:00"});
  ASSERT_EQ(p.fresh.size(), 1u);  // sa-2, once
  EXPECT_EQ(p.fresh[0].identity_id, "sa-2");
  ASSERT_EQ(p.facts.size(), 4u);  // not folded while a dimension is unknown
  EXPECT_EQ(p.facts[0].dimension_id, 0);
  EXPECT_NE(p.facts[1].dimension_id, 0);
  auto written = store.replace_date_prepared("2026-02-02", std::move(p));
  ASSERT_TRUE(written.is_ok()) << written.error();
  EXPECT_EQ(*written, 2);
  store.transaction_committed();
  EXPECT_EQ(*store.total_units_for_date("2026-02-02"), 13);

  // Every dimension known now: sorted and folded already.
  PreparedFacts known = store.prepare({fact("2026-02-03", "sa-2", 4), fact("2026-02-03", "sa-1", 6),
                                       fact("2026-02-03", "sa-2", 5)});
  EXPECT_TRUE(known.fresh.empty());
  ASSERT_EQ(known.facts.size(), 2u);
  EXPECT_LT(known.facts[0].dimension_id, known.facts[1].dimension_id);
  EXPECT_EQ(known.facts[1].amount, 9);

  auto written_known = store.replace_date_prepared("2026-02-03", std::move(known));
  ASSERT_TRUE(written_known.is_ok()) << written_known.error();
  store.transaction_committed();
  EXPECT_EQ(*store.total_units_for_date("2026-02-03"), 15);

  PreparedFacts before_rollback;
  {
    Transaction tx(*db, TxMode::immediate);
    ASSERT_TRUE(tx.begin_status().is_ok());
    ASSERT_TRUE(store.replace_date("2026-02-04", {fact("2026-02-04", "sa-9", 1)}).is_ok());
    before_rollback = store.prepare({fact("2026-02-05", "sa-9", 2)});
    EXPECT_TRUE(before_rollback.fresh.empty());  // sa-9 is cached, but only until the rollback
  }                                              // not committed: rolled back
  store.transaction_rolled_back();
  auto refused = store.replace_date_prepared("2026-02-05", std::move(before_rollback));
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.error().find("prepared before a rollback"), std::string::npos);
  // Prepared again, sa-9 is made again.
  auto again =
      store.replace_date_prepared("2026-02-05", store.prepare({fact("2026-02-05", "sa-9", 2)}));
  ASSERT_TRUE(again.is_ok()) << again.error();
  store.transaction_committed();
  EXPECT_EQ(*store.total_units_for_date("2026-02-05"), 2);
  EXPECT_EQ(*store.total_units_for_date("2026-02-04"), 0);
}

// Facts go in 64 rows per INSERT, the rest one at a time: every row lands with its own
// timestamp, dimension and amount whether it went in a chunk or alone, and a chunk that spans
// two timestamps writes each row's own.
TEST_P(ChargebackStoreTest, facts_written_in_chunks_and_singly_are_each_exact) {
  auto db = migrated();
  ASSERT_NE(db, nullptr);
  ChargebackStore store(*db, "confluent_cloud", "t");
  std::vector<ChargebackFactRecord> rows;
  std::int64_t total = 0;
  for (int hour : {0, 7, 23}) {  // 3 x 70 = 210 facts: three chunks of 64 and 18 single rows
    for (int i = 0; i < 70; ++i) {
      ChargebackFactRecord f = fact("2026-02-01", "sa-" + std::to_string(i), 1000 * hour + i);
      char stamp[32];
      std::snprintf(stamp, sizeof stamp, "2026-02-01 %02d:00:00", hour);
      f.timestamp = stamp;
      rows.push_back(f);
      total += f.amount_units;
    }
  }
  rows.push_back(fact("2026-02-01", "sa-5", 100'000));  // folds into hour 0's sa-5
  total += 100'000;
  auto written = store.replace_date("2026-02-01", rows);
  ASSERT_TRUE(written.is_ok()) << written.error();
  EXPECT_EQ(*written, 210);
  store.transaction_committed();
  EXPECT_EQ(*store.total_units_for_date("2026-02-01"), total);
  auto check = db->query(
      "SELECT f.timestamp, d.identity_id, f.amount FROM chargeback_facts f JOIN "
      "chargeback_dimensions d ON d.dimension_id = f.dimension_id ORDER BY 1, 2");
  ASSERT_TRUE(check.is_ok()) << check.error();
  ASSERT_EQ(check->size(), 210u);
  for (const Row& r : *check) {
    const int hour = std::stoi(r.get_text(0).substr(11, 2));
    const int i = std::stoi(r.get_text(1).substr(3));
    const std::int64_t expected = 1000 * hour + i + (hour == 0 && i == 5 ? 100'000 : 0);
    EXPECT_EQ(r.get_int(2), expected) << r.get_text(0) << " " << r.get_text(1);
  }
}

CHITRAGUPT_ON_BOTH_ENGINES(ChargebackStoreTest);

}  // namespace
}  // namespace chitragupt::storage
