// Reference §3, table-driven: for each product family, which tier fires under which inputs and
// the exact labels of its rows. Every line bills 100.00.
#include <gtest/gtest.h>

#include "allocation/allocate_line.hpp"
#include "allocation/allocators.hpp"
#include "allocation/test_support.hpp"

namespace chitragupt::allocation {
namespace {

using testing::api_key;
using testing::ExpectedRow;
using testing::identity;
using testing::metric;

constexpr auto kUsage = CostType::kUsage;
constexpr auto kShared = CostType::kShared;
const std::optional<std::string> kNull;
const std::optional<int> kNoTier;

struct Scenario {
  std::vector<Resource> resources;
  std::vector<Identity> identities;
  std::optional<std::vector<MetricRow>> metrics;
  bool fetch_failed = false;
};

// Owners sa-1 and sa-2 hold API keys on `resource`; `metric_key` rows give sa-1 100, sa-2 300.
Scenario key_owners(const std::string& resource, const std::string& metric_key = "") {
  Scenario s;
  s.identities = {identity("sa-1", "service_account"), identity("sa-2", "service_account"),
                  api_key("key-1", "sa-1", resource), api_key("key-2", "sa-2", resource)};
  if (!metric_key.empty()) {
    s.metrics =
        std::vector<MetricRow>{metric(metric_key, "sa-1", 100), metric(metric_key, "sa-2", 300)};
  }
  return s;
}

Scenario failed_fetch(Scenario s) {
  s.fetch_failed = true;
  return s;
}

// Only tenant-period identities: owners sa-3 and u-4, plus kinds that never share.
Scenario tenant_period_only() {
  Scenario s;
  s.identities = {identity("sa-3", "service_account"), identity("u-4", "user"),
                  api_key("key-x", "sa-3", "lkc-elsewhere"), identity("UNALLOCATED", "system"),
                  identity("idp-1", "identity_provider")};
  return s;
}

Scenario nobody() { return Scenario(); }

Scenario with_resource(Scenario s, Resource r) {
  s.resources.push_back(std::move(r));
  return s;
}

Resource owned(const std::string& id, const std::string& type, const std::string& owner) {
  Resource r = testing::resource(id, type);
  r.owner_id = owner;
  return r;
}

Resource sa_connector(const std::string& id, const std::string& account) {
  Resource r = testing::resource(id, "connector");
  r.metadata = {{"kafka_auth_mode", "SERVICE_ACCOUNT"}, {"kafka_service_account_id", account}};
  return r;
}

Resource flink_statement(const std::string& id, const std::string& name, const std::string& owner) {
  Resource r = testing::resource(id, "flink_statement");
  r.display_name = name;
  r.owner_id = owner;
  r.metadata = {{"compute_pool_id", "lfcp-1"}, {"is_stopped", "false"}};
  return r;
}

Scenario flink_statements(bool with_metrics) {
  Scenario s;
  s.identities = {identity("sa-1", "service_account")};
  s.resources = {flink_statement("st-1", "etl", "sa-1"), flink_statement("st-2", "report", "u-2")};
  if (with_metrics) {
    MetricRow a;
    a.metric_key = "flink_cfu_primary";
    a.value = 3;
    a.labels = {{"compute_pool_id", "lfcp-1"}, {"flink_statement_name", "etl"}};
    MetricRow b = a;
    b.value = 1;
    b.labels["flink_statement_name"] = "report";
    s.metrics = std::vector<MetricRow>{a, b};
  }
  return s;
}

struct ChainCase {
  std::string name;
  std::string product_type;
  std::string resource_id;
  Scenario scenario;
  std::vector<ExpectedRow> rows;
};

std::vector<ExpectedRow> terminal(const std::string& resource, int tier) {
  return {{resource, "100.0000", kShared, "terminal", "no_identities_located", tier}};
}

std::vector<ExpectedRow> halves(const std::string& a, const std::string& b, CostType type,
                                const std::string& method, std::optional<std::string> detail,
                                std::optional<int> tier) {
  return {{a, "50.0000", type, method, detail, tier}, {b, "50.0000", type, method, detail, tier}};
}

std::vector<ExpectedRow> quarter_split(const std::string& a, const std::string& b) {
  return {{a, "25.0000", kUsage, "usage_ratio", "usage_ratio_allocation", 0},
          {b, "75.0000", kUsage, "usage_ratio", "usage_ratio_allocation", 0}};
}

std::vector<ChainCase> cases() {
  std::vector<ChainCase> c;
  // Network: usage of the matching direction, else even over active, TP owners, cluster.
  for (auto [type, key, other] : {std::tuple{"KAFKA_NETWORK_READ", "bytes_out", "bytes_in"},
                                  std::tuple{"KAFKA_NETWORK_WRITE", "bytes_in", "bytes_out"}}) {
    const std::string t = type;
    c.push_back(
        {t + " usage", t, "lkc-abc", key_owners("lkc-abc", key), quarter_split("sa-1", "sa-2")});
    c.push_back({t + " other direction only", t, "lkc-abc", key_owners("lkc-abc", other),
                 halves("sa-1", "sa-2", kShared, "even_split", "no_metrics_located", 1)});
    c.push_back({t + " fetch failed", t, "lkc-abc", failed_fetch(key_owners("lkc-abc", key)),
                 halves("sa-1", "sa-2", kShared, "even_split", "no_metrics_located", 1)});
    c.push_back({t + " tenant period", t, "lkc-abc", tenant_period_only(),
                 halves("sa-3", "u-4", kShared, "even_split", "no_active_identities_located", 2)});
    c.push_back({t + " nobody", t, "lkc-abc", nobody(), terminal("lkc-abc", 3)});
  }
  // Partition: its metric is never fetched, so byte metrics do not make it a usage split.
  c.push_back({"KAFKA_PARTITION with byte metrics", "KAFKA_PARTITION", "lkc-abc",
               key_owners("lkc-abc", "bytes_in"),
               halves("sa-1", "sa-2", kShared, "even_split", "no_metrics_located", 1)});
  c.push_back(
      {"KAFKA_PARTITION nobody", "KAFKA_PARTITION", "lkc-abc", nobody(), terminal("lkc-abc", 3)});
  // Base and storage: no chain tier recorded; the last resort is `to_resource`.
  for (const std::string t : {"KAFKA_BASE", "KAFKA_STORAGE"}) {
    c.push_back({t + " active", t, "lkc-abc", key_owners("lkc-abc", "bytes_in"),
                 halves("sa-1", "sa-2", kShared, "even_split", "no_metrics_located", kNoTier)});
    c.push_back({t + " tenant period", t, "lkc-abc", tenant_period_only(),
                 halves("sa-3", "u-4", kShared, "even_split",
                        "no_metrics_no_active_identities_located", kNoTier)});
    c.push_back(
        {t + " nobody",
         t,
         "lkc-abc",
         nobody(),
         {{"lkc-abc", "100.0000", kShared, "to_resource", "no_identities_located", kNoTier}}});
  }
  // Schema Registry family.
  for (const std::string t : {"SCHEMA_REGISTRY", "GOVERNANCE_BASE", "NUM_RULES"}) {
    c.push_back({t + " key owners", t, "lsrc-1", key_owners("lsrc-1"),
                 halves("sa-1", "sa-2", kUsage, "even_split", kNull, 0)});
    c.push_back({t + " tenant period", t, "lsrc-1", tenant_period_only(),
                 halves("sa-3", "u-4", kShared, "even_split", "no_active_identities_located", 1)});
    c.push_back({t + " nobody", t, "lsrc-1", nobody(), terminal("lsrc-1", 2)});
  }
  // ksqlDB: the owner, or a sentinel that still takes the cost at tier 0.
  for (const std::string t : {"KSQL_NUM_CSU", "KSQL_NUM_CSUS"}) {
    c.push_back({t + " owner",
                 t,
                 "lksqlc-1",
                 with_resource(nobody(), owned("lksqlc-1", "ksqldb_cluster", "sa-1")),
                 {{"sa-1", "100.0000", kUsage, "even_split", kNull, 0}}});
    c.push_back(
        {t + " cluster gone",
         t,
         "lksqlc-1",
         nobody(),
         {{"ksqldb_deleted_when_calc_started", "100.0000", kUsage, "even_split", kNull, 0}}});
  }
  // Connectors: tasks/throughput are usage, capacity/plugin shared.
  for (const std::string t : {"CONNECT_NUM_TASKS", "CONNECT_THROUGHPUT", "CUSTOM_CONNECT_NUM_TASKS",
                              "CUSTOM_CONNECT_THROUGHPUT"}) {
    c.push_back({t,
                 t,
                 "lcc-1",
                 with_resource(nobody(), sa_connector("lcc-1", "sa-5")),
                 {{"sa-5", "100.0000", kUsage, "even_split", kNull, 0}}});
  }
  for (const std::string t : {"CONNECT_CAPACITY", "CUSTOM_CONNECT_PLUGIN"}) {
    c.push_back({t,
                 t,
                 "lcc-1",
                 with_resource(nobody(), sa_connector("lcc-1", "sa-5")),
                 {{"sa-5", "100.0000", kShared, "even_split", kNull, 0}}});
  }
  // Flink.
  for (const std::string t : {"FLINK_NUM_CFU", "FLINK_NUM_CFUS"}) {
    c.push_back({t + " cfu metrics",
                 t,
                 "lfcp-1",
                 flink_statements(true),
                 {{"sa-1", "75.0000", kUsage, "usage_ratio", "usage_ratio_allocation", 0},
                  {"u-2", "25.0000", kUsage, "usage_ratio", "usage_ratio_allocation", 0}}});
    c.push_back({t + " running statements", t, "lfcp-1", flink_statements(false),
                 halves("sa-1", "u-2", kUsage, "usage_ratio", "usage_ratio_allocation", 0)});
    c.push_back({t + " fetch failed", t, "lfcp-1", failed_fetch(flink_statements(false)),
                 halves("sa-1", "u-2", kUsage, "even_split", "no_usage_for_active_identities", 1)});
    c.push_back({t + " tenant period", t, "lfcp-1", tenant_period_only(),
                 halves("sa-3", "u-4", kShared, "even_split", "no_active_identities_located", 2)});
    c.push_back({t + " nobody", t, "lfcp-1", nobody(), terminal("lfcp-1", 3)});
  }
  // Single-row rules.
  for (const std::string t :
       {"TABLEFLOW_DATA_PROCESSED", "TABLEFLOW_NUM_TOPICS", "TABLEFLOW_STORAGE"}) {
    c.push_back({t,
                 t,
                 "tf-1",
                 key_owners("tf-1"),
                 {{"tf-1", "100.0000", kShared, "default", "using_default_allocator", kNoTier}}});
  }
  for (const std::string t :
       {"CLUSTER_LINKING_PER_LINK", "CLUSTER_LINKING_READ", "CLUSTER_LINKING_WRITE"}) {
    c.push_back(
        {t,
         t,
         "lkc-abc",
         key_owners("lkc-abc", "bytes_in"),
         {{"lkc-abc", "100.0000", kUsage, "cluster_linking", "cluster_linking_cost", kNoTier}}});
  }
  c.push_back({"unknown product type",
               "SOMETHING_NEW",
               "lkc-abc",
               key_owners("lkc-abc", "bytes_in"),
               {{"lkc-abc", "100.0000", kShared, "unknown", "using_unknown_allocator", kNoTier}}});
  return c;
}

TEST(Chains, each_product_family_fires_the_expected_tier_with_exact_labels) {
  ASSERT_EQ(cases().size(), 54u);
  for (const ChainCase& c : cases()) {
    SCOPED_TRACE(c.name);
    const BillingLine line = testing::billing_line(c.product_type, "100.00", c.resource_id);
    LineInputs inputs;
    inputs.resources = &c.scenario.resources;
    inputs.identities = &c.scenario.identities;
    inputs.metrics = c.scenario.metrics ? &*c.scenario.metrics : nullptr;
    inputs.metrics_fetch_failed = c.scenario.fetch_failed;
    auto rows = allocate_line(line, inputs, Registry::confluent_cloud());
    ASSERT_TRUE(rows.is_ok()) << rows.error();
    testing::expect_rows(*rows, c.rows);
  }
}

// Tiers identity resolution never reaches through allocate_line (connector and ksqlDB lines
// always resolve somebody), pinned by calling the allocators on an empty resolution.
TEST(Chains, terminal_tiers_of_always_resolved_families_still_charge_the_resource) {
  const std::vector<std::pair<std::string, std::vector<ExpectedRow>>> cases = {
      {"connector_usage", terminal("lcc-1", 1)}, {"connector_capacity", terminal("lcc-1", 1)},
      {"ksqldb", terminal("lcc-1", 2)},          {"cku_usage", terminal("lcc-1", 3)},
      {"cku_shared", terminal("lcc-1", 2)},
  };
  const BillingLine line = testing::billing_line("X", "100", "lcc-1");
  for (const auto& [name, expected] : cases) {
    SCOPED_TRACE(name);
    auto rows = builtin_allocators().at(name)(testing::context_for(line, "100"));
    ASSERT_TRUE(rows.is_ok()) << rows.error();
    testing::expect_rows(*rows, expected);
  }
}

TEST(Chains, a_chain_without_terminal_tier_is_an_error_not_lost_money) {
  const Chain chain{"broken", {even_split_tier(Recipients::kMergedActive, kShared, std::nullopt)}};
  const BillingLine line = testing::billing_line("X", "1");
  auto rows = run_chain(chain, testing::context_for(line, "1"));
  ASSERT_FALSE(rows.is_ok());
  EXPECT_NE(rows.error().find("broken"), std::string::npos);
}

}  // namespace
}  // namespace chitragupt::allocation

