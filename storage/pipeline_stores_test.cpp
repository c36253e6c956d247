// InventoryStore, BillingStore and ChargebackStore at the schema head, on SQLite and PostgreSQL.

#include <gtest/gtest.h>

#include "storage/billing_store.hpp"
#include "storage/chargeback_store.hpp"
#include "storage/engine_test_fixture.hpp"
#include "storage/inventory_store.hpp"
#include "storage/migrator.hpp"

namespace chitragupt::storage {
namespace {

class PipelineStores : public testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (not_runnable()) return;
    db_ = open("t");
    ASSERT_TRUE(db_);
    Migrator m(*db_);
    ASSERT_TRUE(m.upgrade().is_ok());
  }
  std::unique_ptr<Database> db_;
};
CHITRAGUPT_ON_BOTH_ENGINES(PipelineStores);

ResourceRecord resource(const std::string& id, const std::string& type,
                        const std::string& created_at = "") {
  ResourceRecord r;
  r.resource_id = id;
  r.resource_type = type;
  r.display_name = id + "-name";
  r.created_at = created_at;
  return r;
}

BillingRecord line(const std::string& ts, const std::string& resource, const std::string& type,
                   const std::string& cost) {
  BillingRecord b;
  b.timestamp = ts;
  b.env_id = "env-1";
  b.resource_id = resource;
  b.product_type = type;
  b.product_category = "KAFKA";
  b.quantity = "1";
  b.unit_price = cost;
  b.total_cost = cost;
  return b;
}

ChargebackFactRecord fact(const std::string& ts, const std::string& identity, std::int64_t units) {
  ChargebackFactRecord f;
  f.timestamp = ts;
  f.resource_id = "lkc-1";
  f.product_category = "KAFKA";
  f.product_type = "KAFKA_NUM_CKU";
  f.identity_id = identity;
  f.cost_type = "usage";
  f.allocation_method = "usage_ratio";
  f.allocation_detail = "usage_ratio_allocation";
  f.env_id = "env-1";
  f.amount_units = units;
  return f;
}

TEST_P(PipelineStores, resource_upsert_counts_and_keeps_known_created_at) {
  InventoryStore inv(*db_, "confluent_cloud", "t");
  auto first = inv.upsert_resources(
      {resource("lkc-1", "kafka_cluster", "2026-01-01 00:00:00"), resource("env-1", "environment")},
      "2026-02-01 00:00:00");
  ASSERT_TRUE(first.is_ok()) << first.error();
  EXPECT_EQ(first->inserted, 2);
  auto again = inv.upsert_resources({resource("lkc-1", "kafka_cluster")}, "2026-02-02 00:00:00");
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(again->updated, 1);
  auto alive = inv.resources_alive("2026-01-15 00:00:00", "2026-01-16 00:00:00");
  ASSERT_TRUE(alive.is_ok());
  ASSERT_EQ(alive->size(), 2u);
  EXPECT_EQ((*alive)[1].resource_id, "lkc-1");
  EXPECT_EQ((*alive)[1].created_at, "2026-01-01 00:00:00");
  EXPECT_EQ((*alive)[1].last_seen_at, "2026-02-02 00:00:00");
  // Not alive before it was created.
  auto before = inv.resources_alive("2025-12-01 00:00:00", "2025-12-02 00:00:00");
  ASSERT_EQ(before->size(), 1u);
  EXPECT_EQ((*before)[0].resource_id, "env-1");
}

TEST_P(PipelineStores, only_listed_types_are_marked_deleted_and_a_returning_one_is_revived) {
  InventoryStore inv(*db_, "confluent_cloud", "t");
  ASSERT_TRUE(
      inv.upsert_resources({resource("lkc-1", "kafka_cluster"), resource("lkc-2", "kafka_cluster"),
                            resource("lcc-1", "connector")},
                           "2026-02-01 00:00:00")
          .is_ok());
  // Only the cluster listing succeeded: lkc-2 vanished; the connector is left alone.
  auto deleted =
      inv.mark_missing_resources_deleted({"kafka_cluster"}, {"lkc-1"}, "2026-02-03 00:00:00");
  ASSERT_TRUE(deleted.is_ok());
  EXPECT_EQ(*deleted, 1);
  EXPECT_EQ(*inv.count_resources(true), 2);
  EXPECT_EQ(*inv.count_resources(false), 3);
  // Alive in a window before its deletion, not after.
  EXPECT_EQ(inv.resources_alive("2026-02-02 00:00:00", "2026-02-03 00:00:00")->size(), 3u);
  EXPECT_EQ(inv.resources_alive("2026-02-04 00:00:00", "2026-02-05 00:00:00")->size(), 2u);
  ASSERT_TRUE(
      inv.upsert_resources({resource("lkc-2", "kafka_cluster")}, "2026-02-05 00:00:00").is_ok());
  EXPECT_EQ(*inv.count_resources(true), 3);
}

