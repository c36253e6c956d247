// Reference §7.1: the even-split and usage-ratio helpers (tests/unit/core/engine/test_helpers.py).
#include "allocation/split.hpp"

#include <gtest/gtest.h>

#include "allocation/test_support.hpp"
#include "allocation/tier_chain.hpp"

namespace chitragupt::allocation {
namespace {

using testing::money;

std::vector<std::string> texts(const std::vector<Money>& amounts) {
  std::vector<std::string> out;
  for (Money m : amounts) out.push_back(m.to_string());
  return out;
}

using Texts = std::vector<std::string>;

TEST(SplitEvenly, ten_over_three_keeps_remainder_on_first_share) {
  EXPECT_EQ(texts(split_evenly(money("10.00"), 3)), (Texts{"3.3334", "3.3333", "3.3333"}));
}

TEST(SplitEvenly, three_over_three_is_exact) {
  EXPECT_EQ(texts(split_evenly(money("3.00"), 3)), (Texts{"1.0000", "1.0000", "1.0000"}));
}

TEST(SplitEvenly, one_step_over_999_goes_to_the_first_share_only) {
  const std::vector<Money> shares = split_evenly(money("0.0001"), 999);
  ASSERT_EQ(shares.size(), 999u);
  EXPECT_EQ(shares[0].to_string(), "0.0001");
  for (std::size_t i = 1; i < shares.size(); ++i) EXPECT_TRUE(shares[i].is_zero()) << i;
}

TEST(SplitEvenly, quantizes_the_total_half_up_before_splitting) {
  // q(1.00005) = 1.0001; base q(0.50005) = 0.5001 overshoots, the first share gives it back.
  EXPECT_EQ(texts(split_evenly(money("1.00005"), 2)), (Texts{"0.5000", "0.5001"}));
}

TEST(SplitEvenly, sub_step_total_rounds_up_to_one_step_on_the_second_share) {
  // q(0.00009) = 0.0001; base q(0.00005) = 0.0001 overshoots, the first share gives it back.
  EXPECT_EQ(texts(split_evenly(money("0.00009"), 2)), (Texts{"0.0000", "0.0001"}));
}

TEST(SplitEvenly, zero_gives_zero_shares) {
  EXPECT_EQ(texts(split_evenly(money("0"), 3)), (Texts{"0.0000", "0.0000", "0.0000"}));
  EXPECT_TRUE(split_evenly(money("5"), 0).empty());
}

TEST(SplitEvenly, negative_remainder_comes_from_the_first_share) {
  // Derived in the reference: base q(0.66667) = 0.6667, 3 x 0.6667 = 2.0001.
  EXPECT_EQ(texts(split_evenly(money("2.00"), 3)), (Texts{"0.6666", "0.6667", "0.6667"}));
}

TEST(SplitEvenly, splits_credits_symmetrically) {
  EXPECT_EQ(texts(split_evenly(money("-10.00"), 3)), (Texts{"-3.3334", "-3.3333", "-3.3333"}));
  EXPECT_EQ(texts(split_evenly(money("-2.00"), 3)), (Texts{"-0.6666", "-0.6667", "-0.6667"}));
}

TEST(DistributeRemainder, walks_cyclically_from_the_first_entry) {
  std::vector<Money> amounts = {money("1"), money("1"), money("1")};
  ASSERT_TRUE(distribute_remainder(amounts, money("0.0004")).is_ok());
  EXPECT_EQ(texts(amounts), (Texts{"1.0002", "1.0001", "1.0001"}));
  ASSERT_TRUE(distribute_remainder(amounts, money("-0.0002")).is_ok());
  EXPECT_EQ(texts(amounts), (Texts{"1.0001", "1.0000", "1.0001"}));
}

TEST(DistributeRemainder, never_pushes_a_share_below_zero_for_a_positive_total) {
  // The original would take the step from the first share and leave it at -0.0001.
  std::vector<Money> amounts = {money("0"), money("0.0002"), money("0.0002"), money("0.0002")};
  ASSERT_TRUE(distribute_remainder(amounts, money("-0.0001")).is_ok());
  EXPECT_EQ(texts(amounts), (Texts{"0.0000", "0.0001", "0.0002", "0.0002"}));
}

TEST(DistributeRemainder, zero_diff_is_a_no_op_and_no_shares_is_an_error) {
  std::vector<Money> none;
  EXPECT_TRUE(distribute_remainder(none, Money()).is_ok());
  EXPECT_FALSE(distribute_remainder(none, money("0.0001")).is_ok());
}

TEST(UsageRatio, sixty_forty_of_ten) {
  auto shares = split_by_usage_ratio(money("10.00"), {{"u-1", 60}, {"u-2", 40}});
  ASSERT_TRUE(shares.is_ok()) << shares.error();
  EXPECT_EQ((*shares)[0].amount.to_string(), "6.0000");
  EXPECT_EQ((*shares)[1].amount.to_string(), "4.0000");
  EXPECT_DOUBLE_EQ((*shares)[0].ratio, 0.6);
  EXPECT_DOUBLE_EQ((*shares)[1].ratio, 0.4);
}

TEST(UsageRatio, equal_thirds_keep_remainder_on_first_identity) {
  auto shares = split_by_usage_ratio(money("10.00"), {{"u-1", 1}, {"u-2", 1}, {"u-3", 1}});
  ASSERT_TRUE(shares.is_ok()) << shares.error();
  EXPECT_EQ((*shares)[0].amount.to_string(), "3.3334");
  EXPECT_EQ((*shares)[1].amount.to_string(), "3.3333");
  EXPECT_EQ((*shares)[2].amount.to_string(), "3.3333");
}

TEST(UsageRatio, quantized_split_of_1_00005_sums_to_1_0001) {
  auto shares = split_by_usage_ratio(money("1.00005"), {{"u-1", 60}, {"u-2", 40}});
  ASSERT_TRUE(shares.is_ok()) << shares.error();
  EXPECT_EQ((*shares)[0].amount.to_string(), "0.6001");
  EXPECT_EQ((*shares)[1].amount.to_string(), "0.4000");
  EXPECT_EQ(((*shares)[0].amount + (*shares)[1].amount).to_string(), "1.0001");
}

TEST(UsageRatio, thirds_of_333_333_334_are_exact) {
  // Reference §7 [DOC≠CODE] note: usage 333/333/334 of $100 -> 33.3000/33.3000/33.4000.
  auto shares = split_by_usage_ratio(money("100"), {{"a", 333}, {"b", 333}, {"c", 334}});
  ASSERT_TRUE(shares.is_ok()) << shares.error();
  EXPECT_EQ((*shares)[0].amount.to_string(), "33.3000");
  EXPECT_EQ((*shares)[1].amount.to_string(), "33.3000");
  EXPECT_EQ((*shares)[2].amount.to_string(), "33.4000");
}

TEST(UsageRatio, rejects_empty_zero_and_non_finite_usage) {
  EXPECT_FALSE(split_by_usage_ratio(money("1"), {}).is_ok());
  EXPECT_FALSE(split_by_usage_ratio(money("1"), {{"a", 0}}).is_ok());
  EXPECT_FALSE(split_by_usage_ratio(money("1"), {{"a", -1}, {"b", 2}}).is_ok());
  EXPECT_FALSE(split_by_usage_ratio(money("1"), {{"a", 1.0 / 0.0}}).is_ok());
}

TEST(UsageRatio, tiny_shares_never_go_negative) {
  // 0.0005 x {0.04, 0.32, 0.32, 0.32} rounds to 0/2/2/2 steps = 0.0006: one step too many,
  // taken from the first share that has one.
  auto shares = split_by_usage_ratio(money("0.0005"), {{"a", 4}, {"b", 32}, {"c", 32}, {"d", 32}});
  ASSERT_TRUE(shares.is_ok()) << shares.error();
  EXPECT_EQ((*shares)[0].amount.to_string(), "0.0000");
  EXPECT_EQ((*shares)[1].amount.to_string(), "0.0001");
  EXPECT_EQ((*shares)[2].amount.to_string(), "0.0002");
  EXPECT_EQ((*shares)[3].amount.to_string(), "0.0002");
}

// The original's allocate_by_usage_ratio / allocate_evenly wrappers, with their UNALLOCATED rows.
TEST(UsageRatioRows, fetch_failure_gives_one_unallocated_row) {
  const BillingLine line = testing::billing_line("KAFKA_NETWORK_READ", "10");
  AllocationContext ctx = testing::context_for(line, "10");
  ctx.metrics_fetch_failed = true;
  auto rows = allocate_by_usage_ratio(ctx, {{"u-1", 1}});
  ASSERT_TRUE(rows.is_ok());
  testing::expect_rows(*rows, {{"UNALLOCATED", "10.0000", CostType::kShared, "usage_ratio",
                                "metrics_fetch_failed", std::nullopt}});
}

TEST(UsageRatioRows, no_usage_gives_one_unallocated_row) {
  const BillingLine line = testing::billing_line("KAFKA_NETWORK_READ", "10");
  const AllocationContext ctx = testing::context_for(line, "10");
  auto rows = allocate_by_usage_ratio(ctx, {{"u-1", 0}});
  ASSERT_TRUE(rows.is_ok());
  testing::expect_rows(*rows, {{"UNALLOCATED", "10.0000", CostType::kShared, "usage_ratio",
                                "no_usage_for_active_identities", std::nullopt}});
}

TEST(UsageRatioRows, usage_rows_carry_ratio_and_detail) {
  const BillingLine line = testing::billing_line("KAFKA_NETWORK_READ", "10");
  const AllocationContext ctx = testing::context_for(line, "10.00");
  auto rows = allocate_by_usage_ratio(ctx, {{"u-1", 60}, {"u-2", 40}});
  ASSERT_TRUE(rows.is_ok());
  testing::expect_rows(
      *rows,
      {{"u-1", "6.0000", CostType::kUsage, "usage_ratio", "usage_ratio_allocation", std::nullopt},
       {"u-2", "4.0000", CostType::kUsage, "usage_ratio", "usage_ratio_allocation", std::nullopt}});
  EXPECT_EQ((*rows)[0].metadata.ratio, 0.6);
  EXPECT_EQ((*rows)[0].metadata.env_id, "env-1");
}

TEST(EvenRows, no_identities_gives_one_unallocated_row) {
  const BillingLine line = testing::billing_line("KAFKA_BASE", "7");
  const AllocationContext ctx = testing::context_for(line, "7");
  testing::expect_rows(allocate_evenly(ctx, {}, std::nullopt, CostType::kUsage),
                       {{"UNALLOCATED", "7.0000", CostType::kUsage, "even_split",
                         "no_identities_located", std::nullopt}});
  testing::expect_rows(allocate_evenly(ctx, {"sa-2", "sa-1"}, std::string("x")),
                       {{"sa-2", "3.5000", CostType::kShared, "even_split", "x", std::nullopt},
                        {"sa-1", "3.5000", CostType::kShared, "even_split", "x", std::nullopt}});
}

}  // namespace
}  // namespace chitragupt::allocation
