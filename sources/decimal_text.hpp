#pragma once
// Exact decimal numbers carried as text. Billing amounts arrive as JSON numbers; they are kept
// as the literal text the API sent ("4.1667", "100.0") and added digit by digit, so no amount
// ever passes through binary floating point (0.1 + 0.2 is exactly 0.3 here).

#include <optional>
#include <string>
#include <string_view>

namespace chitragupt::ccloud {

// The canonical form of a decimal literal: optional '-', digits, optional '.' and digits, no
// exponent. Literals already in that form come back unchanged (the scale is kept: "100.0"
// stays "100.0"); a leading '+' or leading zeros are dropped, an exponent is expanded
// ("1.5e-3" -> "0.0015"), "-0" becomes "0". nullopt for anything that is not a finite number.
std::optional<std::string> canonical_decimal(std::string_view text);

// Exact sum of two decimals (canonical or not; both must be valid, else nullopt). The result
// has the larger of the two scales: "0.1" + "0.2" = "0.3", "240" + "72" = "312",
// "5.52" + "2.484" = "8.004".
std::optional<std::string> add_decimal(std::string_view a, std::string_view b);

// Exact difference a - b.
std::optional<std::string> subtract_decimal(std::string_view a, std::string_view b);

// Exact product a x b; its scale is the sum of the two scales ("72" x "0.60" = "43.20").
std::optional<std::string> multiply_decimal(std::string_view a, std::string_view b);

// Exact a / 2^k (a terminating decimal: a x 5^k / 10^k) in its shortest text, for bytes -> GiB
// (k = 30): "60129542144" -> "56", "60000000000" -> "55.8793544769287109375".
std::optional<std::string> divide_by_power_of_two(std::string_view a, int k);

// `a` rounded half-even to `digits` significant digits when it has more (Python's Decimal
// context of 28 digits, which the original computed costs in); trailing zeros are kept.
std::optional<std::string> round_significant(std::string_view a, int digits);

// -1, 0 or 1 (a < b, a == b, a > b), nullopt when either is invalid. "1.0" == "1".
std::optional<int> compare_decimal(std::string_view a, std::string_view b);

}  // namespace chitragupt::ccloud
