#pragma once
// Pure conversions from the original chitragupta's stored values to chitragupt's (no I/O).
//
// - Timestamps: the original's SQLite text ("YYYY-MM-DD HH:MM:SS", "...SS.ffffff", a hand-typed
//   'T' separator, a "Z" / "+HH:MM" / "+HH" suffix) or PostgreSQL's rendering become our UTC
//   text "YYYY-MM-DD HH:MM:SS" (fractions of a second are dropped: we store seconds).
// - Money: decimal text of any scale, sign and E-notation ("20.1600", "-1.25", "1E-7",
//   "0E-32", "12.33333333333333333333333333") parsed exactly; never through floating point.
// - Rounding to our 0.0001 units keeps each group's total: round_keeping_total() rounds every
//   amount HALF_UP, then moves single units (largest rounding error first) until the rounded
//   amounts add up to the exact total rounded HALF_UP. Amounts with four decimals or fewer are
//   never changed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "allocation/decimal.hpp"
#include "common/status.hpp"

namespace chitragupt::importer {

// "YYYY-MM-DD HH:MM:SS" (UTC) from any of the forms above; a bare date is its midnight.
Result<std::string> canonical_timestamp(std::string_view text);
// "YYYY-MM-DD" from a date or the date part of a timestamp written in UTC.
Result<std::string> canonical_date(std::string_view text);

// An exact amount; trailing zeros are dropped so sums of many amounts keep their range
// ("0E-32" is 0, "20.1600" is 20.16). Errors name the text; more than 38 significant digits
// (or decimals) is an error, never a silent rounding.
Result<allocation::Decimal> parse_amount(std::string_view text);
// Whether `d` is a whole number of 0.0001 units.
bool fits_units(const allocation::Decimal& d);

struct RoundedGroup {
  std::vector<std::int64_t> units;  // one per amount, in input order
  allocation::Decimal exact_total;
  std::int64_t total_units = 0;  // == sum(units) == exact_total rounded HALF_UP
  int inexact = 0;               // amounts that did not fit 0.0001 units
};
// Errors only when a total leaves the int64 range of units.
Result<RoundedGroup> round_keeping_total(const std::vector<allocation::Decimal>& amounts);

// "1", "0", "true", "false", "t", "f" (any case) as a flag; nullopt otherwise.
std::optional<bool> parse_flag(std::string_view text);

// 0.0001 units as "12.3400".
std::string units_text(std::int64_t units);

}  // namespace chitragupt::importer
