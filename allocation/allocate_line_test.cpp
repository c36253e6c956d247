#include "allocation/allocate_line.hpp"

#include <gtest/gtest.h>

#include "allocation/test_support.hpp"
#include "allocation/time_window.hpp"

namespace chitragupt::allocation {
namespace {

using testing::api_key;
using testing::identity;
using testing::kDay0;
using testing::kHour;

constexpr auto kShared = CostType::kShared;

TEST(BillingWindow, has_the_length_of_its_granularity) {
  EXPECT_EQ(billing_window(kDay0, "hourly")->seconds(), kHour);
  EXPECT_EQ(billing_window(kDay0, "daily")->seconds(), 24 * kHour);
  EXPECT_EQ(billing_window(kDay0, "DAILY")->seconds(), 24 * kHour);
  EXPECT_EQ(billing_window(kDay0, "monthly")->seconds(), 28 * 24 * kHour);       // February 2026
  EXPECT_EQ(billing_window(1706745600, "monthly")->seconds(), 29 * 24 * kHour);  // Feb 2024
  EXPECT_EQ(billing_window(1704067200, "monthly")->seconds(), 31 * 24 * kHour);  // Jan 2024
  EXPECT_EQ(billing_window(kDay0, "weekly", {{"weekly", 168}})->seconds(), 168 * kHour);
  auto unknown = billing_window(kDay0, "fortnightly");
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_NE(unknown.error().find("fortnightly"), std::string::npos);
}

TEST(ActiveFraction, clamps_the_lifetime_to_the_window) {
  const TimeWindow day{kDay0, kDay0 + 24 * kHour};
  auto f = active_fraction(kDay0 + 12 * kHour, std::nullopt, day);
  EXPECT_EQ(f.active_seconds * 2, f.window_seconds);
  f = active_fraction(kDay0 - 100 * kHour, kDay0 + 6 * kHour, day);  // created long before
  EXPECT_EQ(f.active_seconds, 6 * kHour);
  EXPECT_TRUE(active_fraction(std::nullopt, std::nullopt, day).is_whole());
  EXPECT_EQ(active_fraction(kDay0 + 30 * kHour, std::nullopt, day).active_seconds, 0);
  EXPECT_EQ(active_fraction(std::nullopt, kDay0, day).active_seconds, 0);
  EXPECT_TRUE(active_fraction(kDay0 + 1, std::nullopt, TimeWindow{kDay0, kDay0}).is_whole());
}

// Reference §7 active-fraction notes. SPEC §6 changes the rule: the inactive part goes to
// UNALLOCATED (resource_inactive_fraction) instead of vanishing, so these tests also expect
// that extra row.
Result<std::vector<ChargebackRow>> allocate_with_cluster_created(EpochSeconds created_at,
                                                                 const std::string& product) {
  const BillingLine line = testing::billing_line(product, "100");
  Resource cluster = testing::resource("lkc-abc", "kafka_cluster");
  cluster.created_at = created_at;
  const std::vector<Resource> resources = {cluster};
  const std::vector<Identity> identities = {identity("sa-1", "service_account"),
                                            api_key("key-1", "sa-1", "lkc-abc")};
  LineInputs inputs;
  inputs.resources = &resources;
  inputs.identities = &identities;
  return allocate_line(line, inputs, Registry::confluent_cloud());
}

TEST(ActiveFraction, cluster_created_at_noon_charges_half_and_leaves_half_unallocated) {
  auto rows = allocate_with_cluster_created(kDay0 + 12 * kHour, "KAFKA_BASE");
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(
      *rows, {{"sa-1", "50.0000", kShared, "even_split", "no_metrics_located", std::nullopt},
              {"UNALLOCATED", "50.0000", kShared, "inactive_fraction", "resource_inactive_fraction",
               std::nullopt}});
}

TEST(ActiveFraction, cluster_created_at_four_pm_charges_a_third_exactly) {
  // The original: split = 33.33333333333333333333333333, quantized to 33.3333 by the split.
  auto rows = allocate_with_cluster_created(kDay0 + 16 * kHour, "KAFKA_BASE");
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(
      *rows, {{"sa-1", "33.3333", kShared, "even_split", "no_metrics_located", std::nullopt},
              {"UNALLOCATED", "66.6667", kShared, "inactive_fraction", "resource_inactive_fraction",
               std::nullopt}});
  EXPECT_EQ((*rows)[1].metadata.env_id, "env-1");
}

TEST(ActiveFraction, resource_deleted_at_window_start_sends_everything_to_unallocated) {
  const BillingLine line = testing::billing_line("SCHEMA_REGISTRY", "12.5", "lsrc-1");
  Resource sr = testing::resource("lsrc-1", "schema_registry");
  sr.deleted_at = kDay0;
  const std::vector<Resource> resources = {sr};
  LineInputs inputs;
  inputs.resources = &resources;
  auto rows = allocate_line(line, inputs, Registry::confluent_cloud());
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(
      *rows, {{"lsrc-1", "0.0000", kShared, "terminal", "no_identities_located", 2},
              {"UNALLOCATED", "12.5000", kShared, "inactive_fraction", "resource_inactive_fraction",
               std::nullopt}});
}

TEST(ActiveFraction, ignores_resources_of_types_no_handler_gathers) {
  const BillingLine line = testing::billing_line("KAFKA_BASE", "10");
  Resource topic = testing::resource("lkc-abc", "topic");
  topic.created_at = kDay0 + 12 * kHour;
  const std::vector<Resource> resources = {topic};
  LineInputs inputs;
  inputs.resources = &resources;
  auto rows = allocate_line(line, inputs, Registry::confluent_cloud());
  ASSERT_TRUE(rows.is_ok());
  testing::expect_rows(*rows, {{"lkc-abc", "10.0000", kShared, "to_resource",
                                "no_identities_located", std::nullopt}});
}

TEST(ActiveFraction, does_not_apply_to_unknown_product_types) {
  auto rows = allocate_with_cluster_created(kDay0 + 12 * kHour, "BRAND_NEW_PRODUCT");
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(*rows, {{"lkc-abc", "100.0000", kShared, "unknown",
                                "using_unknown_allocator", std::nullopt}});
}

TEST(AllocateLine, quantizes_single_row_paths_so_rows_sum_to_the_billed_amount) {
  // The original emitted 0.2440000000000000074505805969 unquantized on a single-row path.
  const BillingLine line =
      testing::billing_line("TABLEFLOW_STORAGE", "0.2440000000000000074505805969", "tf-1");
  auto rows = allocate_line(line, LineInputs{}, Registry::confluent_cloud());
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(
      *rows, {{"tf-1", "0.2440", kShared, "default", "using_default_allocator", std::nullopt}});
}

TEST(AllocateLine, merged_pricing_tiers_bill_their_exact_sum) {
  // Reference §7.9: two NUM_RULES tier rows (240 x 0.023 = 5.52, 72 x 0.0345 = 2.484) merge
  // into one line of 8.004, which allocation charges as 8.0040.
  const Decimal total = *testing::decimal("5.52").add(testing::decimal("2.484"));
  EXPECT_EQ(total.to_string(), "8.004");
  BillingLine line = testing::billing_line("NUM_RULES", "0", "lsrc-test");
  line.total_cost = total;
  line.quantity = testing::decimal("312");
  line.unit_price = testing::decimal("0");
  const std::vector<Identity> identities = {testing::identity("sa-1", "service_account"),
                                            testing::api_key("key-1", "sa-1", "lsrc-test")};
  LineInputs inputs;
  inputs.identities = &identities;
  auto rows = allocate_line(line, inputs, Registry::confluent_cloud());
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(*rows,
                       {{"sa-1", "8.0040", CostType::kUsage, "even_split", std::nullopt, 0}});
}

TEST(AllocateLine, copies_the_line_dimensions_onto_every_row) {
  BillingLine line = testing::billing_line("CLUSTER_LINKING_READ", "3.5");
  line.product_category = "CLUSTER_LINK";
  auto rows = allocate_line(line, LineInputs{}, Registry::confluent_cloud());
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  ASSERT_EQ(rows->size(), 1u);
  const ChargebackRow& row = (*rows)[0];
  EXPECT_EQ(row.ecosystem, "confluent_cloud");
  EXPECT_EQ(row.tenant_id, "org-1");
  EXPECT_EQ(row.timestamp, kDay0);
  EXPECT_EQ(row.resource_id, "lkc-abc");
  EXPECT_EQ(row.product_category, "CLUSTER_LINK");
  EXPECT_EQ(row.product_type, "CLUSTER_LINKING_READ");
  EXPECT_EQ(row.metadata.env_id, "env-1");
  EXPECT_FALSE(row.dimension_id.has_value());
  EXPECT_TRUE(row.tags.empty());
}

TEST(AllocateLine, rejects_unknown_granularity_and_unrepresentable_amounts) {
  BillingLine line = testing::billing_line("KAFKA_BASE", "10");
  line.granularity = "yearly";
  auto rows = allocate_line(line, LineInputs{}, Registry::confluent_cloud());
  ASSERT_FALSE(rows.is_ok());
  EXPECT_NE(rows.error().find("unknown granularity 'yearly'"), std::string::npos);

  line = testing::billing_line("KAFKA_BASE", "1e30");
  rows = allocate_line(line, LineInputs{}, Registry::confluent_cloud());
  ASSERT_FALSE(rows.is_ok());
  EXPECT_NE(rows.error().find("out of range"), std::string::npos);
}

TEST(AllocateLine, splits_credits_into_non_positive_rows_that_sum_to_the_credit) {
  const BillingLine line = testing::billing_line("AUDIT_LOG_READ", "-10.00005", "org-1");
  const std::vector<Identity> identities = {identity("sa-1", "service_account"),
                                            identity("sa-2", "service_account"),
                                            identity("sa-3", "service_account")};
  LineInputs inputs;
  inputs.identities = &identities;
  auto rows = allocate_line(line, inputs, Registry::confluent_cloud());
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  EXPECT_EQ(testing::sum_of(*rows).to_string(), "-10.0001");
  for (const ChargebackRow& row : *rows) EXPECT_LE(row.amount, Money());
}

TEST(AllocationFailedRow, charges_the_whole_line_to_unallocated) {
  const BillingLine line = testing::billing_line("KAFKA_BASE", "12.34567");
  auto row = allocation_failed_row(line, 3, "boom");
  ASSERT_TRUE(row.is_ok());
  testing::expect_rows({*row}, {{"UNALLOCATED", "12.3457", kShared, "ALLOCATION_FAILED",
                                 "Failed after 3 attempts: boom", std::nullopt}});
}

TEST(MergeRows, sums_rows_of_the_same_fact_and_keeps_the_others_apart) {
  const BillingLine line = testing::billing_line("KAFKA_BASE", "1");
  const AllocationContext ctx = testing::context_for(line, "1");
  ChargebackRow a =
      make_row(ctx, "sa-1", kShared, testing::money("1.5"), "even_split", std::nullopt);
  ChargebackRow b = a;
  b.amount = testing::money("2.25");
  ChargebackRow other_detail = a;
  other_detail.allocation_detail = "no_metrics_located";
  ChargebackRow other_env = a;
  other_env.metadata.env_id = "env-2";
  ChargebackRow other_day = a;
  other_day.timestamp += 24 * kHour;
  auto merged = merge_same_fact_rows({a, other_detail, b, other_env, other_day});
  ASSERT_TRUE(merged.is_ok());
  ASSERT_EQ(merged->size(), 4u);
  EXPECT_EQ((*merged)[0].amount.to_string(), "3.7500");
  EXPECT_EQ((*merged)[1].allocation_detail, "no_metrics_located");
  EXPECT_EQ((*merged)[2].metadata.env_id, "env-2");
  EXPECT_EQ((*merged)[3].timestamp, kDay0 + 24 * kHour);
}

TEST(MergeRows, reports_overflow_instead_of_wrapping) {
  const BillingLine line = testing::billing_line("KAFKA_BASE", "1");
  const AllocationContext ctx = testing::context_for(line, "1");
  ChargebackRow a =
      make_row(ctx, "sa-1", kShared, Money::from_units(std::numeric_limits<std::int64_t>::max()),
               "even_split", std::nullopt);
  EXPECT_FALSE(merge_same_fact_rows({a, a}).is_ok());
}

}  // namespace
}  // namespace chitragupt::allocation
