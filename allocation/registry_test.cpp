#include "allocation/registry.hpp"

#include <gtest/gtest.h>

#include "allocation/allocate_line.hpp"
#include "allocation/test_support.hpp"

namespace chitragupt::allocation {
namespace {

TEST(Registry, maps_every_product_type_of_the_rule_table) {
  const std::map<std::string, std::pair<std::string, std::string>> expected = {
      {"KAFKA_NUM_CKU", {"kafka", "kafka_cku"}},
      {"KAFKA_NUM_CKUS", {"kafka", "kafka_cku"}},
      {"KAFKA_NETWORK_READ", {"kafka", "kafka_network_read"}},
      {"KAFKA_NETWORK_WRITE", {"kafka", "kafka_network_write"}},
      {"KAFKA_PARTITION", {"kafka", "kafka_partition"}},
      {"KAFKA_BASE", {"kafka", "kafka_base"}},
      {"KAFKA_STORAGE", {"kafka", "kafka_base"}},
      {"SCHEMA_REGISTRY", {"schema_registry", "schema_registry"}},
      {"GOVERNANCE_BASE", {"schema_registry", "schema_registry"}},
      {"NUM_RULES", {"schema_registry", "schema_registry"}},
      {"KSQL_NUM_CSU", {"ksqldb", "ksqldb"}},
      {"KSQL_NUM_CSUS", {"ksqldb", "ksqldb"}},
      {"CONNECT_NUM_TASKS", {"connector", "connector_usage"}},
      {"CONNECT_THROUGHPUT", {"connector", "connector_usage"}},
      {"CUSTOM_CONNECT_NUM_TASKS", {"connector", "connector_usage"}},
      {"CUSTOM_CONNECT_THROUGHPUT", {"connector", "connector_usage"}},
      {"CONNECT_CAPACITY", {"connector", "connector_capacity"}},
      {"CUSTOM_CONNECT_PLUGIN", {"connector", "connector_capacity"}},
      {"FLINK_NUM_CFU", {"flink", "flink_cfu"}},
      {"FLINK_NUM_CFUS", {"flink", "flink_cfu"}},
      {"AUDIT_LOG_READ", {"org_wide", "org_wide"}},
      {"SUPPORT", {"org_wide", "org_wide"}},
      {"TABLEFLOW_DATA_PROCESSED", {"default", "default"}},
      {"TABLEFLOW_NUM_TOPICS", {"default", "default"}},
      {"TABLEFLOW_STORAGE", {"default", "default"}},
      {"CLUSTER_LINKING_PER_LINK", {"default", "cluster_linking"}},
      {"CLUSTER_LINKING_READ", {"default", "cluster_linking"}},
      {"CLUSTER_LINKING_WRITE", {"default", "cluster_linking"}},
  };
  const Registry& registry = Registry::confluent_cloud();
  EXPECT_EQ(registry.rules().size(), expected.size());
  for (const auto& [type, handler_and_allocator] : expected) {
    SCOPED_TRACE(type);
    const ProductRule* rule = registry.rule(type);
    ASSERT_NE(rule, nullptr);
    EXPECT_EQ(rule->handler, handler_and_allocator.first);
    EXPECT_EQ(rule->allocator, handler_and_allocator.second);
    EXPECT_NE(registry.handler(rule->handler), nullptr);
    EXPECT_NE(registry.allocator(rule->allocator), nullptr);
  }
  EXPECT_EQ(registry.rule("SOMETHING_NEW"), nullptr);
  EXPECT_EQ(registry.fallback_allocator(), "unknown");
}

TEST(Registry, names_the_metrics_each_product_type_needs) {
  const Registry& registry = Registry::confluent_cloud();
  using Keys = std::vector<std::string>;
  EXPECT_EQ(registry.rule("KAFKA_NETWORK_READ")->metric_keys, (Keys{"bytes_out"}));
  EXPECT_EQ(registry.rule("KAFKA_NETWORK_WRITE")->metric_keys, (Keys{"bytes_in"}));
  EXPECT_EQ(registry.rule("KAFKA_NUM_CKU")->metric_keys, (Keys{"bytes_in", "bytes_out"}));
  EXPECT_EQ(registry.rule("FLINK_NUM_CFU")->metric_keys,
            (Keys{"flink_cfu_primary", "flink_cfu_fallback"}));
  EXPECT_TRUE(registry.rule("KAFKA_PARTITION")->metric_keys.empty());
  EXPECT_TRUE(registry.rule("SUPPORT")->metric_keys.empty());
}

TEST(Registry, gathers_the_resource_types_used_for_active_fraction) {
  EXPECT_EQ(
      Registry::confluent_cloud().gathered_resource_types(),
      (std::set<std::string>{"connector", "environment", "flink_compute_pool", "flink_statement",
                             "kafka_cluster", "ksqldb_cluster", "schema_registry"}));
}

TEST(Registry, override_routes_a_product_type_to_another_builtin_allocator) {
  auto registry = Registry::confluent_cloud().with_allocator_overrides(
      {{"KAFKA_BASE", "org_wide"}, {"BRAND_NEW", "default"}});
  ASSERT_TRUE(registry.is_ok()) << registry.error();
  EXPECT_EQ(registry->rule("KAFKA_BASE")->allocator, "org_wide");
  EXPECT_EQ(registry->rule("KAFKA_BASE")->handler, "kafka");
  EXPECT_EQ(registry->rule("BRAND_NEW")->handler, "default");
  EXPECT_EQ(Registry::confluent_cloud().rule("KAFKA_BASE")->allocator, "kafka_base");  // untouched

  const BillingLine line = testing::billing_line("KAFKA_BASE", "10");
  const std::vector<Identity> identities = {testing::identity("sa-1", "service_account")};
  LineInputs inputs;
  inputs.identities = &identities;
  auto rows = allocate_line(line, inputs, *registry);
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(*rows,
                       {{"sa-1", "10.0000", CostType::kShared, "even_split", std::nullopt, 0}});

  const BillingLine brand_new = testing::billing_line("BRAND_NEW", "10", "res-9");
  rows = allocate_line(brand_new, inputs, *registry);
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  testing::expect_rows(*rows, {{"res-9", "10.0000", CostType::kShared, "default",
                                "using_default_allocator", std::nullopt}});
}

TEST(Registry, override_with_unknown_allocator_name_is_an_error) {
  auto registry = Registry::confluent_cloud().with_allocator_overrides(
      {{"KAFKA_BASE", "plugins.custom:my_allocator"}, {"SUPPORT", "nope"}});
  ASSERT_FALSE(registry.is_ok());
  EXPECT_NE(registry.error().find("allocator_overrides.KAFKA_BASE: unknown allocator "
                                  "'plugins.custom:my_allocator'"),
            std::string::npos)
      << registry.error();
  EXPECT_NE(registry.error().find("allocator_overrides.SUPPORT"), std::string::npos);
  EXPECT_NE(registry.error().find("kafka_cku"), std::string::npos);  // lists the known names
}

TEST(Registry, builtin_allocators_cover_every_chain) {
  for (const char* name :
       {"kafka_cku", "cku_usage", "cku_shared", "kafka_network_read", "kafka_network_write",
        "kafka_partition", "kafka_base", "schema_registry", "ksqldb", "connector_usage",
        "connector_capacity", "flink_cfu", "org_wide", "default", "cluster_linking", "unknown"}) {
    EXPECT_EQ(builtin_allocators().count(name), 1u) << name;
  }
  EXPECT_EQ(builtin_allocators().size(), 16u);
  EXPECT_EQ(builtin_chain("kafka_cku"), nullptr);
  ASSERT_NE(builtin_chain("kafka_base"), nullptr);
  EXPECT_FALSE(builtin_chain("kafka_base")->records_tier);
}

}  // namespace
}  // namespace chitragupt::allocation
