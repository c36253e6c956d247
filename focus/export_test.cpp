// The FOCUS export end to end on SQLite and PostgreSQL: billing lines, facts, inventory and
// tags written through the storage layer; the exported files read back. Sums equal the
// billing table exactly, every row passes the conformance checker, a re-export is
// byte-identical, gzip holds the same bytes.

#include "focus/exporter.hpp"

#include <filesystem>
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "allocation/money.hpp"
#include "focus/checker.hpp"
#include "focus/columns.hpp"
#include "focus/test_support.hpp"
#include "storage/billing_store.hpp"
#include "storage/chargeback_store.hpp"
#include "storage/engine_test_fixture.hpp"
#include "storage/inventory_store.hpp"
#include "storage/migrator.hpp"

namespace chitragupt::focus {
namespace {

using nlohmann::json;
using storage::BillingRecord;
using storage::ChargebackFactRecord;
using namespace focus::testing;

BillingRecord line(const std::string& ts, const std::string& resource, const std::string& category,
                   const std::string& type, const std::string& qty, const std::string& price,
                   const std::string& total, const std::string& metadata = "") {
  BillingRecord b;
  b.timestamp = ts;
  b.env_id = "env-1";
  b.resource_id = resource;
  b.product_category = category;
  b.product_type = type;
  b.quantity = qty;
  b.unit_price = price;
  b.total_cost = total;
  b.metadata_json = metadata;
  return b;
}

ChargebackFactRecord fact(const BillingRecord& b, const std::string& identity, std::int64_t units,
                          const std::string& cost_type = "usage") {
  ChargebackFactRecord f;
  f.timestamp = b.timestamp;
  f.resource_id = b.resource_id;
  f.product_category = b.product_category;
  f.product_type = b.product_type;
  f.identity_id = identity;
  f.cost_type = cost_type;
  f.allocation_method = "usage_ratio";
  f.allocation_detail = "usage_ratio_allocation";
  f.env_id = b.env_id;
  f.amount_units = units;
  return f;
}

class FocusExport : public storage::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (not_runnable()) return;
    db_ = open("t");
    ASSERT_TRUE(db_);
    storage::Migrator m(*db_);
    ASSERT_TRUE(m.upgrade().is_ok());
    seed();
  }

