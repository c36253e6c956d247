// Reference §7.3-7.5: KAFKA_NUM_CKU composition (test_cku_allocators.py,
// test_kafka_allocators.py), through allocate_line.
#include <gtest/gtest.h>

#include "allocation/allocate_line.hpp"
#include "allocation/allocators.hpp"
#include "allocation/test_support.hpp"

namespace chitragupt::allocation {
namespace {

using testing::api_key;
using testing::identity;
using testing::metric;

constexpr auto kUsage = CostType::kUsage;
constexpr auto kShared = CostType::kShared;

// resource_active = {sa-1, sa-2}: owners of API keys on lkc-abc.
std::vector<Identity> two_owners() {
  return {identity("sa-1", "service_account"), identity("sa-2", "service_account"),
          api_key("key-1", "sa-1", "lkc-abc"), api_key("key-2", "sa-2", "lkc-abc")};
}

Result<std::vector<ChargebackRow>> allocate_cku_line(const std::vector<Identity>& identities,
                                                     const std::vector<MetricRow>* metrics,
                                                     AllocatorParams params = {}) {
  const BillingLine line = testing::billing_line("KAFKA_NUM_CKU", "100.00");
  LineInputs inputs;
  inputs.identities = &identities;
  inputs.metrics = metrics;
  inputs.params = std::move(params);
  return allocate_line(line, inputs, Registry::confluent_cloud());
}

void expect_composition(const std::vector<ChargebackRow>& rows, std::size_t usage_rows,
                        double usage_ratio, double shared_ratio) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const bool usage_part = i < usage_rows;
    EXPECT_EQ(rows[i].metadata.composition_index, usage_part ? 0 : 1) << i;
    EXPECT_EQ(rows[i].metadata.composition_ratio, usage_part ? usage_ratio : shared_ratio) << i;
  }
}

TEST(Cku, with_metrics_splits_seventy_by_bytes_and_thirty_evenly) {
  const std::vector<MetricRow> metrics = {metric("bytes_in", "sa-1", 300),
                                          metric("bytes_out", "sa-2", 700)};
  auto rows = allocate_cku_line(two_owners(), &metrics);
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(*rows,
                       {{"sa-1", "21.0000", kUsage, "usage_ratio", "usage_ratio_allocation", 0},
                        {"sa-2", "49.0000", kUsage, "usage_ratio", "usage_ratio_allocation", 0},
                        {"sa-1", "15.0000", kUsage, "even_split", std::nullopt, 0},
                        {"sa-2", "15.0000", kUsage, "even_split", std::nullopt, 0}});
  EXPECT_EQ((*rows)[0].metadata.ratio, 0.3);
  EXPECT_EQ((*rows)[1].metadata.ratio, 0.7);
  EXPECT_FALSE((*rows)[2].metadata.ratio.has_value());
  expect_composition(*rows, 2, 0.7, 0.3);
  EXPECT_EQ(testing::sum_of(*rows).to_string(), "100.0000");
}

TEST(Cku, params_sixty_forty_change_the_parts) {
  const std::vector<MetricRow> metrics = {metric("bytes_in", "sa-1", 300),
                                          metric("bytes_out", "sa-2", 700)};
  auto rows =
      allocate_cku_line(two_owners(), &metrics,
                        {{"kafka_cku_usage_ratio", "0.60"}, {"kafka_cku_shared_ratio", "0.40"}});
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(*rows,
                       {{"sa-1", "18.0000", kUsage, "usage_ratio", "usage_ratio_allocation", 0},
                        {"sa-2", "42.0000", kUsage, "usage_ratio", "usage_ratio_allocation", 0},
                        {"sa-1", "20.0000", kUsage, "even_split", std::nullopt, 0},
                        {"sa-2", "20.0000", kUsage, "even_split", std::nullopt, 0}});
  expect_composition(*rows, 2, 0.6, 0.4);
}

TEST(Cku, ratios_not_summing_to_one_are_an_error) {
  auto rows =
      allocate_cku_line(two_owners(), nullptr,
                        {{"kafka_cku_usage_ratio", "0.80"}, {"kafka_cku_shared_ratio", "0.30"}});
  ASSERT_FALSE(rows.is_ok());
  EXPECT_NE(rows.error().find("must sum to 1"), std::string::npos) << rows.error();
  EXPECT_NE(rows.error().find("0.80"), std::string::npos) << rows.error();
}

