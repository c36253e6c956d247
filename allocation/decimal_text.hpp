#pragma once
// Internal: the lexical scan shared by Money::parse and Decimal::parse. Not part of the
// library's contract; include money.hpp or decimal.hpp instead.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chitragupt::allocation::detail {

// value = (negative ? -1 : 1) * digits * 10^exponent, exactly.
struct DecimalText {
  bool negative = false;
  std::string digits;  // significant digits, no leading zeros; empty for zero
  // Power of ten applied to `digits`. Trailing zeros stay in `digits`, so -exponent is the
  // scale the text was written with ("1.50" -> digits "150", exponent -2), also for zero.
  std::int64_t exponent = 0;
};

// Accepts the grammar of a JSON number plus the forms Python's Decimal reads from the API:
// [+-] digits [. digits] [(e|E) [+-] digits], ".5" and "5." included. No whitespace, no
// "NaN"/"Infinity", no hexadecimal. Exponents are clamped to +-10^12 (far beyond any value
// that fits the types built on this scan, so the clamp never changes a representable result).
std::optional<DecimalText> scan_decimal_text(std::string_view text);

}  // namespace chitragupt::allocation::detail