TEST_P(PipelineStores, identities_upsert_and_deletion) {
  InventoryStore inv(*db_, "confluent_cloud", "t");
  IdentityRecord sa{"sa-1", "service_account", "svc", "2026-01-01 00:00:00", "", "", ""};
  IdentityRecord u{"u-1", "user", "alice", "", "", "", ""};
  ASSERT_TRUE(inv.upsert_identities({sa, u}, "2026-02-01 00:00:00").is_ok());
  ASSERT_EQ(*inv.mark_missing_identities_deleted({"user"}, {}, "2026-02-02 00:00:00"), 1);
  EXPECT_EQ(*inv.count_identities(true), 1);
  auto alive = inv.identities_alive("2026-02-03 00:00:00", "2026-02-04 00:00:00");
  ASSERT_EQ(alive->size(), 1u);
  EXPECT_EQ((*alive)[0].identity_id, "sa-1");
}

TEST_P(PipelineStores, billing_upsert_detects_new_revised_and_unchanged_lines) {
  BillingStore billing(*db_, "confluent_cloud", "t");
  auto first = billing.upsert({line("2026-02-01 00:00:00", "lkc-1", "KAFKA_NUM_CKU", "10.5"),
                               line("2026-02-02 00:00:00", "lkc-1", "KAFKA_NUM_CKU", "3")});
  ASSERT_TRUE(first.is_ok()) << first.error();
  EXPECT_EQ(first->inserted, 2);
  EXPECT_EQ(first->changed_dates, (std::set<std::string>{"2026-02-01", "2026-02-02"}));
  ASSERT_TRUE(
      billing
          .set_allocation_attempts(line("2026-02-01 00:00:00", "lkc-1", "KAFKA_NUM_CKU", "10.5"), 2)
          .is_ok());
  auto second = billing.upsert({line("2026-02-01 00:00:00", "lkc-1", "KAFKA_NUM_CKU", "10.75"),
                                line("2026-02-02 00:00:00", "lkc-1", "KAFKA_NUM_CKU", "3")});
  ASSERT_TRUE(second.is_ok());
  EXPECT_EQ(second->revised, 1);
  EXPECT_EQ(second->unchanged, 1);
  EXPECT_EQ(second->changed_dates, (std::set<std::string>{"2026-02-01"}));
  auto lines = billing.lines_for_date("2026-02-01");
  ASSERT_TRUE(lines.is_ok());
  ASSERT_EQ(lines->size(), 1u);
  EXPECT_EQ((*lines)[0].total_cost, "10.75");     // exact text, as received
  EXPECT_EQ((*lines)[0].allocation_attempts, 0);  // a revision restarts the attempts
}

// Lines imported from the original carry its text forms ("36.0", `{"a": "1.0", "b": 2}`):
// the same bill written differently is no revision; another value is.
TEST_P(PipelineStores, billing_upsert_compares_amounts_by_value_and_metadata_as_json) {
  BillingStore billing(*db_, "confluent_cloud", "t");
  auto stored = line("2026-02-01 00:00:00", "lkc-1", "KAFKA_NUM_CKU", "36.0");
  stored.quantity = "24.0";
  stored.metadata_json =
      R"({"resource_name": "orders", "original_amount": "36.0", "tiers": [1.50]})";
  ASSERT_TRUE(billing.upsert({stored}).is_ok());
  auto fetched = line("2026-02-01 00:00:00", "lkc-1", "KAFKA_NUM_CKU", "36");
  fetched.unit_price = "3.6E+1";
  fetched.quantity = "24";
  fetched.metadata_json = R"({"original_amount":"36.00","resource_name":"orders","tiers":[1.5]})";
  auto same = billing.upsert({fetched});
  ASSERT_TRUE(same.is_ok()) << same.error();
  EXPECT_EQ(same->unchanged, 1);
  EXPECT_TRUE(same->changed_dates.empty());
  for (auto change : {std::make_pair("total_cost", "36.0001"), std::make_pair("metadata", "x"),
                      std::make_pair("quantity", "-24")}) {
    auto other = fetched;
    if (std::string(change.first) == "total_cost") other.total_cost = change.second;
    if (std::string(change.first) == "quantity") other.quantity = change.second;
    if (std::string(change.first) == "metadata") {
      other.metadata_json = R"({"original_amount":"36","resource_name":"payments","tiers":[1.5]})";
    }
    auto revised = billing.upsert({other});
    ASSERT_TRUE(revised.is_ok());
    EXPECT_EQ(revised->revised, 1) << change.first;
    ASSERT_TRUE(billing.upsert({fetched}).is_ok());  // back (also a revision)
  }
}

