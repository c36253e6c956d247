// ${VAR} substitution as part of parsing a configuration.

#include <gtest/gtest.h>

#include "config/config.hpp"

namespace chitragupt::config {
namespace {

LoadResult parse(const std::string& yaml, std::map<std::string, std::string> env = {}) {
  return parse_config(yaml, Environment::from_map(std::move(env)));
}

TEST(EnvInConfig, substitutes_in_string_values_of_every_type_of_field) {
  auto result = parse(
      "logging: {level: '${LEVEL}'}\n"
      "api: {host: '${HOST:-127.0.0.1}', port: '${PORT}', enable_cors: '${CORS}', "
      "auth_token: '${TOKEN:-}', cors_origins: ['${ORIGIN}']}\n"
      "tenants:\n"
      "  prod:\n"
      "    ecosystem: confluent_cloud\n"
      "    tenant_id: ${TENANT}-${REGION:-eu}\n"
      "    storage: {connection_string: 'sqlite:///${DB_DIR}/prod.db'}\n",
      {{"LEVEL", "debug"},
       {"PORT", "9000"},
       {"CORS", "yes"},
       {"ORIGIN", "http://ui"},
       {"TENANT", "acme"},
       {"DB_DIR", "data"}});
  ASSERT_TRUE(result.ok()) << result.error_text();
  const Config& c = *result.config;
  EXPECT_EQ(c.logging.level, "DEBUG");
  EXPECT_EQ(c.api.host, "127.0.0.1");
  EXPECT_EQ(c.api.port, 9000);
  EXPECT_TRUE(c.api.enable_cors);
  EXPECT_EQ(c.api.auth_token, "");
  EXPECT_EQ(c.api.cors_origins, std::vector<std::string>{"http://ui"});
  EXPECT_EQ(c.tenants[0].tenant_id, "acme-eu");
  EXPECT_EQ(c.tenants[0].storage.connection_string, "sqlite:///data/prod.db");
}

TEST(EnvInConfig, unset_variable_without_default_is_an_error_at_the_value_path) {
  auto result = parse("api: {host: '${NO_SUCH_HOST_VAR}'}\n");
  ASSERT_EQ(result.errors.size(), 1u) << result.error_text();
  EXPECT_EQ(result.errors[0].to_string(),
            "api.host: Required environment variable 'NO_SUCH_HOST_VAR' is not set. Set the "
            "variable or provide a default: ${NO_SUCH_HOST_VAR:-default}");
}

TEST(EnvInConfig, every_unset_variable_is_reported) {
  auto result = parse(
      "api: {host: '${A_UNSET}:${B_UNSET}', port: '${C_UNSET}'}\n"
      "tenants:\n"
      "  prod:\n"
      "    ecosystem: confluent_cloud\n"
      "    tenant_id: p\n"
      "    storage: {connection_string: '${DB_URL_UNSET}'}\n"
      "    plugin_settings: {ccloud_api: {secret: '${SECRET_UNSET}'}, list: ['${E_UNSET}']}\n");
  ASSERT_EQ(result.errors.size(), 6u) << result.error_text();
  EXPECT_EQ(result.errors[0].path, "api.host");
  EXPECT_NE(result.errors[0].message.find("'A_UNSET'"), std::string::npos);
  EXPECT_EQ(result.errors[1].path, "api.host");
  EXPECT_NE(result.errors[1].message.find("'B_UNSET'"), std::string::npos);
  EXPECT_EQ(result.errors[2].path, "api.port");
  EXPECT_EQ(result.errors[3].path, "tenants.prod.storage.connection_string");
  EXPECT_EQ(result.errors[4].path, "tenants.prod.plugin_settings.ccloud_api.secret");
  EXPECT_EQ(result.errors[5].path, "tenants.prod.plugin_settings.list[0]");
}

TEST(EnvInConfig, keys_are_not_substituted) {
  auto result = parse("${SECTION}: {}\n", {{"SECTION", "api"}});
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].path, "${SECTION}");
}

TEST(EnvInConfig, values_under_unknown_keys_are_not_substituted) {
  auto result = parse("api: {hots: '${UNSET_UNDER_TYPO}'}\n");
  ASSERT_EQ(result.errors.size(), 1u) << result.error_text();
  EXPECT_EQ(result.errors[0].to_string(), "api.hots: unknown key (did you mean host?)");
}

TEST(EnvInConfig, substituted_integer_is_validated_after_substitution) {
  auto result = parse("api: {port: '${PORT}'}\n", {{"PORT", "eighty"}});
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].to_string(), "api.port: expected an integer, got 'eighty'");
}

}  // namespace
}  // namespace chitragupt::config
