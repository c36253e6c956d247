// The pure conversions of the import: timestamps, exact amounts, rounding that keeps totals.

#include <gtest/gtest.h>

#include "importer/convert.hpp"

namespace chitragupt::importer {
namespace {

using allocation::Decimal;

std::string ts(const std::string& text) {
  auto r = canonical_timestamp(text);
  return r ? *r : "ERROR: " + r.error();
}

TEST(ImportConvert, TimestampsOfBothFamiliesAndHandTypedFormsBecomeUtcSeconds) {
  EXPECT_EQ(ts("2026-03-01 00:00:00"), "2026-03-01 00:00:00");          // family A
  EXPECT_EQ(ts("2026-03-02 14:05:09.123456"), "2026-03-02 14:05:09");   // family B
  EXPECT_EQ(ts("2026-03-02T14:05:09Z"), "2026-03-02 14:05:09");         // hand-typed
  EXPECT_EQ(ts("2026-03-02 14:05:09+00"), "2026-03-02 14:05:09");       // PostgreSQL text
  EXPECT_EQ(ts("2026-03-02T01:05:09.5+05:30"), "2026-03-01 19:35:09");  // an offset
  EXPECT_EQ(ts("2026-03-01"), "2026-03-01 00:00:00");                   // a date
  EXPECT_EQ(canonical_date("2026-03-01").value(), "2026-03-01");
  for (const char* bad : {"", "yesterday", "2026-02-30 00:00:00", "2026-03-01 25:00:00",
                          "2026-03-01 00:00:00 UTC", "2026-3-1"}) {
    EXPECT_FALSE(canonical_timestamp(bad).is_ok()) << bad;
  }
  auto err = canonical_timestamp("soon");
  EXPECT_NE(err.error().find("'soon'"), std::string::npos) << err.error();
}

TEST(ImportConvert, AmountsAreExactWhateverTheirNotation) {
  EXPECT_EQ(parse_amount("20.1600")->to_string(), "20.16");
  EXPECT_EQ(parse_amount("1E-7")->to_string(), "0.0000001");
  EXPECT_TRUE(parse_amount("0E-32")->is_zero());
  EXPECT_EQ(parse_amount("1E+16")->to_string(), "10000000000000000");
  EXPECT_EQ(parse_amount("-1.2500")->to_string(), "-1.25");
  EXPECT_EQ(parse_amount("12.33333333333333333333333333")->to_string(),
            "12.33333333333333333333333333");
  EXPECT_TRUE(fits_units(*parse_amount("20.1600")));
  EXPECT_FALSE(fits_units(*parse_amount("0.15370370")));
  for (const char* bad : {"", "abc", "1,5", "NaN", " 1"}) {
    EXPECT_FALSE(parse_amount(bad).is_ok()) << bad;
  }
  // More digits than can be kept exactly: an error, never a silent rounding.
  auto too_long = parse_amount("0.123456789012345678901234567890123456789012");
  ASSERT_FALSE(too_long.is_ok());
  EXPECT_NE(too_long.error().find("38"), std::string::npos);
}

TEST(ImportConvert, RoundingKeepsTheGroupTotalAndLeavesFourDecimalAmountsAlone) {
  std::vector<Decimal> amounts;
  for (const char* a : {"0.153703701", "0.358641969", "3.0000", "0.33333", "0.33333", "0.33334",
                        "1E-7", "0E-32", "-1.2500"}) {
    amounts.push_back(*parse_amount(a));
  }
  auto r = round_keeping_total(amounts);
  ASSERT_TRUE(r.is_ok()) << r.error();
  std::int64_t sum = 0;
  for (auto u : r->units) sum += u;
  EXPECT_EQ(sum, r->total_units);
  EXPECT_EQ(r->total_units, r->exact_total.to_money()->units());
  EXPECT_EQ(r->units[2], 30000);   // 3.0000 untouched
  EXPECT_EQ(r->units[8], -12500);  // -1.2500 untouched
  EXPECT_EQ(r->inexact, 6);
  // Each amount moves by less than one unit.
  for (std::size_t i = 0; i < amounts.size(); ++i) {
    auto diff =
        amounts[i].subtract(Decimal::from_money(allocation::Money::from_units(r->units[i])));
    Decimal d = diff->is_negative() ? diff->negated() : *diff;
    EXPECT_LT(d, *Decimal::parse("0.0001")) << i;
  }
  // Three thirds of 1.0000: rounding each would give 0.9999.
  std::vector<Decimal> thirds(3, *parse_amount("0.33333333333"));
  thirds.push_back(*parse_amount("0.00000000001"));
  auto t = round_keeping_total(thirds);
  EXPECT_EQ(t->total_units, 10000);
  EXPECT_EQ(t->units[0] + t->units[1] + t->units[2] + t->units[3], 10000);
}

TEST(ImportConvert, Flags) {
  EXPECT_EQ(parse_flag("1"), true);
  EXPECT_EQ(parse_flag("t"), true);
  EXPECT_EQ(parse_flag("FALSE"), false);
  EXPECT_EQ(parse_flag("yes"), std::nullopt);
}

}  // namespace
}  // namespace chitragupt::importer
