#include "common/csv.hpp"

#include <gtest/gtest.h>

namespace chitragupt {
namespace {

std::string field(const std::string& value) {
  std::string out = "before,";
  append_csv_field(out, value);
  return out;
}

TEST(Csv, plain_field_is_appended_unquoted) {
  EXPECT_EQ(field("lkc-123"), "before,lkc-123");
  EXPECT_EQ(field(""), "before,");
  EXPECT_EQ(field("12.3400"), "before,12.3400");
  EXPECT_EQ(field("it's ok; fine"), "before,it's ok; fine");
}

TEST(Csv, comma_cr_and_lf_are_quoted) {
  EXPECT_EQ(field("a,b"), "before,\"a,b\"");
  EXPECT_EQ(field("line1\nline2"), "before,\"line1\nline2\"");
  EXPECT_EQ(field("a\rb"), "before,\"a\rb\"");
}

TEST(Csv, inner_quotes_are_doubled_inside_quotes) {
  EXPECT_EQ(field("say \"hi\""), "before,\"say \"\"hi\"\"\"");
  EXPECT_EQ(field("\""), "before,\"\"\"\"");
  EXPECT_EQ(field("{\"k\":\"v\",\"n\":1}"), "before,\"{\"\"k\"\":\"\"v\"\",\"\"n\"\":1}\"");
}

}  // namespace
}  // namespace chitragupt
