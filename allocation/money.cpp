#include "allocation/money.hpp"

#include <limits>
#include <ostream>
#include <stdexcept>

#include "allocation/decimal_text.hpp"

namespace chitragupt::allocation {

namespace {

constexpr std::uint64_t kMaxMagnitude =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

// Bad input is echoed for the operator, shortened so a garbage payload cannot flood a log.
std::string quoted(std::string_view text) {
  constexpr std::size_t kMax = 40;
  if (text.size() <= kMax) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, kMax)) + "...'";
}

// digits * 10^shift as an unsigned magnitude; nullopt beyond kMaxMagnitude.
std::optional<std::uint64_t> magnitude(std::string_view digits, std::int64_t shift) {
  std::uint64_t value = 0;
  for (char c : digits) {
    if (__builtin_mul_overflow(value, 10u, &value) ||
        __builtin_add_overflow(value, static_cast<std::uint64_t>(c - '0'), &value)) {
      return std::nullopt;
    }
  }
  for (std::int64_t i = 0; i < shift && value != 0; ++i) {
    if (__builtin_mul_overflow(value, 10u, &value)) return std::nullopt;
  }
  if (value > kMaxMagnitude) return std::nullopt;
  return value;
}

}  // namespace

Result<Money> Money::parse(std::string_view text) {
  auto scanned = detail::scan_decimal_text(text);
  if (!scanned) return Status::error("not a decimal number: " + quoted(text));
  const std::string& digits = scanned->digits;
  if (digits.empty()) return Money();

  // units = digits * 10^(exponent + 4)
  const std::int64_t shift = scanned->exponent + 4;
  std::optional<std::uint64_t> units;
  if (shift >= 0) {
    if (shift > 19) return Status::error("amount out of range: " + quoted(text));
    units = magnitude(digits, shift);
  } else {
    // Drop the last -shift digits; ROUND_HALF_UP only needs the first dropped digit.
    const auto dropped = static_cast<std::uint64_t>(-shift);
    if (dropped > digits.size()) return Money();  // first dropped digit is a leading zero
    const std::size_t kept = digits.size() - dropped;
    units = magnitude(std::string_view(digits).substr(0, kept), 0);
    if (units && digits[kept] >= '5') {
      if (*units == kMaxMagnitude) {
        units.reset();
      } else {
        ++*units;
      }
    }
  }
  if (!units) return Status::error("amount out of range: " + quoted(text));
  const auto value = static_cast<std::int64_t>(*units);
  return Money(scanned->negative ? -value : value);
}

std::string Money::to_string() const {
  // Work on the unsigned magnitude so INT64_MIN prints correctly too.
  const bool negative = units_ < 0;
  const std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(0) - static_cast<std::uint64_t>(units_)
               : static_cast<std::uint64_t>(units_);
  std::string fraction = std::to_string(magnitude % kUnitsPerWhole);
  fraction.insert(0, 4 - fraction.size(), '0');
  return (negative ? "-" : "") + std::to_string(magnitude / kUnitsPerWhole) + "." + fraction;
}

std::optional<Money> Money::checked_add(Money other) const {
  std::int64_t out;
  if (__builtin_add_overflow(units_, other.units_, &out)) return std::nullopt;
  return Money(out);
}

std::optional<Money> Money::checked_sub(Money other) const {
  std::int64_t out;
  if (__builtin_sub_overflow(units_, other.units_, &out)) return std::nullopt;
  return Money(out);
}

std::optional<Money> Money::checked_mul(std::int64_t factor) const {
  std::int64_t out;
  if (__builtin_mul_overflow(units_, factor, &out)) return std::nullopt;
  return Money(out);
}

Money Money::operator+(Money other) const {
  auto sum = checked_add(other);
  if (!sum)
    throw std::overflow_error("Money overflow in " + to_string() + " + " + other.to_string());
  return *sum;
}

Money Money::operator-(Money other) const {
  auto diff = checked_sub(other);
  if (!diff)
    throw std::overflow_error("Money overflow in " + to_string() + " - " + other.to_string());
  return *diff;
}

Money Money::operator-() const { return Money() - *this; }

std::ostream& operator<<(std::ostream& out, Money m) { return out << m.to_string(); }

}  // namespace chitragupt::allocation
