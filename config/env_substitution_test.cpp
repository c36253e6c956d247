#include "config/env_substitution.hpp"

#include <gtest/gtest.h>

namespace chitragupt::config {
namespace {

const Environment kEnv = Environment::from_map({{"HOST", "db"}, {"PORT", "5432"}, {"EMPTY", ""}});

TEST(EnvSubstitution, replaces_set_variable) {
  auto r = substitute_env("${HOST}", kEnv);
  EXPECT_EQ(r.value, "db");
  EXPECT_TRUE(r.missing.empty());
}

TEST(EnvSubstitution, several_references_in_one_string) {
  EXPECT_EQ(substitute_env("pg://${HOST}:${PORT}/x-${HOST}", kEnv).value, "pg://db:5432/x-db");
}

TEST(EnvSubstitution, default_used_only_when_unset) {
  EXPECT_EQ(substitute_env("${NOPE:-fallback}", kEnv).value, "fallback");
  EXPECT_EQ(substitute_env("${HOST:-fallback}", kEnv).value, "db");
  // Set but empty stays empty, as os.environ.get(name) in the original.
  EXPECT_EQ(substitute_env("[${EMPTY:-fallback}]", kEnv).value, "[]");
}

TEST(EnvSubstitution, empty_default_gives_empty_string) {
  auto r = substitute_env("a${NOPE:-}b", kEnv);
  EXPECT_EQ(r.value, "ab");
  EXPECT_TRUE(r.missing.empty());
}

TEST(EnvSubstitution, default_ends_at_first_brace_and_may_hold_colons) {
  EXPECT_EQ(substitute_env("${NOPE:-http://x:9090}", kEnv).value, "http://x:9090");
  EXPECT_EQ(substitute_env("${NOPE:-a}b}", kEnv).value, "ab}");
}

TEST(EnvSubstitution, unset_without_default_is_reported_once_per_name) {
  auto r = substitute_env("${A_MISSING}/${B_MISSING}/${A_MISSING}", kEnv);
  EXPECT_EQ(r.missing, (std::vector<std::string>{"A_MISSING", "B_MISSING"}));
}

TEST(EnvSubstitution, text_not_matching_the_pattern_is_kept) {
  EXPECT_EQ(substitute_env("$HOST ${} ${HOST:x} ${unclosed", kEnv).value,
            "$HOST ${} ${HOST:x} ${unclosed");
}

TEST(EnvSubstitution, substituted_text_is_not_scanned_again) {
  auto env = Environment::from_map({{"OUTER", "${INNER}"}});
  auto r = substitute_env("${OUTER}", env);
  EXPECT_EQ(r.value, "${INNER}");
  EXPECT_TRUE(r.missing.empty());
}

TEST(EnvSubstitution, missing_variable_message_matches_original) {
  EXPECT_EQ(missing_variable_message("X"),
            "Required environment variable 'X' is not set. Set the variable or provide a "
            "default: ${X:-default}");
}

TEST(Environment, from_map_ignores_process_environment) {
  ::setenv("CHITRAGUPT_TEST_FROM_MAP_ONLY", "proc", 1);
  auto env = Environment::from_map({});
  EXPECT_FALSE(env.get("CHITRAGUPT_TEST_FROM_MAP_ONLY").has_value());
  ::unsetenv("CHITRAGUPT_TEST_FROM_MAP_ONLY");
}

TEST(Environment, process_environment_wins_over_dotenv) {
  ::setenv("CHITRAGUPT_TEST_ENV_WINS", "from-process", 1);
  ::unsetenv("CHITRAGUPT_TEST_ENV_DOTENV_ONLY");
  auto env = Environment::from_process(
      {{"CHITRAGUPT_TEST_ENV_WINS", "from-dotenv"}, {"CHITRAGUPT_TEST_ENV_DOTENV_ONLY", "d"}});
  EXPECT_EQ(env.get("CHITRAGUPT_TEST_ENV_WINS"), "from-process");
  EXPECT_EQ(env.get("CHITRAGUPT_TEST_ENV_DOTENV_ONLY"), "d");
  EXPECT_FALSE(env.get("CHITRAGUPT_TEST_ENV_NOWHERE").has_value());
  ::unsetenv("CHITRAGUPT_TEST_ENV_WINS");
}

}  // namespace
}  // namespace chitragupt::config