TEST(Cku, ratio_validation_names_the_bad_parameter) {
  EXPECT_TRUE(validate_allocator_params({}).is_ok());
  EXPECT_TRUE(validate_allocator_params(
                  {{"kafka_cku_usage_ratio", "0.7"}, {"kafka_cku_shared_ratio", "0.30005"}})
                  .is_ok());  // within 0.0001
  const Status bad_text = validate_allocator_params({{"kafka_cku_usage_ratio", "seventy"}});
  EXPECT_NE(bad_text.message().find("allocator_params.kafka_cku_usage_ratio"), std::string::npos)
      << bad_text.message();
  const Status out_of_range = validate_allocator_params(
      {{"kafka_cku_usage_ratio", "1.2"}, {"kafka_cku_shared_ratio", "-0.2"}});
  EXPECT_NE(out_of_range.message().find("must be between 0 and 1"), std::string::npos)
      << out_of_range.message();
  auto defaults = cku_ratios({});
  ASSERT_TRUE(defaults.is_ok());
  EXPECT_EQ(defaults->usage.to_string(), "0.70");
  EXPECT_EQ(defaults->shared.to_string(), "0.30");
}

TEST(Cku, no_metrics_usage_part_falls_to_even_split_of_active_identities) {
  auto rows = allocate_cku_line(two_owners(), nullptr);
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(
      *rows, {{"sa-1", "35.0000", kShared, "even_split", "no_usage_for_active_identities", 1},
              {"sa-2", "35.0000", kShared, "even_split", "no_usage_for_active_identities", 1},
              {"sa-1", "15.0000", kUsage, "even_split", std::nullopt, 0},
              {"sa-2", "15.0000", kUsage, "even_split", std::nullopt, 0}});
  expect_composition(*rows, 2, 0.7, 0.3);
}

TEST(Cku, only_tenant_period_identity_takes_both_parts) {
  auto rows = allocate_cku_line({identity("sa-3", "service_account")}, nullptr);
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(
      *rows,
      {{"sa-3", "70.0000", kShared, "even_split", "no_metrics_no_active_identities_located", 2},
       {"sa-3", "30.0000", kShared, "even_split", "no_active_identities_located", 1}});
  expect_composition(*rows, 1, 0.7, 0.3);
}

TEST(Cku, no_identities_charges_the_cluster_twice_at_terminal_tiers) {
  auto rows = allocate_cku_line({}, nullptr);
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(*rows,
                       {{"lkc-abc", "70.0000", kShared, "terminal", "no_identities_located", 3},
                        {"lkc-abc", "30.0000", kShared, "terminal", "no_identities_located", 2}});
  expect_composition(*rows, 1, 0.7, 0.3);
}

TEST(Cku, terminal_rows_of_both_parts_merge_by_summing) {
  // SPEC §6: rows sharing a fact are summed. The original stored the last one (30.0000).
  auto rows = allocate_cku_line({}, nullptr);
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  ASSERT_TRUE(same_fact((*rows)[0], (*rows)[1]));
  auto merged = merge_same_fact_rows(*rows);
  ASSERT_TRUE(merged.is_ok()) << merged.error();
  ASSERT_EQ(merged->size(), 1u);
  EXPECT_EQ((*merged)[0].amount.to_string(), "100.0000");
  EXPECT_EQ((*merged)[0].metadata.chain_tier, 3);  // the first row's metadata is kept
}

TEST(Cku, metrics_fetch_failure_skips_the_usage_tier) {
  const std::vector<MetricRow> metrics = {metric("bytes_in", "sa-1", 300)};
  const BillingLine line = testing::billing_line("KAFKA_NUM_CKUS", "100.00");
  const std::vector<Identity> identities = two_owners();
  LineInputs inputs;
  inputs.identities = &identities;
  inputs.metrics = &metrics;
  inputs.metrics_fetch_failed = true;
  auto rows = allocate_line(line, inputs, Registry::confluent_cloud());
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  EXPECT_EQ((*rows)[0].allocation_detail, "no_usage_for_active_identities");
  EXPECT_EQ((*rows)[0].metadata.chain_tier, 1);
}

TEST(Cku, usage_of_api_keys_is_charged_to_their_owners) {
  const std::vector<MetricRow> metrics = {metric("bytes_in", "key-1", 100),
                                          metric("bytes_out", "key-2", 300)};
  auto rows = allocate_cku_line(two_owners(), &metrics);
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  EXPECT_EQ((*rows)[0].identity_id, "sa-1");
  EXPECT_EQ((*rows)[0].amount.to_string(), "17.5000");
  EXPECT_EQ((*rows)[1].identity_id, "sa-2");
  EXPECT_EQ((*rows)[1].amount.to_string(), "52.5000");
}

}  // namespace
}  // namespace chitragupt::allocation