  void seed() {
    storage::InventoryStore inv(*db_, "confluent_cloud", "org-1");
    auto resource = [](const char* id, const char* type, const char* name) {
      storage::ResourceRecord r;
      r.resource_id = id;
      r.resource_type = type;
      r.display_name = name;
      return r;
    };
    auto identity = [](const char* id, const char* name) {
      storage::IdentityRecord r;
      r.identity_id = id;
      r.identity_type = "service_account";
      r.display_name = name;
      return r;
    };
    storage::ResourceRecord env = resource("env-1", "environment", "production");
    storage::ResourceRecord cluster = resource("lkc-1", "kafka_cluster", "orders");
    cluster.parent_id = "env-1";
    cluster.cloud = "AWS";
    cluster.region = "us-east-1";
    ASSERT_TRUE(inv.upsert_resources({env, cluster}, "2026-07-01 00:00:00").is_ok());
    ASSERT_TRUE(inv.upsert_identities({identity("sa-1", "payments-app"), identity("sa-2", "")},
                                      "2026-07-01 00:00:00")
                    .is_ok());
    for (auto [type, id, key, value] :
         std::vector<std::tuple<const char*, const char*, const char*, const char*>>{
             {"resource", "lkc-1", "team", "payments"},
             {"identity", "sa-1", "owner", "alice, bob"}}) {
      ASSERT_TRUE(db_->execute("INSERT INTO tags (tenant_id, entity_type, entity_id, tag_key, "
                               "tag_value, created_by, created_at) VALUES ('org-1', ?, ?, ?, ?, "
                               "'test', '2026-07-01 00:00:00')",
                               {type, id, key, value})
                      .is_ok());
    }

    // Storage at $2/GB-hour with a 20 % discount, split 5 : 3.
    auto storage_line = line("2026-07-01 00:00:00", "lkc-1", "KAFKA", "KAFKA_STORAGE", "5", "2",
                             "8", R"({"original_amount":"10"})");
    // An amount with more than 4 decimals and a discount that does not divide evenly.
    auto read_line = line("2026-07-01 00:00:00", "lkc-1", "KAFKA", "KAFKA_NETWORK_READ", "3.333333",
                          "0.13", "0.43333329", R"({"original_amount":"0.43333329"})");
    // Two pricing tiers merged into one line (no single unit price).
    auto cku_line =
        line("2026-07-02 00:00:00", "lkc-1", "KAFKA", "KAFKA_NUM_CKU", "24", "0", "12.5",
             R"({"tiers":[{"price":"0.5","quantity":"20","cost":"10"},)"
             R"({"price":"0.625","quantity":"4","cost":"2.5"}]})");
    // Support: a recurring purchase, not calculated yet (no facts).
    auto support = line("2026-07-02 00:00:00", "org-support", "SUPPORT_CLOUD_BUSINESS", "SUPPORT",
                        "1", "33.3333", "33.3333");
    support.env_id = "";
    // A promotional credit charged to nobody, and a refund.
    auto credit = line("2026-07-03 00:00:00", "org-credit", "PROMO_CREDIT", "PROMO_CREDIT", "1",
                       "-10", "-10");
    credit.env_id = "";
    auto refund =
        line("2026-07-03 00:00:00", "lkc-1", "KAFKA", "KAFKA_STORAGE_REFUND", "-1", "2", "-2");
    // Facts that leave 0.0100 unallocated.
    auto partial =
        line("2026-07-03 00:00:00", "lkc-1", "KAFKA", "KAFKA_PARTITION", "10", "0.001", "0.01");
    // Next month: not in July's export.
    auto august = line("2026-08-01 00:00:00", "lkc-1", "KAFKA", "KAFKA_STORAGE", "1", "1", "1");

    storage::BillingStore billing(*db_, "confluent_cloud", "org-1");
    ASSERT_TRUE(
        billing
            .upsert({storage_line, read_line, cku_line, support, credit, refund, partial, august})
            .is_ok());
    std::map<std::string, std::vector<ChargebackFactRecord>> facts = {
        {"2026-07-01",
         {fact(storage_line, "sa-1", 50000), fact(storage_line, "sa-2", 30000),
          fact(read_line, "sa-1", 2167), fact(read_line, "sa-2", 2166)}},
        {"2026-07-02", {fact(cku_line, "sa-1", 100000), fact(cku_line, "lkc-1", 25000, "shared")}},
        {"2026-07-03",
         {fact(credit, "UNALLOCATED", -100000), fact(refund, "sa-1", -20000),
          fact(partial, "sa-2", 0)}},
        {"2026-08-01", {fact(august, "sa-1", 10000)}},
    };
    storage::ChargebackStore store(*db_, "confluent_cloud", "org-1");
    for (const auto& [date, rows] : facts) {
      storage::Transaction tx(*db_);
      ASSERT_TRUE(store.replace_date(date, rows).is_ok());
      ASSERT_TRUE(tx.commit().is_ok());
    }
  }

  ExportRequest request(const std::string& dir, bool gzip = false) {
    ExportRequest r;
    r.ecosystem = "confluent_cloud";
    r.tenant_id = "org-1";
    r.tenant_name = "prod";
    r.billing_period = "2026-07";
    r.out_dir = dir_.file(dir);
    r.gzip = gzip;
    return r;
  }

  // Σ of the month's billed amounts, each quantized to 0.0001, straight from the table.
  allocation::Money billing_table_sum() {
    auto rows = db_->query(
        "SELECT total_cost FROM ccloud_billing WHERE tenant_id = 'org-1' AND timestamp >= "
        "'2026-07-01' AND timestamp < '2026-08-01'");
    EXPECT_TRUE(rows.is_ok());
    allocation::Money sum;
    for (const auto& r : *rows) sum += *allocation::Money::parse(r.get_text(0));
    return sum;
  }

  std::unique_ptr<storage::Database> db_;
};

