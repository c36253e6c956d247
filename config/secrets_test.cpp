// Secrets never show: not in to_masked_json, not in any error text.

#include "config/secrets.hpp"

#include <gtest/gtest.h>

#include "config/config.hpp"

namespace chitragupt::config {
namespace {

const std::string kSecret = "Zq9SuperSecretValue";

LoadResult parse(const std::string& yaml, std::map<std::string, std::string> env = {}) {
  return parse_config(yaml, Environment::from_map(std::move(env)));
}

TEST(Secrets, secret_key_names_are_recognised_case_insensitively) {
  for (const std::string key :
       {"secret", "password", "bearer_token", "token", "sasl_password", "api_secret",
        "client_secret", "db_password", "refresh_token", "PASSWORD", "Api_Secret"}) {
    EXPECT_TRUE(is_secret_key(key)) << key;
  }
  for (const std::string key :
       {"key", "username", "url", "secrets_dir", "token_url", "passwordless", "tokens"}) {
    EXPECT_FALSE(is_secret_key(key)) << key;
  }
}

TEST(Secrets, masked_json_masks_connection_string_auth_token_and_every_plugin_secret_kind) {
  auto result = parse("api: {auth_token: " + kSecret +
                      "}\n"
                      "tenants:\n"
                      "  prod:\n"
                      "    ecosystem: confluent_cloud\n"
                      "    tenant_id: p\n"
                      "    storage: {connection_string: 'postgresql://u:" +
                      kSecret +
                      "@db:5432/x'}\n"
                      "    plugin_settings:\n"
                      "      ccloud_api: {key: visible-key, secret: " +
                      kSecret +
                      "}\n"
                      "      metrics: {username: bob, password: " +
                      kSecret + ", bearer_token: " + kSecret +
                      "}\n"
                      "      flink: [{key: k, secret: " +
                      kSecret +
                      "}]\n"
                      "      resource_source: {sasl_password: " +
                      kSecret +
                      "}\n"
                      "      other: {token: " +
                      kSecret + ", api_secret: " + kSecret + ", vault_secret: " + kSecret +
                      ", db_password: " + kSecret + ", refresh_token: " + kSecret +
                      ", ACCESS_TOKEN: {inner: " + kSecret + "}, pin_password: 1234}\n");
  ASSERT_TRUE(result.ok()) << result.error_text();
  nlohmann::json shown = to_masked_json(*result.config);
  EXPECT_EQ(shown.dump().find(kSecret), std::string::npos) << shown.dump(2);
  EXPECT_EQ(shown.dump().find("1234"), std::string::npos);
  EXPECT_EQ(shown["api"]["auth_token"], kMask);
  const auto& t = shown["tenants"]["prod"];
  EXPECT_EQ(t["storage"]["connection_string"], kMask);
  const auto& ps = t["plugin_settings"];
  EXPECT_EQ(ps["ccloud_api"]["key"], "visible-key");
  EXPECT_EQ(ps["ccloud_api"]["secret"], kMask);
  EXPECT_EQ(ps["metrics"]["username"], "bob");
  EXPECT_EQ(ps["metrics"]["password"], kMask);
  EXPECT_EQ(ps["metrics"]["bearer_token"], kMask);
  EXPECT_EQ(ps["flink"][0]["secret"], kMask);
  EXPECT_EQ(ps["flink"][0]["key"], "k");
  EXPECT_EQ(ps["resource_source"]["sasl_password"], kMask);
  for (const char* key : {"token", "api_secret", "vault_secret", "db_password", "refresh_token",
                          "ACCESS_TOKEN", "pin_password"}) {
    EXPECT_EQ(ps["other"][key], kMask) << key;
  }
  // The Config itself keeps the real values for the code that needs them.
  EXPECT_EQ(result.config->api.auth_token, kSecret);
  EXPECT_EQ(result.config->tenants[0].plugin_settings["metrics"]["password"], kSecret);
}

TEST(Secrets, empty_secrets_are_shown_empty) {
  auto result = parse(
      "tenants:\n  prod:\n    ecosystem: confluent_cloud\n    tenant_id: p\n"
      "    plugin_settings: {metrics: {password: '', bearer_token: ~}}\n");
  ASSERT_TRUE(result.ok()) << result.error_text();
  nlohmann::json shown = to_masked_json(*result.config);
  EXPECT_EQ(shown["api"]["auth_token"], "");
  EXPECT_EQ(shown["tenants"]["prod"]["plugin_settings"]["metrics"]["password"], "");
  EXPECT_TRUE(shown["tenants"]["prod"]["plugin_settings"]["metrics"]["bearer_token"].is_null());
}

TEST(Secrets, masked_json_holds_the_full_effective_config_with_defaults) {
  auto result = parse(
      "tenants:\n  b: {ecosystem: confluent_cloud, tenant_id: b}\n"
      "  a: {ecosystem: self_managed_kafka, tenant_id: a, "
      "storage: {connection_string: 'sqlite:///a.db'}}\n");
  ASSERT_TRUE(result.ok()) << result.error_text();
  nlohmann::json shown = to_masked_json(*result.config);
  EXPECT_EQ(shown["logging"]["level"], "INFO");
  EXPECT_EQ(shown["logging"]["format"], "text");
  EXPECT_EQ(shown["features"]["refresh_interval"], 1800);
  EXPECT_EQ(shown["features"]["enable_periodic_refresh"], true);
  EXPECT_EQ(shown["api"]["port"], 8080);
  EXPECT_EQ(shown["api"]["cors_origins"], nlohmann::json::array());
  ASSERT_EQ(shown["tenants"].size(), 2u);
  const auto& b = shown["tenants"]["b"];
  EXPECT_EQ(b["ecosystem"], "confluent_cloud");
  EXPECT_EQ(b["lookback_days"], 200);
  EXPECT_EQ(b["cutoff_days"], 5);
  EXPECT_EQ(b["retention_days"], 250);
  EXPECT_EQ(b["allocation_retry_limit"], 3);
  EXPECT_EQ(b["topic_attribution_retry_limit"], 3);
  EXPECT_EQ(b["zero_gather_deletion_threshold"], -1);
  EXPECT_EQ(b["gather_failure_threshold"], 5);
  EXPECT_EQ(b["tenant_execution_timeout_seconds"], 3600);
  EXPECT_EQ(b["metrics_prefetch_workers"], 4);
  EXPECT_EQ(b["storage"]["backend"], "sqlmodel");
  EXPECT_EQ(b["storage"]["connection_string"], kMask);
  EXPECT_EQ(b["plugin_settings"], nlohmann::json::object());
}

// Each of these files fails validation while holding kSecret somewhere.
TEST(Secrets, no_secret_value_appears_in_any_error_text) {
  const std::string tenant_head =
      "tenants:\n  prod:\n    ecosystem: confluent_cloud\n    tenant_id: p\n";
  const std::vector<std::string> failing = {
      // An unparseable connection string, directly and through the environment.
      tenant_head + "    storage: {connection_string: 'mysql://root:" + kSecret + "@h/db'}\n",
      tenant_head + "    storage: {connection_string: '${DB_URL}'}\n",
      tenant_head + "    storage: {connection_string: '" + kSecret + "'}\n",
      // Secrets of the wrong kind.
      tenant_head + "    storage: {connection_string: ['" + kSecret + "']}\n",
      "api: {auth_token: {value: " + kSecret + "}}\n",
      "api: {auth_token: [" + kSecret + "]}\n",
      // A secret under a misspelt key, next to other errors.
      tenant_head + "    storage: {conection_string: 'postgresql://u:" + kSecret + "@h/db'}\n",
      "api: {auth_tokn: " + kSecret + ", port: 0}\n",
      // Two tenants on one database, with passwords in the URLs.
      "tenants:\n"
      "  a: {ecosystem: confluent_cloud, tenant_id: a, storage: {connection_string: "
      "'postgresql://u:" +
          kSecret +
          "@db:5432/x'}}\n"
          "  b: {ecosystem: confluent_cloud, tenant_id: b, storage: {connection_string: "
          "'postgresql://u:" +
          kSecret + "2@db:5432/x'}}\n",
      // Plugin secrets next to an error and a missing variable.
      tenant_head + "    lookback_days: 999\n    plugin_settings: {ccloud_api: {secret: " +
          kSecret + "}, metrics: {password: '${UNSET_PW}'}}\n",
      // A duplicate secret key.
      "api: {auth_token: " + kSecret + ", auth_token: " + kSecret + "x}\n",
      // Malformed YAML right after a secret.
      "api: {auth_token: " + kSecret + "\ntenants: [\n",
  };
  for (const auto& yaml : failing) {
    auto result = parse(yaml, {{"DB_URL", "mysql://root:" + kSecret + "@h/db"}});
    ASSERT_FALSE(result.ok()) << yaml;
    EXPECT_EQ(result.error_text().find(kSecret), std::string::npos)
        << yaml << "\n=> " << result.error_text();
  }
}

}  // namespace
}  // namespace chitragupt::config
