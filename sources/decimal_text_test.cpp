#include "sources/decimal_text.hpp"

#include <gtest/gtest.h>

#include "sources/json_text.hpp"

namespace chitragupt::ccloud {
namespace {

TEST(DecimalText, point_one_plus_point_two_is_exactly_point_three) {
  EXPECT_EQ(add_decimal("0.1", "0.2"), "0.3");
}

TEST(DecimalText, sum_keeps_the_larger_scale_and_carries) {
  EXPECT_EQ(add_decimal("5.52", "2.484"), "8.004");
  EXPECT_EQ(add_decimal("240", "72"), "312");
  EXPECT_EQ(add_decimal("100.0", "0.5"), "100.5");
  EXPECT_EQ(add_decimal("0.999999", "0.000001"), "1.000000");
  EXPECT_EQ(add_decimal("123456789012345678901234567890.123456", "0.000001"),
            "123456789012345678901234567890.123457");
}

TEST(DecimalText, signed_sums_and_differences) {
  EXPECT_EQ(add_decimal("-1.5", "0.25"), "-1.25");
  EXPECT_EQ(add_decimal("1.5", "-1.5"), "0.0");
  EXPECT_EQ(subtract_decimal("1", "0.0001"), "0.9999");
  EXPECT_EQ(subtract_decimal("0.7", "1.0"), "-0.3");
}

TEST(DecimalText, zero_operands_of_any_scale_are_exact) {
  EXPECT_EQ(subtract_decimal("0.00", "0.0001"), "-0.0001");
  EXPECT_EQ(add_decimal("0", "0.10"), "0.10");
  EXPECT_EQ(add_decimal("0.000", "-7"), "-7.000");
  EXPECT_EQ(compare_decimal("0.00", "0.0001"), -1);
}

TEST(DecimalText, canonical_form_keeps_plain_literals_and_expands_exponents) {
  EXPECT_EQ(canonical_decimal("4.1667"), "4.1667");
  EXPECT_EQ(canonical_decimal("100.0"), "100.0");
  EXPECT_EQ(canonical_decimal("+007"), "7");
  EXPECT_EQ(canonical_decimal("1.5e-3"), "0.0015");
  EXPECT_EQ(canonical_decimal("2E2"), "200");
  EXPECT_EQ(canonical_decimal("-0.00"), "0.00");
  EXPECT_FALSE(canonical_decimal("abc").has_value());
  EXPECT_FALSE(canonical_decimal("1.2.3").has_value());
  EXPECT_FALSE(canonical_decimal("").has_value());
  EXPECT_FALSE(canonical_decimal("NaN").has_value());
  EXPECT_FALSE(canonical_decimal("1e9999").has_value());
}

TEST(DecimalText, comparison_ignores_scale) {
  EXPECT_EQ(compare_decimal("1.0", "1"), 0);
  EXPECT_EQ(compare_decimal("0.99999", "1"), -1);
  EXPECT_EQ(compare_decimal("-2", "-3"), 1);
}

TEST(JsonText, exact_mode_keeps_float_literals_as_text_and_integers_as_integers) {
  auto parsed = parse_json(R"({"a":[0.1,{"b":1e-7}],"c":24,"d":-3,"e":"x","f":null,"g":true})",
                           NumberMode::exact_text);
  ASSERT_TRUE(parsed.is_ok()) << parsed.error();
  EXPECT_EQ((*parsed)["a"][0], "0.1");
  EXPECT_EQ((*parsed)["a"][1]["b"], "1e-7");
  EXPECT_EQ((*parsed)["c"], 24);
  EXPECT_EQ((*parsed)["d"], -3);
  EXPECT_EQ((*parsed)["e"], "x");
  EXPECT_TRUE((*parsed)["f"].is_null());
  EXPECT_EQ((*parsed)["g"], true);
  EXPECT_EQ(decimal_text_of((*parsed)["a"][1]["b"]), "0.0000001");
}

TEST(JsonText, doubles_mode_matches_nlohmann) {
  const std::string text = R"({"a":[1.5,2,{"b":[]}],"c":{}})";
  auto parsed = parse_json(text);
  ASSERT_TRUE(parsed.is_ok());
  EXPECT_EQ(*parsed, nlohmann::json::parse(text));
}

TEST(JsonText, invalid_json_is_an_error_with_a_position_and_no_body_text) {
  auto parsed = parse_json(R"({"secret":"hunter2", "x": )");
  ASSERT_FALSE(parsed.is_ok());
  EXPECT_NE(parsed.error().find("invalid JSON at byte"), std::string::npos) << parsed.error();
  EXPECT_EQ(parsed.error().find("hunter2"), std::string::npos) << parsed.error();
}

}  // namespace
}  // namespace chitragupt::ccloud