TEST_P(FocusExport, sums_equal_the_billing_table_and_every_row_conforms) {
  auto summary = export_focus(*db_, request("out"));
  ASSERT_TRUE(summary.is_ok()) << summary.error();
  EXPECT_TRUE(summary->conforming);
  EXPECT_TRUE(summary->violations.empty());
  EXPECT_EQ(summary->billing_lines, 7);
  EXPECT_EQ(summary->rows, 2 + 2 + 2 + 1 + 1 + 1 + 2);
  EXPECT_EQ(summary->billed_cost, billing_table_sum().to_string());
  EXPECT_EQ(summary->billing_table_total, billing_table_sum().to_string());

  // The file itself, read back and checked again from scratch.
  const auto csv = parse_csv(read_file(dir_.file("out/focus-prod-2026-07.csv")));
  ASSERT_EQ(csv.size(), 1u + 11u);
  std::vector<std::string> header = csv[0];
  ASSERT_EQ(header.size(), static_cast<std::size_t>(kColumnCount));
  Checker checker(header);
  allocation::Money billed;
  std::map<std::string, std::vector<std::string>> by_key;  // "type/identity" -> record
  for (std::size_t i = 1; i < csv.size(); ++i) {
    FocusRow row = empty_row();
    for (int c = 0; c < kColumnCount; ++c) {
      if (!csv[i][c].empty()) row[c] = csv[i][c];
    }
    checker.check_row(row);
    billed += *allocation::Money::parse(csv[i][BilledCost]);
    by_key[csv[i][x_SourceProductType] + "/" + csv[i][x_AllocatedResourceId] + "/" +
           csv[i][x_AllocatedMethodId]] = csv[i];
  }
  checker.expect_billed_total("org-1", "2026-07-01T00:00:00Z", billing_table_sum().to_string());
  checker.finish();
  EXPECT_TRUE(checker.conforming()) << checker.first_violations().front().rule;
  EXPECT_EQ(billed, billing_table_sum());

  // Discounts are split per portion, not repeated.
  const auto& s1 = by_key.at("KAFKA_STORAGE/sa-1/usage_ratio");
  const auto& s2 = by_key.at("KAFKA_STORAGE/sa-2/usage_ratio");
  EXPECT_EQ(s1[BilledCost], "5.0000");
  EXPECT_EQ(s1[ListCost], "6.2500");
  EXPECT_EQ(s1[x_DiscountAmount], "1.2500");
  EXPECT_EQ(s2[ListCost], "3.7500");
  EXPECT_EQ(s1[PricingQuantity], "3.125");
  EXPECT_EQ(s1[ListUnitPrice], "2");
  EXPECT_EQ(s1[ServiceName], "Confluent Cloud Apache Kafka");
  EXPECT_EQ(s1[ServiceCategory], "Integration");
  EXPECT_EQ(s1[ChargePeriodStart], "2026-07-01T00:00:00Z");
  EXPECT_EQ(s1[ChargePeriodEnd], "2026-07-02T00:00:00Z");
  EXPECT_EQ(s1[ResourceName], "orders");
  EXPECT_EQ(s1[RegionId], "us-east-1");
  EXPECT_EQ(s1[SubAccountName], "production");
  EXPECT_EQ(s1[Tags], R"({"team":"payments"})");
  EXPECT_EQ(s1[x_AllocatedResourceName], "payments-app");
  EXPECT_EQ(s1[x_AllocatedTags], R"({"owner":"alice, bob"})");
  EXPECT_EQ(s1[x_AllocationRatio], "0.625");
  // Quantities of a line sum to its quantity exactly.
  const auto& r1 = by_key.at("KAFKA_NETWORK_READ/sa-1/usage_ratio");
  const auto& r2 = by_key.at("KAFKA_NETWORK_READ/sa-2/usage_ratio");
  EXPECT_EQ(*add_decimal_text(r1[PricingQuantity], r2[PricingQuantity]), "3.3333330000");
  EXPECT_EQ(*add_decimal_text(r1[ListCost], r2[ListCost]), "0.4333");
  // Tiers: no single unit price.
  EXPECT_EQ(by_key.at("KAFKA_NUM_CKU/sa-1/usage_ratio")[ListUnitPrice], "");
  EXPECT_EQ(by_key.at("KAFKA_NUM_CKU/lkc-1/usage_ratio")[x_AllocatedResourceName], "orders");
  // Not calculated: one unallocated row; support is a recurring purchase.
  const auto& sup = by_key.at("SUPPORT//");
  EXPECT_EQ(sup[ChargeCategory], "Purchase");
  EXPECT_EQ(sup[ChargeFrequency], "Recurring");
  EXPECT_EQ(sup[ConsumedQuantity], "");
  EXPECT_EQ(sup[BilledCost], "33.3333");
  const auto& promo = by_key.at("PROMO_CREDIT//usage_ratio");
  EXPECT_EQ(promo[ChargeCategory], "Credit");
  EXPECT_EQ(promo[ListCost], "-10.0000");
  EXPECT_EQ(promo[PricingQuantity], "");
  EXPECT_EQ(by_key.at("KAFKA_STORAGE_REFUND/sa-1/usage_ratio")[ChargeClass], "Correction");
  EXPECT_EQ(by_key.at("KAFKA_PARTITION//unallocated_remainder")[BilledCost], "0.0100");

  // manifest.json: sums, rows and the checksum of each file.
  json manifest = json::parse(read_file(dir_.file("out/manifest.json")));
  EXPECT_EQ(manifest["rows"], 11);
  EXPECT_EQ(manifest["billed_cost"], billing_table_sum().to_string());
  EXPECT_EQ(manifest["conformance"]["conforming"], true);
  ASSERT_EQ(manifest["files"].size(), 2u);
  EXPECT_EQ(manifest["files"][0]["name"], "focus-prod-2026-07.csv");
  EXPECT_EQ(manifest["files"][0]["sha256"], summary->files[0].sha256);
  EXPECT_EQ(manifest["files"][0]["size_bytes"],
            std::filesystem::file_size(dir_.file("out/focus-prod-2026-07.csv")));
  json metadata = json::parse(read_file(dir_.file("out/metadata.json")));
  EXPECT_EQ(metadata["Schema"]["FocusVersion"], "1.2");
  EXPECT_EQ(metadata["x_Conformance"]["Conforming"], true);
  ASSERT_EQ(metadata["Schema"]["ColumnDefinition"].size(), static_cast<std::size_t>(kColumnCount));
  for (const auto& c : metadata["Schema"]["ColumnDefinition"]) {
    EXPECT_EQ(c["ProviderTag"].get<bool>(), c["ColumnName"].get<std::string>().rfind("x_", 0) == 0);
  }
}

