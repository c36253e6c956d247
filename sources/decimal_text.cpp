#include "sources/decimal_text.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace chitragupt::ccloud {
namespace {

// sign * digits * 10^-scale; digits has no leading zeros ("0" for zero).
struct Decimal {
  bool negative = false;
  std::string digits = "0";
  int scale = 0;
};

// Exponents beyond this are not amounts; refusing them keeps the expansion small.
constexpr int kMaxExponent = 400;

std::string strip_leading_zeros(std::string digits) {
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return "0";
  return digits.substr(first);
}

std::optional<Decimal> parse(std::string_view text) {
  size_t i = 0;
  Decimal d;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    d.negative = text[i] == '-';
    ++i;
  }
  std::string digits;
  int fraction_digits = 0;
  bool any_digit = false;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    digits += text[i++];
    any_digit = true;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      digits += text[i++];
      ++fraction_digits;
      any_digit = true;
    }
  }
  if (!any_digit) return std::nullopt;
  long exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    bool exp_digit = false;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      exponent = exponent * 10 + (text[i++] - '0');
      exp_digit = true;
      if (exponent > kMaxExponent) return std::nullopt;
    }
    if (!exp_digit) return std::nullopt;
    if (exp_negative) exponent = -exponent;
  }
  if (i != text.size()) return std::nullopt;
  long scale = fraction_digits - exponent;
  if (scale < 0) {
    digits.append(static_cast<size_t>(-scale), '0');
    scale = 0;
  }
  d.digits = strip_leading_zeros(digits);
  d.scale = static_cast<int>(scale);
  if (d.digits == "0") d.negative = false;
  return d;
}