namespace chitragupt::allocation {
namespace {

// usage_from_metrics sums each identity's values as if in a fixed order (principals ascending,
// keys as listed, values ascending), so the rows' order never changes a usage figure: integers
// add exactly in any order, anything else is summed again in that order.
TEST(UsageFromMetrics, the_rows_order_never_changes_an_identitys_usage) {
  const BillingLine line = testing::billing_line("KAFKA_NETWORK_READ", "1.0000");
  constexpr double k2p53 = 9007199254740992.0;
  struct Case {
    const char* what;
    std::vector<double> values;  // all of sa-1 (directly and through key-1)
    double expected;
  };
  const std::vector<Case> cases = {
      {"integers", {3, 5, 7, 11}, 26},
      {"fractions", {0.1, 0.7, 0.2, 0.3}, ((0.1 + 0.2) + 0.3) + 0.7},
      // Past 2^53 a naive sum depends on the order (2^53 + 1 rounds back to 2^53).
      {"beyond 2^53", {k2p53, 1, 1}, (1.0 + 1.0) + k2p53},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    std::vector<MetricRow> rows;
    for (std::size_t i = 0; i < c.values.size(); ++i) {
      rows.push_back(testing::metric("bytes_out", i % 2 ? "key-1" : "sa-1", c.values[i]));
      rows.back().timestamp = testing::kDay0 + static_cast<EpochSeconds>(i) * testing::kHour;
    }
    std::optional<double> first;
    std::sort(rows.begin(), rows.end(),
              [](const MetricRow& a, const MetricRow& b) { return a.value < b.value; });
    do {
      AllocationContext ctx = testing::context_for(line, "1.0000");
      ctx.metrics = &rows;
      ctx.identities.api_key_to_owner = {{"key-1", "sa-1"}};
      const UsageMap usage = usage_from_metrics(ctx, {"bytes_out"});
      ASSERT_EQ(usage.size(), 1u);
      ASSERT_EQ(usage.begin()->first, "sa-1");
      if (!first) first = usage.begin()->second;
      EXPECT_EQ(usage.begin()->second, *first);
    } while (std::next_permutation(
        rows.begin(), rows.end(),
        [](const MetricRow& a, const MetricRow& b) { return a.value < b.value; }));
    ASSERT_TRUE(first.has_value());
    if (std::string(c.what) != "fractions") {
      EXPECT_EQ(*first, c.expected);
    }
  }
}

}  // namespace
}  // namespace chitragupt::allocation