TEST_P(FocusExport, a_re_export_is_byte_identical_and_gzip_holds_the_same_rows) {
  ASSERT_TRUE(export_focus(*db_, request("a")).is_ok());
  ASSERT_TRUE(export_focus(*db_, request("b")).is_ok());
  for (const char* f : {"focus-prod-2026-07.csv", "metadata.json", "manifest.json"}) {
    EXPECT_EQ(read_file(dir_.file(std::string("a/") + f)),
              read_file(dir_.file(std::string("b/") + f)))
        << f;
  }
  ASSERT_TRUE(export_focus(*db_, request("gz", true)).is_ok());
  ASSERT_TRUE(export_focus(*db_, request("gz2", true)).is_ok());
  EXPECT_EQ(read_gzip(dir_.file("gz/focus-prod-2026-07.csv.gz")),
            read_file(dir_.file("a/focus-prod-2026-07.csv")));
  EXPECT_EQ(read_file(dir_.file("gz/focus-prod-2026-07.csv.gz")),
            read_file(dir_.file("gz2/focus-prod-2026-07.csv.gz")));
}

TEST_P(FocusExport, effective_dates_bound_the_exported_days) {
  auto r = request("eff");
  r.effective_start_date = "2026-07-02";
  r.effective_end_date = "2026-07-03";
  auto summary = export_focus(*db_, r);
  ASSERT_TRUE(summary.is_ok()) << summary.error();
  EXPECT_EQ(summary->billing_lines, 2);
  EXPECT_EQ(summary->billed_cost, "45.8333");
  EXPECT_TRUE(summary->conforming);
}

TEST_P(FocusExport, a_line_in_another_currency_fails_with_its_name) {
  ASSERT_TRUE(db_->execute("UPDATE ccloud_billing SET currency = 'EUR' WHERE product_type = "
                           "'KAFKA_PARTITION'")
                  .is_ok());
  auto summary = export_focus(*db_, request("eur"));
  ASSERT_FALSE(summary.is_ok());
  EXPECT_NE(summary.error().find("KAFKA_PARTITION"), std::string::npos) << summary.error();
  EXPECT_NE(summary.error().find("EUR"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_.file("eur/focus-prod-2026-07.csv")));
}

CHITRAGUPT_ON_BOTH_ENGINES(FocusExport);

}  // namespace
}  // namespace chitragupt::focus