std::string format(const Decimal& d) {
  std::string digits = d.digits;
  if (d.scale > 0) {
    if (digits.size() <= static_cast<size_t>(d.scale)) {
      digits.insert(0, static_cast<size_t>(d.scale) - digits.size() + 1, '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(d.scale), ".");
  }
  bool zero = d.digits == "0";
  return (d.negative && !zero ? "-" : "") + digits;
}

// Digits of `d` rescaled to `scale` (>= d.scale).
std::string rescaled(const Decimal& d, int scale) {
  std::string digits = d.digits;
  digits.append(static_cast<size_t>(scale - d.scale), '0');
  return strip_leading_zeros(digits);  // zero stays "0", so magnitudes compare by length
}

int compare_magnitude(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

std::string add_magnitude(const std::string& a, const std::string& b) {
  std::string out;
  int carry = 0;
  for (size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int sum = carry;
    if (i < a.size()) sum += a[a.size() - 1 - i] - '0';
    if (i < b.size()) sum += b[b.size() - 1 - i] - '0';
    out += static_cast<char>('0' + sum % 10);
    carry = sum / 10;
  }
  std::reverse(out.begin(), out.end());
  return strip_leading_zeros(out);
}

// a - b with |a| >= |b|.
std::string subtract_magnitude(const std::string& a, const std::string& b) {
  std::string out;
  int borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int diff = (a[a.size() - 1 - i] - '0') - borrow;
    if (i < b.size()) diff -= b[b.size() - 1 - i] - '0';
    borrow = diff < 0 ? 1 : 0;
    if (diff < 0) diff += 10;
    out += static_cast<char>('0' + diff);
  }
  std::reverse(out.begin(), out.end());
  return strip_leading_zeros(out);
}

Decimal add(const Decimal& a, const Decimal& b) {
  int scale = std::max(a.scale, b.scale);
  std::string x = rescaled(a, scale);
  std::string y = rescaled(b, scale);
  Decimal out;
  out.scale = scale;
  if (a.negative == b.negative) {
    out.digits = add_magnitude(x, y);
    out.negative = a.negative;
  } else if (compare_magnitude(x, y) >= 0) {
    out.digits = subtract_magnitude(x, y);
    out.negative = a.negative;
  } else {
    out.digits = subtract_magnitude(y, x);
    out.negative = b.negative;
  }
  if (out.digits == "0") out.negative = false;
  return out;
}

std::string multiply_magnitude(const std::string& a, const std::string& b) {
  std::vector<int> acc(a.size() + b.size(), 0);
  for (size_t i = 0; i < a.size(); ++i) {
    for (size_t j = 0; j < b.size(); ++j) {
      acc[i + j + 1] += (a[i] - '0') * (b[j] - '0');
    }
  }
  for (size_t k = acc.size() - 1; k > 0; --k) {
    acc[k - 1] += acc[k] / 10;
    acc[k] %= 10;
  }
  std::string out;
  for (int d : acc) out += static_cast<char>('0' + d);
  return strip_leading_zeros(out);
}

}  // namespace

std::optional<std::string> multiply_decimal(std::string_view a, std::string_view b) {
  auto x = parse(a);
  auto y = parse(b);
  if (!x || !y) return std::nullopt;
  Decimal out;
  out.digits = multiply_magnitude(x->digits, y->digits);
  out.scale = x->scale + y->scale;
  out.negative = (x->negative != y->negative) && out.digits != "0";
  return format(out);
}

std::optional<std::string> divide_by_power_of_two(std::string_view a, int k) {
  auto x = parse(a);
  if (!x || k < 0) return std::nullopt;
  std::string five = "1";
  for (int i = 0; i < k; ++i) five = multiply_magnitude(five, "5");
  Decimal out;
  out.digits = multiply_magnitude(x->digits, five);
  out.scale = x->scale + k;
  // The shortest exact text: the trailing zeros the 10^-k scale brings are dropped.
  while (out.scale > 0 && out.digits.size() > 1 && out.digits.back() == '0') {
    out.digits.pop_back();
    --out.scale;
  }
  out.negative = x->negative && out.digits != "0";
  return format(out);
}

std::optional<std::string> round_significant(std::string_view a, int digits) {
  auto x = parse(a);
  if (!x || digits < 1) return std::nullopt;
  const int excess = static_cast<int>(x->digits.size()) - digits;
  if (excess <= 0 || x->scale <= 0) return format(*x);
  const int drop = std::min(excess, x->scale);  // only fraction digits are dropped
  std::string kept = x->digits.substr(0, x->digits.size() - static_cast<size_t>(drop));
  const std::string gone = x->digits.substr(kept.size());
  const char first = gone[0];
  const bool rest_zero = gone.find_first_not_of('0', 1) == std::string::npos;
  const bool odd = !kept.empty() && ((kept.back() - '0') % 2 == 1);
  if (first > '5' || (first == '5' && (!rest_zero || odd))) kept = add_magnitude(kept, "1");
  Decimal out;
  out.digits = kept.empty() ? "0" : strip_leading_zeros(kept);
  out.scale = x->scale - drop;
  out.negative = x->negative && out.digits != "0";
  return format(out);
}

std::optional<std::string> canonical_decimal(std::string_view text) {
  auto d = parse(text);
  if (!d) return std::nullopt;
  return format(*d);
}

std::optional<std::string> add_decimal(std::string_view a, std::string_view b) {
  auto x = parse(a);
  auto y = parse(b);
  if (!x || !y) return std::nullopt;
  return format(add(*x, *y));
}

std::optional<std::string> subtract_decimal(std::string_view a, std::string_view b) {
  auto x = parse(a);
  auto y = parse(b);
  if (!x || !y) return std::nullopt;
  y->negative = !y->negative && y->digits != "0";
  return format(add(*x, *y));
}

std::optional<int> compare_decimal(std::string_view a, std::string_view b) {
  auto diff = subtract_decimal(a, b);
  if (!diff) return std::nullopt;
  if ((*diff)[0] == '-') return -1;
  return diff->find_first_not_of("0.") == std::string::npos ? 0 : 1;
}

}  // namespace chitragupt::ccloud
