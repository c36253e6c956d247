// The generated organisation has the sizes and the awkward shapes chitragupt must handle.
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "sim/api_views.hpp"
#include "sim/billing.hpp"
#include "sim/org_model.hpp"
#include "sim/sim_time.hpp"
#include "sim/telemetry.hpp"

namespace ccloud_sim {
namespace {

const int64_t kEndDay = *parse_date("2026-02-01");

size_t owner_identities(const OrgModel& m) {
  return m.service_accounts.size() + m.users.size() + m.identity_pools.size();
}

TEST(OrgModel, preset_sizes) {
  const auto small = generate_org(1, Preset::kSmall, kEndDay, 30);
  EXPECT_EQ(small.environments.size(), 2u);
  EXPECT_EQ(small.kafka_clusters.size(), 3u);
  EXPECT_EQ(owner_identities(small), 20u);
  const auto medium = generate_org(1, Preset::kMedium, kEndDay, 30);
  EXPECT_EQ(medium.environments.size(), 4u);
  EXPECT_EQ(medium.kafka_clusters.size(), 10u);
  EXPECT_EQ(owner_identities(medium), 198u);
  const auto large = generate_org(1, Preset::kLarge, kEndDay, 30);
  EXPECT_EQ(large.environments.size(), 8u);
  EXPECT_EQ(large.kafka_clusters.size(), 20u);
  EXPECT_EQ(owner_identities(large), 1990u);
  EXPECT_GT(large.api_keys.size(), 1000u);
}

class Shapes : public ::testing::TestWithParam<Preset> {
 protected:
  OrgModel m_ = generate_org(17, GetParam(), kEndDay, 30);
};

TEST_P(Shapes, connectors_use_both_auth_modes_with_real_masked_and_unknown_keys) {
  std::set<std::string> keys;
  for (const auto& k : m_.api_keys) keys.insert(k.id);
  int real = 0, masked = 0, unknown = 0, service_account = 0, implicit_mode = 0;
  for (const auto& c : m_.connectors) {
    if (c.auth_mode == "SERVICE_ACCOUNT") {
      ++service_account;
      EXPECT_FALSE(c.service_account_id.empty());
    } else if (c.api_key == "****************") {
      ++masked;
    } else if (keys.count(c.api_key) != 0) {
      ++real;
    } else {
      ++unknown;
    }
    implicit_mode += c.explicit_auth_mode ? 0 : 1;
  }
  EXPECT_GT(real, 0);
  EXPECT_GT(masked, 0);
  EXPECT_GT(unknown, 0);
  EXPECT_GT(service_account, 0);
  EXPECT_GT(implicit_mode, 0);
}

TEST_P(Shapes, some_api_keys_have_owners_that_no_longer_exist) {
  std::map<std::string, const ServiceAccount*> accounts;
  for (const auto& sa : m_.service_accounts) accounts[sa.id] = &sa;
  int dangling = 0, cloud = 0, users = 0;
  for (const auto& k : m_.api_keys) {
    if (!k.life.listed()) continue;
    auto it = accounts.find(k.owner_id);
    dangling += it != accounts.end() && !it->second->life.listed();
    cloud += k.resource_kind == "Cloud";
    users += k.owner_kind == "User";
  }
  EXPECT_GT(dangling, 0);
  EXPECT_GT(cloud, 0);
  EXPECT_GT(users, 0);
}

TEST_P(Shapes, objects_are_created_and_deleted_inside_the_window) {
  auto inside = [&](int64_t t) { return t >= m_.window_start && t < m_.window_end; };
  int created = 0, deleted = 0, both = 0;
  for (const auto& c : m_.connectors) {
    created += inside(c.life.created_at);
    deleted += c.life.deleted_at && inside(*c.life.deleted_at);
    both += inside(c.life.created_at) && c.life.deleted_at && inside(*c.life.deleted_at);
  }
  EXPECT_GT(created, 0);
  EXPECT_GT(deleted, 0);
  EXPECT_GT(both, 0);
  bool cluster_born_inside = false;
  for (const auto& c : m_.kafka_clusters) cluster_born_inside |= inside(c.life.created_at);
  EXPECT_TRUE(cluster_born_inside);
  // Children never outlive or predate their parents.
  for (const auto& c : m_.connectors) {
    const auto* cluster = m_.kafka_cluster(c.cluster_id);
    ASSERT_NE(cluster, nullptr);
    EXPECT_GE(c.life.created_at, cluster->life.created_at);
    if (cluster->life.deleted_at) {
      ASSERT_TRUE(c.life.deleted_at);
      EXPECT_LE(*c.life.deleted_at, *cluster->life.deleted_at);
    }
  }
}

TEST_P(Shapes, deleted_objects_are_billed_for_their_active_days_only) {
  const Telemetry telemetry(m_);
  const BillingLedger ledger(m_, telemetry);
  for (const auto& c : m_.connectors) {
    if (!c.life.deleted_at || *c.life.deleted_at < m_.window_start) continue;
    const int64_t last_day = *c.life.deleted_at / kSecondsPerDay;
    bool billed_before = false;
    for (const auto& row : ledger.rows()) {
      if (row.resource_id != c.id) continue;
      EXPECT_LE(row.day, last_day) << c.id;
      EXPECT_GE(row.day, c.life.created_at / kSecondsPerDay) << c.id;
      billed_before = true;
    }
    EXPECT_TRUE(billed_before) << c.id;
  }
}

TEST_P(Shapes, billing_covers_every_product_family_with_tiers) {
  const Telemetry telemetry(m_);
  const BillingLedger ledger(m_, telemetry);
  const auto totals = ledger.line_type_totals();
  for (const char* type : {"KAFKA_NUM_CKU",
                           "KAFKA_BASE",
                           "KAFKA_NETWORK_READ",
                           "KAFKA_NETWORK_WRITE",
                           "KAFKA_PARTITION",
                           "KAFKA_STORAGE",
                           "SCHEMA_REGISTRY",
                           "GOVERNANCE_BASE",
                           "NUM_RULES",
                           "KSQL_NUM_CSU",
                           "CONNECT_CAPACITY",
                           "CONNECT_NUM_TASKS",
                           "CONNECT_THROUGHPUT",
                           "CUSTOM_CONNECT_NUM_TASKS",
                           "FLINK_NUM_CFU",
                           "AUDIT_LOG_READ",
                           "SUPPORT",
                           "TABLEFLOW_DATA_PROCESSED",
                           "TABLEFLOW_NUM_TOPICS",
                           "TABLEFLOW_STORAGE",
                           "CLUSTER_LINKING_PER_LINK",
                           "CLUSTER_LINKING_READ",
                           "CLUSTER_LINKING_WRITE",
                           "KAFKA_REST_PRODUCE"}) {
    EXPECT_EQ(totals.count(type), 1u) << type;
  }
  std::map<std::tuple<int64_t, std::string, std::string>, std::set<int64_t>> prices;
  bool zero_amount = false, six_decimals = false, org_wide_without_env = false;
  for (const auto& row : ledger.rows()) {
    prices[{row.day, row.resource_id, row.line_type}].insert(row.price);
    zero_amount |= row.amount == 0;
    six_decimals |= row.amount % 100 != 0;
    org_wide_without_env |= row.line_type == "SUPPORT" && row.env_id.empty();
  }
  int tiered = 0;
  for (const auto& [key, set] : prices) tiered += set.size() > 1;
  EXPECT_GT(tiered, 10);
  EXPECT_TRUE(zero_amount);
  EXPECT_TRUE(six_decimals);
  EXPECT_TRUE(org_wide_without_env);
}

TEST_P(Shapes, ksqldb_and_flink_carry_owners_and_phases) {
  for (const auto& k : m_.ksqldb_clusters) EXPECT_FALSE(k.credential_identity_id.empty());
  std::set<std::string> phases;
  for (const auto& s : m_.flink_statements) {
    phases.insert(s.phase);
    EXPECT_TRUE(s.principal.rfind("sa-", 0) == 0 || s.principal.rfind("u-", 0) == 0) << s.principal;
  }
  EXPECT_TRUE(phases.count("RUNNING"));
  EXPECT_TRUE(phases.count("COMPLETED"));
}

TEST_P(Shapes, telemetry_principals_include_api_keys_and_identity_pools) {
  std::set<std::string> keys;
  for (const auto& k : m_.api_keys) keys.insert(k.id);
  int key_principals = 0, pools = 0;
  for (const auto& p : m_.principals) {
    key_principals += keys.count(p.id);
    pools += p.id.rfind("pool-", 0) == 0;
  }
  EXPECT_GT(key_principals, 0);
  EXPECT_GT(pools, 0);
}

INSTANTIATE_TEST_SUITE_P(Presets, Shapes,
                         ::testing::Values(Preset::kSmall, Preset::kMedium, Preset::kLarge),
                         [](const auto& info) { return preset_name(info.param); });

}  // namespace
}  // namespace ccloud_sim
