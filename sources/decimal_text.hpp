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

// -1, 0 or 1 (a < b, a == b, a > b), nullopt when either is invalid. "1.0" == "1".
std::optional<int> compare_decimal(std::string_view a, std::string_view b);

}  // namespace chitragupt::ccloud
