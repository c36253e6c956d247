#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config/test_temp_dir.hpp"

namespace chitragupt::config {
namespace {

using testing::TempDir;

TEST(Dotenv, reads_plain_exported_and_commented_entries) {
  TempDir dir;
  auto path = dir.write(".env",
                        "# a comment\n"
                        "\n"
                        "PLAIN=value\n"
                        "export EXPORTED=yes\n"
                        "  SPACED =  padded value   \n"
                        "WITH_COMMENT=abc # trailing comment\n"
                        "HASH_INSIDE=abc#def\n"
                        "EMPTY=\n"
                        "CRLF=windows\r\n");
  auto vars = read_dotenv(path);
  ASSERT_TRUE(vars.is_ok()) << vars.error();
  EXPECT_EQ(vars->at("PLAIN"), "value");
  EXPECT_EQ(vars->at("EXPORTED"), "yes");
  EXPECT_EQ(vars->at("SPACED"), "padded value");
  EXPECT_EQ(vars->at("WITH_COMMENT"), "abc");
  EXPECT_EQ(vars->at("HASH_INSIDE"), "abc#def");
  EXPECT_EQ(vars->at("EMPTY"), "");
  EXPECT_EQ(vars->at("CRLF"), "windows");
  EXPECT_EQ(vars->size(), 7u);
}

TEST(Dotenv, double_quotes_support_escapes_and_single_quotes_are_literal) {
  TempDir dir;
  auto path = dir.write(".env",
                        "DQ=\"line1\\nline2 \\\"q\\\" back\\\\slash # not a comment\"\n"
                        "SQ='raw \\n ${X} # kept'  # comment\n"
                        "MULTI=\"first\n"
                        "second\"\n"
                        "AFTER=1\n");
  auto vars = read_dotenv(path);
  ASSERT_TRUE(vars.is_ok()) << vars.error();
  EXPECT_EQ(vars->at("DQ"), "line1\nline2 \"q\" back\\slash # not a comment");
  EXPECT_EQ(vars->at("SQ"), "raw \\n ${X} # kept");
  EXPECT_EQ(vars->at("MULTI"), "first\nsecond");
  EXPECT_EQ(vars->at("AFTER"), "1");
}

TEST(Dotenv, later_entry_wins) {
  TempDir dir;
  auto vars = read_dotenv(dir.write(".env", "A=1\nA=2\n"));
  ASSERT_TRUE(vars.is_ok());
  EXPECT_EQ(vars->at("A"), "2");
}

TEST(Dotenv, malformed_line_error_names_file_and_line_without_echoing_it) {
  TempDir dir;
  auto path = dir.write(".env", "GOOD=1\n# comment\nthis line has Sup3rSecret no equals\n");
  auto vars = read_dotenv(path);
  ASSERT_FALSE(vars.is_ok());
  EXPECT_EQ(vars.error(), "env file '" + path + "', line 3: expected KEY=VALUE");
  EXPECT_EQ(vars.error().find("Sup3rSecret"), std::string::npos);
}

TEST(Dotenv, unterminated_quote_is_an_error_at_its_line) {
  TempDir dir;
  auto path = dir.write(".env", "A=1\nB=\"never closed\nC=3\n");
  auto vars = read_dotenv(path);
  ASSERT_FALSE(vars.is_ok());
  EXPECT_EQ(vars.error(), "env file '" + path + "', line 2: unterminated double-quoted value");
}

TEST(Dotenv, text_after_closing_quote_is_an_error) {
  TempDir dir;
  auto path = dir.write(".env", "A='x' y\n");
  auto vars = read_dotenv(path);
  ASSERT_FALSE(vars.is_ok());
  EXPECT_NE(vars.error().find("line 1: unexpected characters after the closing quote"),
            std::string::npos);
}

TEST(Dotenv, missing_file_is_an_error_naming_it) {
  TempDir dir;
  auto vars = read_dotenv(dir.path("nope.env"));
  ASSERT_FALSE(vars.is_ok());
  EXPECT_EQ(vars.error(), "env file '" + dir.path("nope.env") + "' not found");
}

TEST(Dotenv, empty_file_has_no_entries) {
  TempDir dir;
  auto vars = read_dotenv(dir.write(".env", ""));
  ASSERT_TRUE(vars.is_ok()) << vars.error();
  EXPECT_TRUE(vars->empty());
}

TEST(Dotenv, text_in_memory_parses_as_a_file_and_errors_name_its_source) {
  auto vars = parse_dotenv("A=1\nB='two'\n", "inline.env");
  ASSERT_TRUE(vars.is_ok()) << vars.error();
  EXPECT_EQ(vars->at("A"), "1");
  EXPECT_EQ(vars->at("B"), "two");
  auto bad = parse_dotenv("A=1\nB=\"open\n", "inline.env");
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.error().find("env file 'inline.env', line 2"), std::string::npos) << bad.error();
}

}  // namespace
}  // namespace chitragupt::config
