#pragma once
// Money: an exact amount with four decimals (the cost model's CENT = 0.0001), stored as a count
// of 0.0001 units in an int64 (range +-922,337,203,685,477.5807). Once a billed amount has been
// parsed, money never passes through binary floating point.
//
// Rounding is ROUND_HALF_UP as in Python's Decimal: ties go away from zero
// ("0.00005" -> 0.0001, "-0.00005" -> -0.0001).

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace chitragupt::allocation {

class Money {
 public:
  static constexpr std::int64_t kUnitsPerWhole = 10'000;  // 1.0000 == 10'000 units

  constexpr Money() = default;  // 0.0000
  static constexpr Money from_units(std::int64_t units) { return Money(units); }

  // Exact decimal text -> Money, quantized HALF_UP to 0.0001. Accepts "12.34", "-5", "+0.5",
  // ".5", "1e-5", "1.23E+3" and any number of decimals (the first dropped digit decides the
  // rounding, so "0.00004999999999999999999" is 0.0000 and "0.00005" is 0.0001). Errors: not a
  // number (whitespace, "NaN", "", "1,5", ...) or out of range.
  static Result<Money> parse(std::string_view text);

  constexpr std::int64_t units() const { return units_; }
  // Always four decimals: "12.3400", "-0.5000", "0.0000".
  std::string to_string() const;

  constexpr bool is_zero() const { return units_ == 0; }
  constexpr bool is_negative() const { return units_ < 0; }

  // Overflow-checked arithmetic: nullopt when the result leaves the int64 range.
  std::optional<Money> checked_add(Money other) const;
  std::optional<Money> checked_sub(Money other) const;
  std::optional<Money> checked_mul(std::int64_t factor) const;

  // Plain operators for values known to be in range (parts of one billed amount, test
  // arithmetic). They throw std::overflow_error instead of wrapping around; library code
  // that adds untrusted amounts uses the checked_* forms and returns a Status.
  Money operator+(Money other) const;
  Money operator-(Money other) const;
  Money operator-() const;
  Money& operator+=(Money other) { return *this = *this + other; }
  Money& operator-=(Money other) { return *this = *this - other; }

  friend constexpr bool operator==(Money a, Money b) { return a.units_ == b.units_; }
  friend constexpr bool operator!=(Money a, Money b) { return a.units_ != b.units_; }
  friend constexpr bool operator<(Money a, Money b) { return a.units_ < b.units_; }
  friend constexpr bool operator<=(Money a, Money b) { return a.units_ <= b.units_; }
  friend constexpr bool operator>(Money a, Money b) { return a.units_ > b.units_; }
  friend constexpr bool operator>=(Money a, Money b) { return a.units_ >= b.units_; }

 private:
  constexpr explicit Money(std::int64_t units) : units_(units) {}
  std::int64_t units_ = 0;
};

std::ostream& operator<<(std::ostream& out, Money m);  // to_string(); also used by gtest

}  // namespace chitragupt::allocation
