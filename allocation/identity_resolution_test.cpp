// Reference §6: identity resolution.
#include "allocation/identity_resolution.hpp"

#include <gtest/gtest.h>

#include "allocation/test_support.hpp"

namespace chitragupt::allocation {
namespace {

using testing::api_key;
using testing::identity;
using testing::kDay0;
using testing::kHour;
using testing::metric;

const TimeWindow kWindow = testing::kDay0Window;
using testing::kEcosystem;
using testing::kTenant;

std::vector<std::string> ids(const IdentitySet& set) {
  std::vector<std::string> out;
  for (const auto& entry : set) out.push_back(entry.first);
  return out;
}
using Ids = std::vector<std::string>;

struct Inventory {
  std::vector<Resource> resources;
  std::vector<Identity> identities;
  std::optional<std::vector<MetricRow>> metrics;

  IdentityResolution resolve(IdentityResolution (*resolver)(const ResolveInputs&),
                             const std::string& resource_id) const {
    return resolver(ResolveInputs{kEcosystem, kTenant, resource_id, kWindow, resources, identities,
                                  metrics ? &*metrics : nullptr});
  }
};

TEST(Sentinel, takes_its_type_from_the_id_prefix) {
  EXPECT_EQ(sentinel_from_id("sa-123", kEcosystem, kTenant).identity_type, "service_account");
  EXPECT_EQ(sentinel_from_id("u-abc", kEcosystem, kTenant).identity_type, "user");
  EXPECT_EQ(sentinel_from_id("pool-9", kEcosystem, kTenant).identity_type, "identity_pool");
  EXPECT_EQ(sentinel_from_id("lkc-1", kEcosystem, kTenant).identity_type, "unknown");
  EXPECT_EQ(sentinel_from_id("sa", kEcosystem, kTenant).identity_type, "unknown");
  EXPECT_EQ(sentinel_from_id("User:alice", kEcosystem, kTenant).identity_type, "unknown");
  const Identity s = sentinel_from_id("sa-123", kEcosystem, kTenant);
  EXPECT_EQ(s.display_name, "Unknown service_account");
  EXPECT_EQ(s.identity_id, "sa-123");
  EXPECT_EQ(s.tenant_id, kTenant);
  const Identity unallocated = unallocated_identity(kEcosystem, kTenant);
  EXPECT_EQ(unallocated.identity_id, "UNALLOCATED");
  EXPECT_EQ(unallocated.identity_type, "system");
  EXPECT_EQ(unallocated.display_name, "Unallocated Costs");
}

TEST(ApiKeyIdentities, owners_of_keys_on_the_resource_are_resource_active) {
  Inventory inv;
  Identity late_key = api_key("key-late", "sa-late", "lkc-abc");
  late_key.created_at = kWindow.end;  // created after the window: not considered
  inv.identities = {identity("sa-1", "service_account"),     api_key("key-1", "sa-1", "lkc-abc"),
                    api_key("key-2", "sa-ghost", "lkc-abc"), api_key("key-3", "sa-9", "lkc-other"),
                    api_key("key-4", "", "lkc-abc"),         late_key};
  const IdentityResolution r = inv.resolve(&resolve_api_key_identities, "lkc-abc");
  EXPECT_EQ(ids(r.resource_active), (Ids{"sa-1", "sa-ghost"}));
  EXPECT_EQ(r.resource_active.at("sa-ghost").identity_type, "service_account");  // sentinel
  EXPECT_EQ(r.resource_active.at("sa-1").display_name, "sa-1");                  // the real one
  EXPECT_TRUE(r.metrics_derived.empty());
}

TEST(ApiKeyIdentities, metrics_principals_resolve_keys_to_owners) {
  Inventory inv;
  inv.identities = {identity("sa-1", "service_account"), identity("u-1", "user"),
                    api_key("key-1", "sa-1", "lkc-other"), api_key("key-orphan", "", "lkc-abc")};
  inv.metrics =
      std::vector<MetricRow>{metric("bytes_in", "key-1", 10), metric("bytes_out", "u-1", 0),
                             metric("bytes_in", "key-orphan", 5), metric("bytes_in", "sa-new", 1),
                             metric("bytes_in", "", 7)};
  const IdentityResolution r = inv.resolve(&resolve_api_key_identities, "lkc-abc");
  EXPECT_EQ(ids(r.metrics_derived), (Ids{"sa-1", "sa-new", "u-1"}));
  EXPECT_EQ(r.api_key_to_owner, (std::map<std::string, std::string>{{"key-1", "sa-1"}}));
  EXPECT_EQ(r.metrics_derived.at("sa-new").display_name, "Unknown service_account");
  EXPECT_TRUE(r.resource_active.empty());
}

TEST(ApiKeyIdentities, merged_active_prefers_metrics_derived_entries) {
  IdentityResolution r;
  Identity a = identity("sa-1", "service_account");
  a.display_name = "from resource";
  Identity b = a;
  b.display_name = "from metrics";
  add_identity(r.resource_active, a);
  add_identity(r.resource_active, identity("sa-0", "service_account"));
  add_identity(r.metrics_derived, b);
  const IdentitySet merged = r.merged_active();
  EXPECT_EQ(ids(merged), (Ids{"sa-0", "sa-1"}));
  EXPECT_EQ(merged.at("sa-1").display_name, "from metrics");
}

Resource connector(const std::map<std::string, std::string>& metadata) {
  Resource r = testing::resource("lcc-1", "connector");
  r.metadata = metadata;
  return r;
}

struct ConnectorCase {
  std::string name;
  std::optional<std::map<std::string, std::string>> metadata;  // nullopt: connector missing
  std::string expected_id;
  std::string expected_type;
};

TEST(ConnectorIdentity, resolves_each_auth_mode) {
  const std::vector<ConnectorCase> cases = {
      {"missing resource", std::nullopt, "connector_credentials_masked", "connector_credentials"},
      {"service account known",
       std::map<std::string, std::string>{{"kafka_auth_mode", "SERVICE_ACCOUNT"},
                                          {"kafka_service_account_id", "sa-1"}},
       "sa-1", "service_account"},
      {"service account unknown",
       std::map<std::string, std::string>{{"kafka_auth_mode", "SERVICE_ACCOUNT"},
                                          {"kafka_service_account_id", "sa-77"}},
       "sa-77", "service_account"},
      {"service account missing",
       std::map<std::string, std::string>{{"kafka_auth_mode", "SERVICE_ACCOUNT"}},
       "connector_credentials_unknown", "connector_credentials"},
      {"masked key",
       std::map<std::string, std::string>{{"kafka_auth_mode", "KAFKA_API_KEY"},
                                          {"kafka_api_key", "****************"}},
       "connector_api_key_masked", "connector_credentials"},
      // Issue 15 item 4: an empty key is unknown credentials, as in the original, not masked.
      {"empty key",
       std::map<std::string, std::string>{{"kafka_auth_mode", "KAFKA_API_KEY"},
                                          {"kafka_api_key", ""}},
       "connector_credentials_unknown", "connector_credentials"},
      {"key not found",
       std::map<std::string, std::string>{{"kafka_auth_mode", "KAFKA_API_KEY"},
                                          {"kafka_api_key", "NOPE"}},
       "connector_api_key_not_found", "connector_credentials"},
      {"key with owner",
       std::map<std::string, std::string>{{"kafka_auth_mode", "KAFKA_API_KEY"},
                                          {"kafka_api_key", "KEY1"}},
       "u-1", "user"},
      {"key without owner",
       std::map<std::string, std::string>{{"kafka_auth_mode", "KAFKA_API_KEY"},
                                          {"kafka_api_key", "KEY2"}},
       "connector_credentials_unknown", "connector_credentials"},
      {"no key at all", std::map<std::string, std::string>{{"kafka_auth_mode", "KAFKA_API_KEY"}},
       "connector_credentials_unknown", "connector_credentials"},
      {"unknown mode", std::map<std::string, std::string>{{"kafka_auth_mode", "UNKNOWN"}}, "lcc-1",
       "connector_credentials"},
  };
  for (const ConnectorCase& c : cases) {
    SCOPED_TRACE(c.name);
    Inventory inv;
    inv.identities = {identity("sa-1", "service_account"), identity("u-1", "user"),
                      api_key("KEY1", "u-1", "lkc-abc"), api_key("KEY2", "", "lkc-abc")};
    if (c.metadata) inv.resources = {connector(*c.metadata)};
    const IdentityResolution r = inv.resolve(&resolve_connector_identity, "lcc-1");
    ASSERT_EQ(ids(r.resource_active), (Ids{c.expected_id}));
    EXPECT_EQ(r.resource_active.begin()->second.identity_type, c.expected_type);
    EXPECT_TRUE(r.metrics_derived.empty());
  }
}

TEST(KsqldbIdentity, resolves_owner_or_sentinels) {
  Inventory inv;
  inv.identities = {identity("sa-1", "service_account")};
  EXPECT_EQ(ids(inv.resolve(&resolve_ksqldb_identity, "lksqlc-1").resource_active),
            (Ids{"ksqldb_deleted_when_calc_started"}));
  Resource cluster = testing::resource("lksqlc-1", "ksqldb_cluster");
  inv.resources = {cluster};
  EXPECT_EQ(ids(inv.resolve(&resolve_ksqldb_identity, "lksqlc-1").resource_active),
            (Ids{"ksqldb_owner_unknown"}));
  inv.resources[0].owner_id = "sa-1";
  EXPECT_EQ(ids(inv.resolve(&resolve_ksqldb_identity, "lksqlc-1").resource_active), (Ids{"sa-1"}));
  inv.resources[0].owner_id = "u-404";
  const IdentityResolution r = inv.resolve(&resolve_ksqldb_identity, "lksqlc-1");
  EXPECT_EQ(r.resource_active.at("u-404").identity_type, "user");
}

Resource statement(const std::string& id, const std::string& name, const std::string& owner,
                   const std::string& pool, bool stopped = false) {
  Resource r = testing::resource(id, "flink_statement");
  r.display_name = name;
  r.owner_id = owner;
  r.metadata["compute_pool_id"] = pool;
  r.metadata["is_stopped"] = stopped ? "true" : "false";
  return r;
}

MetricRow cfu(const std::string& key, const std::string& pool, const std::string& name,
              double value) {
  MetricRow row;
  row.metric_key = key;
  row.value = value;
  row.labels = {{"compute_pool_id", pool}, {"flink_statement_name", name}};
  return row;
}

TEST(FlinkIdentity, weights_owners_by_statement_cfu) {
  Inventory inv;
  inv.identities = {identity("sa-1", "service_account")};
  inv.resources = {statement("st-1", "etl", "sa-1", "lfcp-1"),
                   statement("st-2", "report", "u-2", "lfcp-1"),
                   statement("st-3", "other-pool", "sa-9", "lfcp-2")};
  inv.metrics = std::vector<MetricRow>{cfu("flink_cfu_primary", "lfcp-1", "etl", 2),
                                       cfu("flink_cfu_primary", "lfcp-1", "etl", 1),
                                       cfu("flink_cfu_primary", "lfcp-1", "report", 1),
                                       cfu("flink_cfu_primary", "lfcp-1", "ghost", 0.5),
                                       cfu("flink_cfu_primary", "lfcp-1", "idle", 0),
                                       cfu("flink_cfu_primary", "lfcp-2", "other-pool", 9),
                                       cfu("flink_cfu_fallback", "lfcp-1", "report", 100)};
  const IdentityResolution r = inv.resolve(&resolve_flink_identity, "lfcp-1");
  EXPECT_EQ(ids(r.resource_active), (Ids{"flink_stmt_owner_unknown", "sa-1", "u-2"}));
  EXPECT_EQ(r.stmt_owner_cfu, (std::map<std::string, double>{
                                  {"flink_stmt_owner_unknown", 0.5}, {"sa-1", 3}, {"u-2", 1}}));
  EXPECT_EQ(r.resource_active.at("flink_stmt_owner_unknown").identity_type,
            "flink_statement_owner");
}

TEST(FlinkIdentity, uses_fallback_metric_only_without_primary_rows) {
  Inventory inv;
  inv.resources = {statement("st-2", "report", "u-2", "lfcp-1")};
  inv.metrics = std::vector<MetricRow>{cfu("flink_cfu_fallback", "lfcp-1", "report", 100)};
  const IdentityResolution r = inv.resolve(&resolve_flink_identity, "lfcp-1");
  EXPECT_EQ(r.stmt_owner_cfu, (std::map<std::string, double>{{"u-2", 100}}));
}

TEST(FlinkIdentity, without_metrics_each_running_statement_weighs_one) {
  Inventory inv;
  Resource gone = statement("st-5", "old", "sa-5", "lfcp-1");
  gone.deleted_at = kDay0 - 1;
  inv.resources = {statement("st-1", "a", "sa-1", "lfcp-1"),
                   statement("st-2", "b", "sa-1", "lfcp-1"),
                   statement("st-3", "c", "u-2", "lfcp-1"),
                   statement("st-4", "d", "u-3", "lfcp-1", /*stopped=*/true),
                   statement("st-6", "e", "", "lfcp-1"),
                   gone};
  const IdentityResolution r = inv.resolve(&resolve_flink_identity, "lfcp-1");
  EXPECT_EQ(r.stmt_owner_cfu, (std::map<std::string, double>{{"sa-1", 2}, {"u-2", 1}}));
  EXPECT_EQ(ids(r.resource_active), (Ids{"sa-1", "u-2"}));
}

TEST(TenantPeriod, keeps_non_system_identities_alive_in_the_window) {
  Identity created_at_end = identity("sa-end", "service_account");
  created_at_end.created_at = kWindow.end;  // created_at must be < end
  Identity created_before_end = identity("sa-in", "service_account");
  created_before_end.created_at = kWindow.end - 1;
  Identity deleted_at_start = identity("sa-del", "service_account");
  deleted_at_start.deleted_at = kWindow.start;  // deleted_at >= start still counts
  Identity deleted_before = identity("sa-gone", "service_account");
  deleted_before.deleted_at = kWindow.start - 1;
  const std::vector<Identity> all = {created_at_end,
                                     created_before_end,
                                     deleted_at_start,
                                     deleted_before,
                                     identity("UNALLOCATED", "system"),
                                     api_key("key-1", "sa-in", "lkc-abc")};
  EXPECT_EQ(ids(tenant_period_identities(all, kWindow)), (Ids{"key-1", "sa-del", "sa-in"}));
}

TEST(TenantPeriod, owner_types_only_keeps_what_tenant_period_tiers_can_charge) {
  const std::vector<Identity> all = {
      identity("sa-1", "service_account"), identity("u-1", "user"),
      identity("pool-1", "identity_pool"), identity("User:bob", "principal"),
      identity("team-1", "team"),          identity("idp-1", "identity_provider"),
      identity("UNALLOCATED", "system"),   api_key("key-1", "sa-1", "lkc-abc")};
  EXPECT_EQ(ids(tenant_period_identities(all, kWindow, /*owner_types_only=*/true)),
            (Ids{"User:bob", "pool-1", "sa-1", "u-1"}));
  EXPECT_EQ(ids(tenant_period_identities(all, kWindow)),
            (Ids{"User:bob", "idp-1", "key-1", "pool-1", "sa-1", "team-1", "u-1"}));
}

}  // namespace
}  // namespace chitragupt::allocation
