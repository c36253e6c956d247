#include "allocation/money.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

namespace chitragupt::allocation {
namespace {

std::string parsed(const std::string& text) {
  auto m = Money::parse(text);
  return m ? m->to_string() : "error: " + m.error();
}

TEST(Money, parses_plain_decimals_exactly) {
  EXPECT_EQ(parsed("12.34"), "12.3400");
  EXPECT_EQ(parsed("100"), "100.0000");
  EXPECT_EQ(parsed("100.0"), "100.0000");
  EXPECT_EQ(parsed("0.0001"), "0.0001");
  EXPECT_EQ(parsed("+7.5"), "7.5000");
  EXPECT_EQ(parsed(".5"), "0.5000");
  EXPECT_EQ(parsed("5."), "5.0000");
  EXPECT_EQ(parsed("0000012.30"), "12.3000");
  EXPECT_EQ(Money::parse("12.34")->units(), 123400);
}

TEST(Money, rounds_half_up_at_the_fifth_decimal) {
  EXPECT_EQ(parsed("0.00005"), "0.0001");
  EXPECT_EQ(parsed("0.00004"), "0.0000");
  EXPECT_EQ(parsed("0.000049999999999999999999999"), "0.0000");
  EXPECT_EQ(parsed("0.000050000000000000000000001"), "0.0001");
  EXPECT_EQ(parsed("1.00005"), "1.0001");
  EXPECT_EQ(parsed("2.00015"), "2.0002");  // HALF_UP, not banker's rounding (HALF_EVEN: 2.0002)
  EXPECT_EQ(parsed("2.00025"), "2.0003");  // HALF_EVEN would give 2.0002
  EXPECT_EQ(parsed("0.2440000000000000074505805969"), "0.2440");
  EXPECT_EQ(parsed("8.004"), "8.0040");
}

TEST(Money, rounds_negative_ties_away_from_zero) {
  EXPECT_EQ(parsed("-0.00005"), "-0.0001");
  EXPECT_EQ(parsed("-0.00004"), "0.0000");
  EXPECT_EQ(parsed("-12.34565"), "-12.3457");
  EXPECT_EQ(parsed("-1"), "-1.0000");
  EXPECT_EQ(Money::parse("-0.00001")->units(), 0);
}

TEST(Money, reads_exponents) {
  EXPECT_EQ(parsed("1e-5"), "0.0000");
  EXPECT_EQ(parsed("5e-5"), "0.0001");
  EXPECT_EQ(parsed("1e-4"), "0.0001");
  EXPECT_EQ(parsed("1.5E+3"), "1500.0000");
  EXPECT_EQ(parsed("4.1667e2"), "416.6700");
  EXPECT_EQ(parsed("123456e-10"), "0.0000");
  EXPECT_EQ(parsed("123456e-9"), "0.0001");
  EXPECT_EQ(parsed("1e-999999999999999"), "0.0000");
  EXPECT_EQ(parsed("0e999999999"), "0.0000");
  EXPECT_EQ(parsed("-2.5e-1"), "-0.2500");
}

TEST(Money, accepts_the_whole_int64_range_and_rejects_beyond) {
  EXPECT_EQ(parsed("922337203685477.5807"), "922337203685477.5807");
  EXPECT_EQ(parsed("-922337203685477.5807"), "-922337203685477.5807");
  EXPECT_EQ(parsed("922337203685477.58074"), "922337203685477.5807");
  EXPECT_NE(parsed("922337203685477.5808").find("out of range"), std::string::npos);
  EXPECT_NE(parsed("922337203685477.58075").find("out of range"), std::string::npos);
  EXPECT_NE(parsed("1e20").find("out of range"), std::string::npos);
  EXPECT_NE(parsed("99999999999999999999999").find("out of range"), std::string::npos);
  EXPECT_EQ(Money::from_units(std::numeric_limits<std::int64_t>::min()).to_string(),
            "-922337203685477.5808");
}

TEST(Money, rejects_text_that_is_not_a_number) {
  for (const char* bad : {"",         " ",    "abc",   "1,5",   " 1",  "1 ",  "NaN",  "nan",
                          "Infinity", "-inf", "1e",    "1e+",   "--1", "+-1", ".",    "+",
                          "-",        "0x10", "1.2.3", "1e5.5", "$5",  "5%",  "1_000"}) {
    auto m = Money::parse(bad);
    EXPECT_FALSE(m.is_ok()) << "'" << bad << "'";
    if (!m) {
      EXPECT_NE(m.error().find("not a decimal number"), std::string::npos) << m.error();
    }
  }
}

TEST(Money, shortens_long_bad_text_in_errors) {
  const std::string garbage(500, 'x');
  auto m = Money::parse(garbage);
  ASSERT_FALSE(m.is_ok());
  EXPECT_LT(m.error().size(), 80u);
}

TEST(Money, formats_with_exactly_four_decimals) {
  EXPECT_EQ(Money().to_string(), "0.0000");
  EXPECT_EQ(Money::from_units(1).to_string(), "0.0001");
  EXPECT_EQ(Money::from_units(-1).to_string(), "-0.0001");
  EXPECT_EQ(Money::from_units(123456).to_string(), "12.3456");
  EXPECT_EQ(Money::from_units(-50000).to_string(), "-5.0000");
}

TEST(Money, adds_subtracts_and_compares) {
  const Money a = *Money::parse("10.25");
  const Money b = *Money::parse("0.0001");
  EXPECT_EQ((a + b).to_string(), "10.2501");
  EXPECT_EQ((a - b).to_string(), "10.2499");
  EXPECT_EQ((-a).to_string(), "-10.2500");
  Money c = a;
  c += b;
  c -= a;
  EXPECT_EQ(c, b);
  EXPECT_LT(b, a);
  EXPECT_GT(a, b);
  EXPECT_LE(b, b);
  EXPECT_NE(a, b);
  EXPECT_TRUE(Money().is_zero());
  EXPECT_TRUE((-a).is_negative());
  EXPECT_EQ(a.checked_mul(3)->to_string(), "30.7500");
}

TEST(Money, detects_overflow) {
  const Money max = Money::from_units(std::numeric_limits<std::int64_t>::max());
  const Money min = Money::from_units(std::numeric_limits<std::int64_t>::min());
  const Money one = Money::from_units(1);
  EXPECT_FALSE(max.checked_add(one).has_value());
  EXPECT_FALSE(min.checked_sub(one).has_value());
  EXPECT_FALSE(max.checked_mul(2).has_value());
  EXPECT_TRUE(max.checked_sub(one).has_value());
  EXPECT_THROW(max + one, std::overflow_error);
  EXPECT_THROW(min - one, std::overflow_error);
  EXPECT_THROW(-min, std::overflow_error);
}

}  // namespace
}  // namespace chitragupt::allocation
