#include "allocation/decimal.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <optional>
#include <ostream>

#include "allocation/decimal_text.hpp"

namespace chitragupt::allocation {

namespace {

__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 i128;

u128 pow10(int n) {  // 0 <= n <= 38
  static const std::array<u128, 39> table = [] {
    std::array<u128, 39> t{};
    t[0] = 1;
    for (std::size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
    return t;
  }();
  return table[static_cast<std::size_t>(n)];
}

const u128 kMagnitudeLimit = pow10(Decimal::kMaxDigits);  // magnitudes stay below 10^38

// Unsigned 256-bit integer, little-endian 64-bit limbs: just enough for exact
// (a x b) / (c x d) with HALF_UP rounding.
struct U256 {
  std::array<std::uint64_t, 4> limb{};

  static U256 from(u128 v) {
    U256 out;
    out.limb[0] = static_cast<std::uint64_t>(v);
    out.limb[1] = static_cast<std::uint64_t>(v >> 64);
    return out;
  }
  bool fits_u128() const { return limb[2] == 0 && limb[3] == 0; }
  u128 low128() const { return (static_cast<u128>(limb[1]) << 64) | limb[0]; }
  bool is_zero() const { return (limb[0] | limb[1] | limb[2] | limb[3]) == 0; }
  int bit_length() const {
    for (int i = 3; i >= 0; --i) {
      if (limb[static_cast<std::size_t>(i)] != 0) {
        return i * 64 + 64 - __builtin_clzll(limb[static_cast<std::size_t>(i)]);
      }
    }
    return 0;
  }
  bool bit(int i) const { return (limb[static_cast<std::size_t>(i / 64)] >> (i % 64)) & 1u; }
  void set_bit(int i) { limb[static_cast<std::size_t>(i / 64)] |= std::uint64_t{1} << (i % 64); }
  void shift_left_one() {
    for (int i = 3; i > 0; --i) {
      limb[static_cast<std::size_t>(i)] =
          (limb[static_cast<std::size_t>(i)] << 1) | (limb[static_cast<std::size_t>(i - 1)] >> 63);
    }
    limb[0] <<= 1;
  }
};

int compare_u256(const U256& a, const U256& b) {
  for (int i = 3; i >= 0; --i) {
    const auto x = a.limb[static_cast<std::size_t>(i)];
    const auto y = b.limb[static_cast<std::size_t>(i)];
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

U256 subtract(const U256& a, const U256& b) {  // requires a >= b
  U256 out;
  std::uint64_t borrow = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const u128 lhs = a.limb[i];
    const u128 rhs = static_cast<u128>(b.limb[i]) + borrow;
    out.limb[i] = static_cast<std::uint64_t>(lhs - rhs);
    borrow = lhs < rhs ? 1 : 0;
  }
  return out;
}

// a x b, nullopt when the product needs more than 256 bits.
std::optional<U256> multiply(const U256& a, const U256& b) {
  std::array<std::uint64_t, 8> wide{};
  for (std::size_t i = 0; i < 4; ++i) {
    std::uint64_t carry = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const u128 cur = static_cast<u128>(a.limb[i]) * b.limb[j] + wide[i + j] + carry;
      wide[i + j] = static_cast<std::uint64_t>(cur);
      carry = static_cast<std::uint64_t>(cur >> 64);
    }
    wide[i + 4] = carry;
  }
  for (std::size_t i = 4; i < 8; ++i) {
    if (wide[i] != 0) return std::nullopt;
  }
  U256 out;
  for (std::size_t i = 0; i < 4; ++i) out.limb[i] = wide[i];
  return out;
}

// round_half_up(numerator / denominator); denominator > 0.
U256 divide_half_up(const U256& numerator, const U256& denominator) {
  if (numerator.fits_u128() && denominator.fits_u128()) {
    const u128 n = numerator.low128();
    const u128 d = denominator.low128();
    const u128 q = n / d;
    const u128 r = n % d;
    return U256::from(r >= d - r ? q + 1 : q);
  }
  U256 quotient;
  U256 remainder;
  for (int i = numerator.bit_length() - 1; i >= 0; --i) {
    remainder.shift_left_one();
    if (numerator.bit(i)) remainder.limb[0] |= 1u;
    if (compare_u256(remainder, denominator) >= 0) {
      remainder = subtract(remainder, denominator);
      quotient.set_bit(i);
    }
  }
  // Round up when remainder >= denominator - remainder (i.e. 2r >= d without overflow).
  if (compare_u256(remainder, subtract(denominator, remainder)) >= 0) {
    // quotient + 1 cannot overflow: the slow path only runs for quotients far below 2^256.
    for (std::size_t i = 0; i < 4; ++i) {
      if (++quotient.limb[i] != 0) break;
    }
  }
  return quotient;
}

std::string u128_to_string(u128 v) {
  if (v == 0) return "0";
  std::string out;
  while (v != 0) {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return out;
}

std::string quoted(std::string_view text) {
  constexpr std::size_t kMax = 40;
  if (text.size() <= kMax) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, kMax)) + "...'";
}

constexpr std::uint64_t kMaxMoneyUnits =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

Result<Money> to_money_units(bool negative, const U256& magnitude) {
  if (!magnitude.fits_u128() || magnitude.low128() > kMaxMoneyUnits) {
    return Status::error("amount out of range for Money");
  }
  const auto units = static_cast<std::int64_t>(magnitude.low128());
  return Money::from_units(negative ? -units : units);
}

}  // namespace

struct DecimalAccess {
  static u128 magnitude(const Decimal& d) { return (static_cast<u128>(d.high_) << 64) | d.low_; }
  static Decimal make(bool negative, u128 magnitude, int scale) {
    Decimal d;
    d.high_ = static_cast<std::uint64_t>(magnitude >> 64);
    d.low_ = static_cast<std::uint64_t>(magnitude);
    d.negative_ = negative && magnitude != 0;
    d.scale_ = scale;
    return d;
  }
};

Result<Decimal> Decimal::parse(std::string_view text) {
  auto scanned = detail::scan_decimal_text(text);
  if (!scanned) return Status::error("not a decimal number: " + quoted(text));
  const std::string& digits = scanned->digits;
  const std::int64_t exponent = scanned->exponent;
  const auto length = static_cast<std::int64_t>(digits.size());

  if (exponent >= 0) {
    if (digits.empty()) return Decimal();
    if (length + exponent > kMaxDigits)
      return Status::error("number out of range: " + quoted(text));
    u128 magnitude = 0;
    for (char c : digits) magnitude = magnitude * 10 + static_cast<unsigned>(c - '0');
    return DecimalAccess::make(scanned->negative, magnitude * pow10(static_cast<int>(exponent)), 0);
  }

  // value = digits x 10^exponent with scale = -exponent; drop trailing digits (HALF_UP) until
  // both the scale and the digit count fit.
  std::int64_t scale = -exponent;
  std::int64_t drop = 0;
  if (scale > kMaxScale) drop = scale - kMaxScale;
  if (length - drop > kMaxDigits) drop = length - kMaxDigits;
  if (drop > scale) return Status::error("number out of range: " + quoted(text));
  scale -= drop;
  u128 magnitude = 0;
  bool round_up = false;
  if (drop <= length) {
    const std::int64_t kept = length - drop;
    for (std::int64_t i = 0; i < kept; ++i) {
      magnitude = magnitude * 10 + static_cast<unsigned>(digits[static_cast<std::size_t>(i)] - '0');
    }
    round_up = drop > 0 && digits[static_cast<std::size_t>(kept)] >= '5';
  }
  if (round_up) {
    ++magnitude;
    if (magnitude == kMagnitudeLimit) {  // 99..9 rounded up to 10^38: one digit less of scale
      magnitude /= 10;
      --scale;
    }
  }
  return DecimalAccess::make(scanned->negative, magnitude, static_cast<int>(scale));
}

Decimal Decimal::from_money(Money m) {
  const bool negative = m.units() < 0;
  const u128 magnitude =
      negative ? static_cast<u128>(-static_cast<i128>(m.units())) : static_cast<u128>(m.units());
  return DecimalAccess::make(negative, magnitude, 4);
}

Decimal Decimal::from_integer(std::int64_t value) {
  const bool negative = value < 0;
  const u128 magnitude =
      negative ? static_cast<u128>(-static_cast<i128>(value)) : static_cast<u128>(value);
  return DecimalAccess::make(negative, magnitude, 0);
}

Result<Decimal> Decimal::from_double_repr(double value) {
  if (value != value || value == std::numeric_limits<double>::infinity() ||
      value == -std::numeric_limits<double>::infinity()) {
    return Status::error("not a finite number");
  }
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc()) return Status::error("cannot format number");
  return parse(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
}

std::string Decimal::to_string() const {
  std::string digits = u128_to_string(DecimalAccess::magnitude(*this));
  if (scale_ > 0) {
    const auto scale = static_cast<std::size_t>(scale_);
    if (digits.size() <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
    digits.insert(digits.size() - scale, ".");
  }
  return (negative_ ? "-" : "") + digits;
}

Result<Money> Decimal::to_money() const { return fraction_of(*this, 1, 1); }

double Decimal::to_double() const {
  const std::string text = to_string();
  double out = 0;
  std::from_chars(text.data(), text.data() + text.size(), out);
  return out;
}

Result<Decimal> Decimal::add(const Decimal& other) const {
  const int scale = scale_ > other.scale_ ? scale_ : other.scale_;
  auto aligned = [scale](const Decimal& d) -> std::optional<u128> {
    u128 out;
    if (__builtin_mul_overflow(DecimalAccess::magnitude(d), pow10(scale - d.scale_), &out)) {
      return std::nullopt;
    }
    return out;
  };
  const auto a = aligned(*this);
  const auto b = aligned(other);
  if (!a || !b) return Status::error("decimal addition out of range");
  bool negative;
  u128 magnitude;
  if (negative_ == other.negative_) {
    negative = negative_;
    magnitude = *a + *b;  // both < 2^127: no wrap-around
  } else if (*a >= *b) {
    negative = negative_;
    magnitude = *a - *b;
  } else {
    negative = other.negative_;
    magnitude = *b - *a;
  }
  if (magnitude >= kMagnitudeLimit) return Status::error("decimal addition out of range");
  return DecimalAccess::make(negative, magnitude, scale);
}

Result<Decimal> Decimal::subtract(const Decimal& other) const { return add(other.negated()); }

Decimal Decimal::negated() const {
  return DecimalAccess::make(!negative_, DecimalAccess::magnitude(*this), scale_);
}

int Decimal::compare(const Decimal& other) const {
  if (negative_ != other.negative_) return negative_ ? -1 : 1;
  const int scale = scale_ > other.scale_ ? scale_ : other.scale_;
  const auto a =
      multiply(U256::from(DecimalAccess::magnitude(*this)), U256::from(pow10(scale - scale_)));
  const auto b = multiply(U256::from(DecimalAccess::magnitude(other)),
                          U256::from(pow10(scale - other.scale_)));
  const int magnitude_order = compare_u256(*a, *b);  // < 2^127 x 2^127: never overflows
  return negative_ ? -magnitude_order : magnitude_order;
}

std::ostream& operator<<(std::ostream& out, const Decimal& d) { return out << d.to_string(); }

Result<Money> multiply_to_money(Money amount, const Decimal& factor) {
  const bool amount_negative = amount.units() < 0;
  const u128 amount_magnitude = amount_negative
                                    ? static_cast<u128>(-static_cast<i128>(amount.units()))
                                    : static_cast<u128>(amount.units());
  const u128 factor_magnitude = DecimalAccess::magnitude(factor);
  const U256 divisor = U256::from(pow10(factor.scale()));
  u128 narrow;
  if (!__builtin_mul_overflow(amount_magnitude, factor_magnitude, &narrow)) {
    // The common case (a ratio of at most 17 digits): 128 bits are enough.
    return to_money_units(amount_negative != factor.is_negative(),
                          divide_half_up(U256::from(narrow), divisor));
  }
  const auto product = multiply(U256::from(amount_magnitude), U256::from(factor_magnitude));
  const U256 units = divide_half_up(*product, divisor);
  return to_money_units(amount_negative != factor.is_negative(), units);
}

Result<Money> fraction_of(const Decimal& amount, std::int64_t numerator, std::int64_t denominator) {
  if (numerator < 0 || denominator <= 0) return Status::error("invalid fraction");
  // units = magnitude x numerator x 10^4 / (10^scale x denominator)
  auto top = multiply(U256::from(DecimalAccess::magnitude(amount)),
                      U256::from(static_cast<u128>(numerator)));
  U256 bottom = U256::from(static_cast<u128>(denominator));
  if (amount.scale() < 4) {
    top = multiply(*top, U256::from(pow10(4 - amount.scale())));
  } else {
    bottom = *multiply(bottom, U256::from(pow10(amount.scale() - 4)));
  }
  if (!top) return Status::error("amount out of range for Money");
  if (numerator == 0) return Money();
  return to_money_units(amount.is_negative(), divide_half_up(*top, bottom));
}

}  // namespace chitragupt::allocation