TEST_P(PipelineStores, non_ccloud_ecosystems_use_the_billing_table) {
  BillingStore billing(*db_, "self_managed_kafka", "t");
  auto b = line("2026-02-01 00:00:00", "cluster-1", "SELF_KAFKA_COMPUTE", "1.25");
  b.env_id = "";
  ASSERT_TRUE(billing.upsert({b}).is_ok());
  auto rows = db_->query("SELECT total_cost FROM billing");
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(billing.lines_for_date("2026-02-01")->size(), 1u);
  EXPECT_EQ(db_->query("SELECT * FROM ccloud_billing")->size(), 0u);
}

TEST_P(PipelineStores, pending_dates_follow_gathered_and_requeued_flags) {
  BillingStore billing(*db_, "confluent_cloud", "t");
  ASSERT_TRUE(billing.mark_gathered({"2026-02-02", "2026-02-01"}, {}).is_ok());
  EXPECT_EQ(*billing.pending_dates(), (std::vector<std::string>{"2026-02-01", "2026-02-02"}));
  ASSERT_TRUE(billing.mark_calculated("2026-02-01", 0, "calc-1").is_ok());
  EXPECT_EQ(*billing.pending_dates(), (std::vector<std::string>{"2026-02-02"}));
  ASSERT_TRUE(billing.mark_gathered({"2026-02-01"}, {}).is_ok());  // unchanged: stays done
  EXPECT_EQ(billing.pending_dates()->size(), 1u);
  ASSERT_TRUE(billing.mark_gathered({"2026-02-01"}, {"2026-02-01"}).is_ok());  // revised
  EXPECT_EQ(billing.pending_dates()->size(), 2u);
}

TEST_P(PipelineStores, replace_date_sums_shared_keys_and_never_duplicates) {
  ChargebackStore store(*db_, "confluent_cloud", "t");
  std::vector<ChargebackFactRecord> rows = {fact("2026-02-01 00:00:00", "sa-1", 7000),
                                            fact("2026-02-01 00:00:00", "sa-2", 2000),
                                            fact("2026-02-01 00:00:00", "sa-1", 1000)};
  auto written = store.replace_date("2026-02-01", rows);
  ASSERT_TRUE(written.is_ok()) << written.error();
  EXPECT_EQ(*written, 2);  // sa-1's two rows share a dimension: summed into one fact
  EXPECT_EQ(*store.total_units_for_date("2026-02-01"), 10000);
  // Recalculating replaces the day's rows.
  ASSERT_TRUE(store.replace_date("2026-02-01", rows).is_ok());
  EXPECT_EQ(*store.total_units_for_date("2026-02-01"), 10000);
  EXPECT_EQ(db_->query("SELECT * FROM chargeback_facts")->size(), 2u);
  EXPECT_EQ(db_->query("SELECT * FROM chargeback_dimensions")->size(), 2u);
  // Another day is untouched by a replace.
  ASSERT_TRUE(store.replace_date("2026-02-02", {fact("2026-02-02 00:00:00", "sa-1", 5)}).is_ok());
  ASSERT_TRUE(store.replace_date("2026-02-01", {}).is_ok());
  EXPECT_EQ(*store.total_units_for_date("2026-02-01"), 0);
  EXPECT_EQ(*store.total_units_for_date("2026-02-02"), 5);
}

TEST_P(PipelineStores, dimension_cache_forgets_ids_of_a_rolled_back_transaction) {
  ChargebackStore store(*db_, "confluent_cloud", "t");
  ASSERT_TRUE(db_->begin(TxMode::immediate).is_ok());
  ASSERT_TRUE(store.replace_date("2026-02-01", {fact("2026-02-01 00:00:00", "sa-9", 1)}).is_ok());
  ASSERT_TRUE(db_->rollback().is_ok());
  store.transaction_rolled_back();
  // The dimension is gone with the rollback; writing it again must create it again.
  auto again = store.replace_date("2026-02-01", {fact("2026-02-01 00:00:00", "sa-9", 1)});
  ASSERT_TRUE(again.is_ok()) << again.error();
  EXPECT_EQ(*store.total_units_for_date("2026-02-01"), 1);
}

TEST(DayBounds, cover_month_and_year_ends) {
  EXPECT_EQ(day_bounds("2026-01-31"),
            std::make_pair(std::string("2026-01-31 00:00:00"), std::string("2026-02-01 00:00:00")));
  EXPECT_EQ(day_bounds("2024-02-28").second, "2024-02-29 00:00:00");
  EXPECT_EQ(day_bounds("2026-12-31").second, "2027-01-01 00:00:00");
}

}  // namespace
}  // namespace chitragupt::storage
