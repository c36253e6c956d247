#include "cli/options.hpp"

#include <gtest/gtest.h>

namespace chitragupt::cli {
namespace {

struct Slots {
  std::optional<std::string> tenant, config_file;
  ValueOptions options() { return {{"--tenant", &tenant}, {"--config-file", &config_file}}; }
};

TEST(CliValueOption, separate_value_is_read_and_the_index_moves_past_it) {
  Slots s;
  std::vector<std::string> words = {"--tenant", "acme", "rest"};
  std::size_t i = 0;
  EXPECT_EQ(read_value_option(words, i, s.options()), std::nullopt);
  EXPECT_EQ(i, 1u);
  EXPECT_EQ(s.tenant, "acme");
  EXPECT_EQ(s.config_file, std::nullopt);
}

TEST(CliValueOption, equals_form_keeps_the_index_and_allows_empty_and_equals_in_values) {
  Slots s;
  std::vector<std::string> words = {"--config-file=/etc/a=b.yaml", "--tenant="};
  std::size_t i = 0;
  EXPECT_EQ(read_value_option(words, i, s.options()), std::nullopt);
  EXPECT_EQ(i, 0u);
  EXPECT_EQ(s.config_file, "/etc/a=b.yaml");
  i = 1;
  EXPECT_EQ(read_value_option(words, i, s.options()), std::nullopt);
  EXPECT_EQ(s.tenant, "");
}

TEST(CliValueOption, unknown_missing_and_repeated_options_are_usage_errors) {
  Slots s;
  std::size_t i = 0;
  EXPECT_EQ(read_value_option({"--tenat=x"}, i, s.options()), "unknown option --tenat");
  i = 0;
  EXPECT_EQ(read_value_option({"--tenant"}, i, s.options()), "--tenant needs a value");
  EXPECT_EQ(s.tenant, std::nullopt);
  std::vector<std::string> words = {"--tenant", "a", "--tenant=b"};
  i = 0;
  EXPECT_EQ(read_value_option(words, i, s.options()), std::nullopt);
  i = 2;
  EXPECT_EQ(read_value_option(words, i, s.options()), "--tenant given twice");
  EXPECT_EQ(s.tenant, "a");  // the first value stays
}

}  // namespace
}  // namespace chitragupt::cli
