// One violating row per rule of the FOCUS 1.2 conformance checker, and a conforming row that
// violates none.

#include "focus/checker.hpp"

#include <functional>
#include <iostream>

#include <gtest/gtest.h>

#include "focus/mapping.hpp"

namespace chitragupt::focus {
namespace {

// A conforming Usage row with every column we can fill.
FocusRow valid_row() {
  FocusRow r = empty_row();
  r[BilledCost] = "8.0000";
  r[EffectiveCost] = "8.0000";
  r[PricingCurrencyEffectiveCost] = "8.0000";
  r[ListCost] = "10.0000";
  r[ContractedCost] = "10.0000";
  r[BillingAccountId] = "org-1";
  r[BillingAccountName] = "prod";
  r[BillingAccountType] = "Organization";
  r[BillingCurrency] = "USD";
  r[PricingCurrency] = "USD";
  r[BillingPeriodStart] = "2026-07-01T00:00:00Z";
  r[BillingPeriodEnd] = "2026-08-01T00:00:00Z";
  r[ChargePeriodStart] = "2026-07-01T00:00:00Z";
  r[ChargePeriodEnd] = "2026-07-02T00:00:00Z";
  r[ChargeCategory] = "Usage";
  r[ChargeFrequency] = "Usage-Based";
  r[ChargeDescription] = "KAFKA_STORAGE of lkc-1";
  r[ServiceCategory] = "Integration";
  r[ServiceSubcategory] = "Messaging";
  r[ServiceName] = "Confluent Cloud Apache Kafka";
  r[ProviderName] = "Confluent";
  r[PublisherName] = "Confluent";
  r[InvoiceIssuerName] = "Confluent";
  r[PricingQuantity] = "5";
  r[PricingUnit] = "GB-Hours";
  r[ConsumedQuantity] = "5";
  r[ConsumedUnit] = "GB-Hours";
  r[ListUnitPrice] = "2";
  r[ContractedUnitPrice] = "2";
  r[PricingCurrencyListUnitPrice] = "2";
  r[PricingCurrencyContractedUnitPrice] = "2";
  r[PricingCategory] = "Standard";
  r[ResourceId] = "lkc-1";
  r[ResourceName] = "orders";
  r[ResourceType] = "kafka_cluster";
  r[RegionId] = "us-east-1";
  r[SubAccountId] = "env-1";
  r[SubAccountName] = "production";
  r[SubAccountType] = "Environment";
  r[SkuId] = "confluent_cloud:KAFKA:KAFKA_STORAGE";
  r[SkuMeter] = "KAFKA_STORAGE";
  r[Tags] = R"({"team":"payments"})";
  r[x_AllocatedResourceId] = "sa-1";
  r[x_AllocationRatio] = "1";
  r[x_DiscountAmount] = "2.0000";
  r[x_SourceProductCategory] = "KAFKA";
  r[x_SourceProductType] = "KAFKA_STORAGE";
  return r;
}

using Mutation = std::function<void(FocusRow&)>;

// The violating row of every row rule, by rule name.
std::map<std::string, Mutation> violations() {
  std::map<std::string, Mutation> m;
  const auto& cols = columns();
  for (int i = 0; i < kColumnCount; ++i) {
    const Col c = static_cast<Col>(i);
    const std::string n(cols[i].name);
    m[n + ".not_null"] = [c](FocusRow& r) { r[c].reset(); };
    m[n + ".no_empty_string"] = [c](FocusRow& r) { r[c] = ""; };
    m[n + ".numeric_format"] = [c](FocusRow& r) { r[c] = "$1,000.00"; };
    m[n + ".datetime_format"] = [c](FocusRow& r) { r[c] = "2026-07-01 00:00:00"; };
    m[n + ".key_value_object"] = [c](FocusRow& r) { r[c] = R"(["a","b"])"; };
    m[n + ".key_value_unique_keys"] = [c](FocusRow& r) { r[c] = R"({"a":"1","a":"2"})"; };
    m[n + ".key_value_scalar_values"] = [c](FocusRow& r) { r[c] = R"({"a":{"b":1}})"; };
    m[n + ".allowed_values"] = [c](FocusRow& r) { r[c] = "Not Applicable"; };
    m[n + ".currency_format"] = [c](FocusRow& r) { r[c] = "US$"; };
    m[n + ".unit_format"] = [c](FocusRow& r) {
      r[CommitmentDiscountQuantity] = "1";
      r[c] = "gigabyte-hours";
    };
    m[n + ".non_negative"] = [c](FocusRow& r) { r[c] = "-2"; };
    m[n + ".null_when_tax"] = [c](FocusRow& r) {
      r[ChargeCategory] = "Tax";
      r[c] = c == PricingCategory ? "Standard" : "1";
    };
  }
  const std::vector<std::pair<Col, Col>> dependent = {
      {BillingAccountType, BillingAccountId},
      {CapacityReservationStatus, CapacityReservationId},
      {CommitmentDiscountCategory, CommitmentDiscountId},
      {CommitmentDiscountName, CommitmentDiscountId},
      {CommitmentDiscountStatus, CommitmentDiscountId},
      {CommitmentDiscountType, CommitmentDiscountId},
      {CommitmentDiscountUnit, CommitmentDiscountQuantity},
      {ConsumedUnit, ConsumedQuantity},
      {PricingUnit, PricingQuantity},
      {RegionName, RegionId},
      {ResourceName, ResourceId},
      {ResourceType, ResourceId},
      {SkuMeter, SkuId},
      {SkuPriceDetails, SkuPriceId},
      {SubAccountName, SubAccountId},
      {SubAccountType, SubAccountId}};
  for (auto [child, parent] : dependent) {
    m[std::string(cols[child].name) + ".null_when_" + std::string(cols[parent].name) + "_null"] =
        [child = child, parent = parent](FocusRow& r) {
          r[parent].reset();
          r[child] = child == SkuPriceDetails ? R"({"x_a":"1"})" : "Used";
        };
  }
  m["ServiceSubcategory.parent_category"] = [](FocusRow& r) { r[ServiceSubcategory] = "Support"; };
  m["ChargeFrequency.not_usage_based_for_purchase"] = [](FocusRow& r) {
    r[ChargeCategory] = "Purchase";
    r[ConsumedQuantity].reset();
    r[ConsumedUnit].reset();
  };
  m["ConsumedQuantity.null_unless_usage"] = [](FocusRow& r) {
    r[ChargeCategory] = "Purchase";
    r[ChargeFrequency] = "Recurring";
  };
  m["ListCost.unit_price_times_quantity"] = [](FocusRow& r) { r[ListCost] = "11.0000"; };
  m["ContractedCost.unit_price_times_quantity"] = [](FocusRow& r) { r[ContractedCost] = "9.0000"; };
  for (Col c : {ListCost, ContractedCost, EffectiveCost}) {
    m[std::string(cols[c].name) + ".equals_billed_for_credit"] = [c](FocusRow& r) {
      r[ChargeCategory] = "Credit";
      r[ChargeFrequency] = "One-Time";
      r[ConsumedQuantity].reset();
      r[ConsumedUnit].reset();
      r[ListUnitPrice].reset();
      r[ContractedUnitPrice].reset();
      r[BilledCost] = "-5.0000";
      r[ListCost] = "-5.0000";
      r[ContractedCost] = "-5.0000";
      r[EffectiveCost] = "-5.0000";
      r[c] = "-4.0000";
    };
  }
  m["ResourceName.not_duplicate_of_id"] = [](FocusRow& r) { r[ResourceName] = "lkc-1"; };
  m["ChargeClass.null_unless_correction"] = [](FocusRow& r) { r[ChargeClass] = "Refund"; };
  m["ChargePeriod.start_before_end"] = [](FocusRow& r) {
    r[ChargePeriodEnd] = "2026-07-01T00:00:00Z";
  };
  m["BillingPeriod.start_before_end"] = [](FocusRow& r) {
    r[BillingPeriodEnd] = "2026-06-01T00:00:00Z";
    r[ChargePeriodStart] = "2026-05-31T00:00:00Z";  // keeps the charge period ordered
  };
  m["ChargePeriod.within_billing_period"] = [](FocusRow& r) {
    r[ChargePeriodStart] = "2026-07-31T00:00:00Z";
    r[ChargePeriodEnd] = "2026-08-01T01:00:00Z";
  };
  return m;
}

TEST(FocusChecker, a_complete_row_conforms) {
  Checker checker;
  checker.check_row(valid_row());
  checker.expect_billed_total("org-1", "2026-07-01T00:00:00Z", "8");
  checker.finish();
  EXPECT_TRUE(checker.conforming()) << checker.first_violations().front().rule << ": "
                                    << checker.first_violations().front().message;
}

TEST(FocusChecker, every_row_rule_fires_on_its_violating_row) {
  auto table = violations();
  int tested = 0;
  for (const auto& rule : rules()) {
    if (rule.scope != RuleScope::kRow) continue;
    auto it = table.find(rule.name);
    ASSERT_NE(it, table.end()) << "no violating row for rule " << rule.name;
    FocusRow row = valid_row();
    it->second(row);
    Checker checker;
    checker.check_row(row);
    EXPECT_TRUE(checker.violated(rule.name)) << rule.name << " did not fire";
    ++tested;
  }
  EXPECT_GT(tested, 100);
  std::cout << "[ rules    ] " << rules().size() << " rules, " << tested << " of them row rules\n";
}

TEST(FocusChecker, rule_names_are_unique) {
  std::set<std::string> seen;
  for (const auto& r : rules()) EXPECT_TRUE(seen.insert(r.name).second) << r.name;
}

TEST(FocusChecker, every_mandatory_column_must_be_present) {
  for (const auto& rule : rules()) {
    if (rule.scope != RuleScope::kHeader || rule.name.rfind("Dataset.", 0) == 0) continue;
    const std::string column = rule.name.substr(0, rule.name.find('.'));
    std::vector<std::string> header;
    for (const auto& c : columns())
      if (c.name != column) header.emplace_back(c.name);
    Checker checker(header);
    EXPECT_TRUE(checker.violated(rule.name)) << rule.name;
  }
}

TEST(FocusChecker, custom_columns_need_the_x_prefix_and_alphanumeric_ids) {
  std::vector<std::string> header;
  for (const auto& c : columns()) header.emplace_back(c.name);
  header.push_back("AllocatedResourceId");  // a FOCUS 1.3 column: custom in 1.2
  header.push_back("x_Bad-Name");
  Checker checker(header);
  EXPECT_TRUE(checker.violated("Dataset.custom_columns_x_prefix"));
  EXPECT_TRUE(checker.violated("Dataset.column_ids_alphanumeric"));
  EXPECT_EQ(checker.counts().at("Dataset.custom_columns_x_prefix"), 1);
}

TEST(FocusChecker, billed_cost_must_sum_to_the_billing_table_per_account_and_period) {
  Checker checker;
  checker.check_row(valid_row());
  checker.check_row(valid_row());
  checker.expect_billed_total("org-1", "2026-07-01T00:00:00Z", "15.9999");
  checker.finish();
  EXPECT_TRUE(checker.violated("BilledCost.sum_matches_billing"));

  Checker exact;
  exact.check_row(valid_row());
  exact.check_row(valid_row());
  exact.expect_billed_total("org-1", "2026-07-01T00:00:00Z", "10");
  exact.expect_billed_total("org-1", "2026-07-01T00:00:00Z", "6.0");
  exact.finish();
  EXPECT_TRUE(exact.conforming());
}

TEST(FocusChecker, a_service_name_has_one_category) {
  Checker checker;
  checker.check_row(valid_row());
  FocusRow other = valid_row();
  other[ServiceCategory] = "Analytics";
  other[ServiceSubcategory] = "Streaming Analytics";
  checker.check_row(other);
  checker.finish();
  EXPECT_TRUE(checker.violated("ServiceName.single_category"));
}

TEST(FocusChecker, a_sku_price_id_has_one_parent_sku) {
  Checker checker;
  FocusRow a = valid_row();
  a[SkuPriceId] = "price-1";
  FocusRow b = a;
  b[SkuId] = "another-sku";
  checker.check_row(a);
  checker.check_row(b);
  checker.finish();
  EXPECT_TRUE(checker.violated("SkuPriceId.single_parent_sku"));
}

TEST(FocusChecker, every_dataset_and_header_rule_has_a_test) {
  std::set<std::string> tested = {"Dataset.custom_columns_x_prefix",
                                  "Dataset.column_ids_alphanumeric",
                                  "BilledCost.sum_matches_billing", "ServiceName.single_category",
                                  "SkuPriceId.single_parent_sku"};
  for (const auto& rule : rules()) {
    if (rule.scope == RuleScope::kRow) continue;
    if (rule.name.size() > 8 && rule.name.substr(rule.name.size() - 8) == ".present") continue;
    EXPECT_TRUE(tested.count(rule.name)) << rule.name;
  }
}

TEST(FocusFormats, numeric_datetime_and_unit_formats) {
  for (const char* ok : {"0", "-1.5", "12.3400", "1E-5", "2.5E3"})
    EXPECT_TRUE(is_numeric_format(ok)) << ok;
  for (const char* bad : {"+1", "1,5", "1e5", "1E+3", "$1", "1/2", "", " 1", "1 GB", ".5"})
    EXPECT_FALSE(is_numeric_format(bad)) << bad;
  EXPECT_TRUE(is_datetime_format("2024-02-29T23:59:59Z"));
  for (const char* bad : {"2023-02-29T00:00:00Z", "2026-07-01T24:00:00Z", "2026-07-01T00:00:00",
                          "2026-07-01T00:00:00+00:00", "2026-7-01T00:00:00Z"})
    EXPECT_FALSE(is_datetime_format(bad)) << bad;
  for (const char* ok : {"GB", "GB-Hours", "Hours", "1000 Requests", "CKU-Hours", "GB/Hour",
                         "Units/3 Months", "Requests/Day"})
    EXPECT_TRUE(is_unit_format(ok)) << ok;
  for (const char* bad :
       {"gigabyte", "GB-hours", "requests", "GB per Hour", "1.5 Requests", "Terabytes"})
    EXPECT_FALSE(is_unit_format(bad)) << bad;
}

}  // namespace
}  // namespace chitragupt::focus
