// Reference §7.2: org-wide costs (test_org_wide_allocators.py), through allocate_line.
#include <gtest/gtest.h>

#include "allocation/allocate_line.hpp"
#include "allocation/test_support.hpp"

namespace chitragupt::allocation {
namespace {

using testing::identity;

Result<std::vector<ChargebackRow>> allocate_org_wide(const std::string& product_type,
                                                     const std::string& total,
                                                     const std::vector<Identity>& identities) {
  const BillingLine line = testing::billing_line(product_type, total, "org-1");
  LineInputs inputs;
  inputs.identities = &identities;
  return allocate_line(line, inputs, Registry::confluent_cloud());
}

TEST(OrgWide, audit_log_splits_evenly_over_tenant_period_identities) {
  auto rows =
      allocate_org_wide("AUDIT_LOG_READ", "100",
                        {identity("sa-1", "service_account"), identity("sa-2", "service_account"),
                         identity("sa-3", "service_account")});
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(*rows,
                       {{"sa-1", "33.3334", CostType::kShared, "even_split", std::nullopt, 0},
                        {"sa-2", "33.3333", CostType::kShared, "even_split", std::nullopt, 0},
                        {"sa-3", "33.3333", CostType::kShared, "even_split", std::nullopt, 0}});
}

TEST(OrgWide, rows_come_in_sorted_identity_order) {
  auto rows =
      allocate_org_wide("SUPPORT", "99",
                        {identity("sa-c", "service_account"), identity("sa-a", "service_account"),
                         identity("sa-b", "service_account")});
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(*rows,
                       {{"sa-a", "33.0000", CostType::kShared, "even_split", std::nullopt, 0},
                        {"sa-b", "33.0000", CostType::kShared, "even_split", std::nullopt, 0},
                        {"sa-c", "33.0000", CostType::kShared, "even_split", std::nullopt, 0}});
}

TEST(OrgWide, only_service_accounts_users_and_pools_share) {
  auto rows = allocate_org_wide("AUDIT_LOG_READ", "300",
                                {identity("sa-1", "service_account"), identity("u-1", "user"),
                                 identity("pool-1", "identity_pool"), identity("key-1", "api_key"),
                                 identity("sys-1", "system")});
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(*rows,
                       {{"pool-1", "100.0000", CostType::kShared, "even_split", std::nullopt, 0},
                        {"sa-1", "100.0000", CostType::kShared, "even_split", std::nullopt, 0},
                        {"u-1", "100.0000", CostType::kShared, "even_split", std::nullopt, 0}});
}

TEST(OrgWide, nobody_to_charge_goes_to_unallocated_at_tier_1) {
  auto rows = allocate_org_wide("AUDIT_LOG_READ", "100", {});
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(*rows, {{"UNALLOCATED", "100.0000", CostType::kShared, "terminal",
                                "no_identities_located", 1}});
}

TEST(OrgWide, principals_are_not_org_wide_owners) {
  // TP-owners include principals, but the org-wide tier names only SA/user/pool.
  auto rows = allocate_org_wide("SUPPORT", "10", {identity("User:alice", "principal")});
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(*rows, {{"UNALLOCATED", "10.0000", CostType::kShared, "terminal",
                                "no_identities_located", 1}});
}

}  // namespace
}  // namespace chitragupt::allocation
