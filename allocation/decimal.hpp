#pragma once
// Decimal: an exact decimal number for amounts that are not yet quantized to 0.0001 (a billed
// total such as "0.2440000000000000074505805969", a ratio such as "0.70") and the exact
// products the cost model rounds once: q(amount x ratio), q(total x active_fraction).
//
// A value is sign x magnitude x 10^-scale with a magnitude of at most 38 digits and a scale of
// 0..38. Text within those limits is represented exactly; text with more significant digits (or
// more than 38 decimals) is rounded HALF_UP at the 38th digit -- ten digits more than the
// 28-significant-digit Python Decimal context the original computed in. Intermediate products
// use 256-bit integers, so multiply_to_money and fraction_of round exactly once.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "allocation/money.hpp"
#include "common/status.hpp"

namespace chitragupt::allocation {

class Decimal {
 public:
  static constexpr int kMaxDigits = 38;
  static constexpr int kMaxScale = 38;

  Decimal() = default;  // 0
  // Same grammar as Money::parse; keeps the written scale ("1.50" has scale 2).
  static Result<Decimal> parse(std::string_view text);
  static Decimal from_money(Money m);
  static Decimal from_integer(std::int64_t value);
  // Python's Decimal(repr(value)): the shortest decimal text that reads back as `value`
  // (1.0/3 -> 0.3333333333333333). Errors for NaN and infinities.
  static Result<Decimal> from_double_repr(double value);

  bool is_zero() const { return high_ == 0 && low_ == 0; }
  bool is_negative() const { return negative_; }
  int scale() const { return scale_; }

  // Plain notation with the kept scale: "8.004", "-0.50", "100", "0.00001" (never "1E-5").
  std::string to_string() const;
  // Quantize HALF_UP to 0.0001; error when the result does not fit Money.
  Result<Money> to_money() const;
  // Nearest double; only for float-typed metadata (composition_ratio), never for money.
  double to_double() const;

  Result<Decimal> add(const Decimal& other) const;
  Result<Decimal> subtract(const Decimal& other) const;
  Decimal negated() const;

  // Numeric order: 1.50 == 1.5.
  int compare(const Decimal& other) const;
  friend bool operator==(const Decimal& a, const Decimal& b) { return a.compare(b) == 0; }
  friend bool operator!=(const Decimal& a, const Decimal& b) { return a.compare(b) != 0; }
  friend bool operator<(const Decimal& a, const Decimal& b) { return a.compare(b) < 0; }
  friend bool operator<=(const Decimal& a, const Decimal& b) { return a.compare(b) <= 0; }
  friend bool operator>(const Decimal& a, const Decimal& b) { return a.compare(b) > 0; }
  friend bool operator>=(const Decimal& a, const Decimal& b) { return a.compare(b) >= 0; }

 private:
  friend struct DecimalAccess;  // decimal.cpp: 128-bit view of the magnitude
  bool negative_ = false;       // never set for zero
  std::uint64_t high_ = 0;      // magnitude, high and low 64 bits
  std::uint64_t low_ = 0;
  int scale_ = 0;
};

std::ostream& operator<<(std::ostream& out, const Decimal& d);

// q(amount x factor), HALF_UP to 0.0001, computed exactly (one rounding).
Result<Money> multiply_to_money(Money amount, const Decimal& factor);
// q(amount x numerator / denominator), HALF_UP to 0.0001, exactly; numerator >= 0,
// denominator > 0. Used for total_cost x active_seconds / window_seconds.
Result<Money> fraction_of(const Decimal& amount, std::int64_t numerator, std::int64_t denominator);

}  // namespace chitragupt::allocation
