// load_config: files, the .env beside the config or --env-file, and the real environment.

#include <stdlib.h>

#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config/test_temp_dir.hpp"

namespace chitragupt::config {
namespace {

using testing::TempDir;

const std::string kConfigUsingVar =
    "api: {host: '${CHITRAGUPT_LOADTEST_HOST}'}\n"
    "tenants:\n"
    "  prod: {ecosystem: confluent_cloud, tenant_id: p, storage: {connection_string: "
    "'sqlite:///:memory:'}}\n";

TEST(LoadConfig, missing_config_file_is_an_error_naming_it) {
  TempDir dir;
  auto result = load_config(dir.path("missing.yaml"));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.error_text(), "config file '" + dir.path("missing.yaml") + "' not found");
}

TEST(LoadConfig, empty_file_is_a_valid_config_and_records_its_source) {
  TempDir dir;
  auto path = dir.write("empty.yaml", "");
  auto result = load_config(path);
  ASSERT_TRUE(result.ok()) << result.error_text();
  EXPECT_TRUE(result.config->tenants.empty());
  EXPECT_EQ(result.config->source_path, path);
}

TEST(LoadConfig, dotenv_beside_the_config_is_loaded) {
  TempDir dir;
  ::unsetenv("CHITRAGUPT_LOADTEST_HOST");
  dir.write("conf/.env", "CHITRAGUPT_LOADTEST_HOST=from-beside\n");
  auto result = load_config(dir.write("conf/chitragupt.yaml", kConfigUsingVar));
  ASSERT_TRUE(result.ok()) << result.error_text();
  EXPECT_EQ(result.config->api.host, "from-beside");
}

TEST(LoadConfig, env_file_option_is_used_instead_of_the_dotenv_beside) {
  TempDir dir;
  ::unsetenv("CHITRAGUPT_LOADTEST_HOST");
  dir.write("conf/.env", "CHITRAGUPT_LOADTEST_HOST=from-beside\n");
  auto env_file = dir.write("elsewhere/prod.env", "CHITRAGUPT_LOADTEST_HOST=from-env-file\n");
  auto result = load_config(dir.write("conf/chitragupt.yaml", kConfigUsingVar), env_file);
  ASSERT_TRUE(result.ok()) << result.error_text();
  EXPECT_EQ(result.config->api.host, "from-env-file");
}

TEST(LoadConfig, missing_env_file_is_an_error) {
  TempDir dir;
  auto result = load_config(dir.write("c.yaml", ""), dir.path("none.env"));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.error_text(), "env file '" + dir.path("none.env") + "' not found");
}

TEST(LoadConfig, malformed_dotenv_beside_the_config_is_an_error) {
  TempDir dir;
  dir.write(".env", "OK=1\nnot a pair\n");
  auto result = load_config(dir.write("c.yaml", ""));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.error_text().find("line 2"), std::string::npos);
}

TEST(LoadConfig, real_environment_wins_over_dotenv) {
  TempDir dir;
  ::setenv("CHITRAGUPT_LOADTEST_HOST", "from-process", 1);
  dir.write(".env", "CHITRAGUPT_LOADTEST_HOST=from-dotenv\n");
  auto result = load_config(dir.write("c.yaml", kConfigUsingVar));
  ::unsetenv("CHITRAGUPT_LOADTEST_HOST");
  ASSERT_TRUE(result.ok()) << result.error_text();
  EXPECT_EQ(result.config->api.host, "from-process");
}

TEST(LoadConfig, unset_variable_fails_without_any_dotenv) {
  TempDir dir;
  ::unsetenv("CHITRAGUPT_LOADTEST_HOST");
  auto result = load_config(dir.write("c.yaml", kConfigUsingVar));
  ASSERT_EQ(result.errors.size(), 1u) << result.error_text();
  EXPECT_EQ(result.errors[0].path, "api.host");
}

TEST(LoadConfig, malformed_yaml_names_the_file) {
  TempDir dir;
  auto path = dir.write("bad.yaml", "tenants:\n  prod: {ecosystem: [\n");
  auto result = load_config(path);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.error_text().rfind("Malformed YAML in '" + path + "': line ", 0), 0u)
      << result.error_text();
}

TEST(LoadConfig, a_directory_is_not_a_config_file) {
  TempDir dir;
  auto result = load_config(dir.path());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.error_text().find("cannot read config file"), std::string::npos);
}

}  // namespace
}  // namespace chitragupt::config
