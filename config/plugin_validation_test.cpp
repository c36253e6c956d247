#include "config/plugin_validation.hpp"

#include <gtest/gtest.h>

namespace chitragupt::config {
namespace {

const char* kTenant =
    "tenants:\n  prod:\n    ecosystem: generic_metrics_only\n    tenant_id: prod\n"
    "    storage:\n      connection_string: sqlite:///p.db\n"
    "    plugin_settings:\n      cluster_id: ${CLUSTER:-c1}\n";

TEST(PluginValidation, registered_validator_errors_carry_the_full_path) {
  register_plugin_validator("generic_metrics_only", [](const nlohmann::json& settings) {
    std::vector<ConfigError> errors;
    if (settings.value("cluster_id", "") == "c1") errors.push_back({"cluster_id", "not c1"});
    errors.push_back({"", "whole subtree"});
    return errors;
  });
  auto r = parse_config(kTenant, Environment::from_map({}));
  register_plugin_validator("generic_metrics_only", {});
  EXPECT_TRUE(registered_ecosystems().empty()) << "an empty validator takes the registration back";
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].path, "tenants.prod.plugin_settings.cluster_id");
  EXPECT_EQ(r.errors[0].message, "not c1");
  EXPECT_EQ(r.errors[1].path, "tenants.prod.plugin_settings");
}

TEST(PluginValidation, validator_sees_substituted_values_and_can_accept) {
  std::string seen;
  register_plugin_validator("generic_metrics_only", [&](const nlohmann::json& settings) {
    seen = settings.value("cluster_id", "");
    return std::vector<ConfigError>{};
  });
  auto r = parse_config(kTenant, Environment::from_map({{"CLUSTER", "kafka-dc1"}}));
  register_plugin_validator("generic_metrics_only", {});
  EXPECT_TRUE(r.ok()) << r.error_text();
  EXPECT_EQ(seen, "kafka-dc1");
}

TEST(PluginValidation, no_validator_means_only_a_mapping_is_required) {
  auto r = parse_config(kTenant, Environment::from_map({}));
  EXPECT_TRUE(r.ok()) << r.error_text();
}

}  // namespace
}  // namespace chitragupt::config
