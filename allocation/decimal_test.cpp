#include "allocation/decimal.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "allocation/json_decimal.hpp"

namespace chitragupt::allocation {
namespace {

Decimal d(const std::string& text) {
  auto value = Decimal::parse(text);
  EXPECT_TRUE(value.is_ok()) << text << ": " << value.error();
  return value ? *value : Decimal();
}

std::string money_of(const Result<Money>& m) { return m ? m->to_string() : "error: " + m.error(); }

TEST(Decimal, keeps_the_written_scale_and_compares_numerically) {
  EXPECT_EQ(d("1.50").to_string(), "1.50");
  EXPECT_EQ(d("1.50").scale(), 2);
  EXPECT_EQ(d("1.50"), d("1.5"));
  EXPECT_LT(d("-2"), d("1"));
  EXPECT_LT(d("-2"), d("-1.99"));
  EXPECT_GT(d("0.70"), d("0.3"));
  EXPECT_EQ(d("-0.0"), d("0"));
  EXPECT_FALSE(d("-0.0").is_negative());
  EXPECT_EQ(d("8.004").to_string(), "8.004");
  EXPECT_EQ(d("1e-5").to_string(), "0.00001");
  EXPECT_EQ(d("1.5E+3").to_string(), "1500");
  EXPECT_EQ(d("-0.05").to_string(), "-0.05");
}

TEST(Decimal, holds_28_digit_totals_exactly) {
  const Decimal total = d("0.2440000000000000074505805969");
  EXPECT_EQ(total.to_string(), "0.2440000000000000074505805969");
  EXPECT_EQ(money_of(total.to_money()), "0.2440");
}

TEST(Decimal, rounds_half_up_beyond_38_digits) {
  EXPECT_EQ(d("0.123456789012345678901234567890123456785").to_string(),
            "0.12345678901234567890123456789012345679");
  EXPECT_EQ(d("1e-39").to_string(), "0.00000000000000000000000000000000000000");
  EXPECT_EQ(d("5e-39").to_string(), "0.00000000000000000000000000000000000001");
  EXPECT_EQ(d("9.9999999999999999999999999999999999999999").to_string(),
            "10.000000000000000000000000000000000000");
  EXPECT_FALSE(Decimal::parse("1e38").is_ok());
  EXPECT_TRUE(Decimal::parse("1e37").is_ok());
  EXPECT_FALSE(Decimal::parse("abc").is_ok());
}

TEST(Decimal, reproduces_python_repr_of_floats) {
  EXPECT_EQ(Decimal::from_double_repr(1.0 / 3)->to_string(), "0.3333333333333333");
  EXPECT_EQ(Decimal::from_double_repr(0.1)->to_string(), "0.1");
  EXPECT_EQ(Decimal::from_double_repr(0.7)->to_string(), "0.7");
  EXPECT_EQ(Decimal::from_double_repr(1e-5)->to_string(), "0.00001");
  EXPECT_EQ(Decimal::from_double_repr(100.0)->to_string(), "100");
  EXPECT_EQ(Decimal::from_double_repr(2.0 / 3)->to_string(), "0.6666666666666666");
  EXPECT_FALSE(Decimal::from_double_repr(std::numeric_limits<double>::quiet_NaN()).is_ok());
  EXPECT_FALSE(Decimal::from_double_repr(std::numeric_limits<double>::infinity()).is_ok());
}

TEST(Decimal, multiplies_money_with_one_rounding) {
  EXPECT_EQ(money_of(multiply_to_money(*Money::parse("10"), d("0.3333333333333333"))), "3.3333");
  EXPECT_EQ(money_of(multiply_to_money(*Money::parse("100"), d("0.70"))), "70.0000");
  EXPECT_EQ(money_of(multiply_to_money(*Money::parse("1.0001"), d("0.6"))), "0.6001");
  EXPECT_EQ(money_of(multiply_to_money(*Money::parse("0.0001"), d("0.5"))), "0.0001");
  EXPECT_EQ(money_of(multiply_to_money(*Money::parse("-0.0001"), d("0.5"))), "-0.0001");
  EXPECT_EQ(money_of(multiply_to_money(*Money::parse("0.0001"), d("0.49999999999999999999"))),
            "0.0000");
  // 256-bit path: the largest amount times a ratio just below 1 rounds back up.
  const Money max = Money::from_units(std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(multiply_to_money(max, d("0.99999999999999999999999999999999999999"))->units(),
            std::numeric_limits<std::int64_t>::max());
  EXPECT_FALSE(multiply_to_money(max, d("1.0001")).is_ok());
}

TEST(Decimal, takes_exact_fractions_of_totals) {
  EXPECT_EQ(money_of(fraction_of(d("100"), 28800, 86400)), "33.3333");  // created 16:00
  EXPECT_EQ(money_of(fraction_of(d("100"), 43200, 86400)), "50.0000");  // created 12:00
  EXPECT_EQ(money_of(fraction_of(d("0.00015"), 1, 2)), "0.0001");       // 0.000075
  EXPECT_EQ(money_of(fraction_of(d("-0.00015"), 1, 2)), "-0.0001");
  EXPECT_EQ(money_of(fraction_of(d("123456789.123456789"), 7, 3)), "288065841.2881");
  EXPECT_EQ(money_of(fraction_of(d("5"), 0, 86400)), "0.0000");
  // Values computed with Python's fractions.Fraction (256-bit path).
  EXPECT_EQ(fraction_of(d("0.12345678901234567890123456789012345678"), 86399, 86400)->units(),
            1235);
  EXPECT_EQ(fraction_of(d("99999999999999.99999999999999999999999"), 2591999, 2592000)->units(),
            999999614197530864);
  EXPECT_FALSE(fraction_of(d("1"), 1, 0).is_ok());
  EXPECT_FALSE(fraction_of(d("1e30"), 1, 1).is_ok());
}

TEST(Decimal, adds_and_subtracts_exactly) {
  EXPECT_EQ(d("0.70").add(d("0.30"))->to_string(), "1.00");
  EXPECT_EQ(d("0.1").subtract(d("0.25"))->to_string(), "-0.15");
  EXPECT_EQ(d("-1").add(d("1"))->to_string(), "0");
  EXPECT_FALSE(d("9e37").add(d("9e37")).is_ok());
  EXPECT_DOUBLE_EQ(d("0.70").to_double(), 0.7);
}

TEST(JsonDecimal, reads_billing_numbers_like_python_str_of_float) {
  using nlohmann::json;
  EXPECT_EQ(decimal_from_json(json::parse("100.0"))->to_string(), "100");
  EXPECT_EQ(decimal_from_json(json::parse("4.1667"))->to_string(), "4.1667");
  EXPECT_EQ(decimal_from_json(json::parse("24"))->to_string(), "24");
  EXPECT_EQ(decimal_from_json(json::parse("-3"))->to_string(), "-3");
  EXPECT_EQ(decimal_from_json(json::parse("18446744073709551615"))->to_string(),
            "18446744073709551615");
  EXPECT_EQ(decimal_from_json(json::parse("1e-5"))->to_string(), "0.00001");
  EXPECT_EQ(decimal_from_json(json::parse("0.1"))->to_string(), "0.1");
  EXPECT_EQ(decimal_from_json(json("12.34"))->to_string(), "12.34");
  EXPECT_EQ(decimal_from_json(json("0.2440000000000000074505805969"))->to_string(),
            "0.2440000000000000074505805969");
}

TEST(JsonDecimal, strict_reading_rejects_what_billing_reading_counts_as_zero) {
  using nlohmann::json;
  for (const json& bad : {json(nullptr), json("abc"), json(true), json::array(), json::object()}) {
    EXPECT_FALSE(decimal_from_json(bad).is_ok()) << bad.dump();
    EXPECT_TRUE(billing_decimal_from_json(bad).is_zero()) << bad.dump();
  }
  EXPECT_EQ(billing_decimal_from_json(json(8.004)).to_string(), "8.004");
}

TEST(JsonDecimal, reads_raw_number_tokens_exactly) {
  EXPECT_EQ(decimal_from_json_text("4.1667e-5")->to_string(), "0.000041667");
  EXPECT_EQ(decimal_from_json_text("\"12.34\"")->to_string(), "12.34");
  EXPECT_EQ(decimal_from_json_text("0.1000000000000000055511151231257827")->to_string(),
            "0.1000000000000000055511151231257827");
  EXPECT_FALSE(decimal_from_json_text("null").is_ok());
  EXPECT_FALSE(decimal_from_json_text("\"x\"").is_ok());
}

}  // namespace
}  // namespace chitragupt::allocation
