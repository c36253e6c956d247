#include "allocation/decimal_text.hpp"

namespace chitragupt::allocation::detail {

namespace {
constexpr std::int64_t kExponentClamp = 1'000'000'000'000;
bool is_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

std::optional<DecimalText> scan_decimal_text(std::string_view text) {
  DecimalText out;
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    out.negative = text[i] == '-';
    ++i;
  }
  std::string digits;
  std::size_t mantissa_digits = 0;
  std::int64_t fraction_length = 0;
  while (i < text.size() && is_digit(text[i])) {
    digits.push_back(text[i++]);
    ++mantissa_digits;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) {
      digits.push_back(text[i++]);
      ++mantissa_digits;
      ++fraction_length;
    }
  }
  if (mantissa_digits == 0) return std::nullopt;
  std::int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      exponent_negative = text[i] == '-';
      ++i;
    }
    if (i >= text.size() || !is_digit(text[i])) return std::nullopt;
    while (i < text.size() && is_digit(text[i])) {
      if (exponent < kExponentClamp) exponent = exponent * 10 + (text[i] - '0');
      ++i;
    }
    if (exponent > kExponentClamp) exponent = kExponentClamp;
    if (exponent_negative) exponent = -exponent;
  }
  if (i != text.size()) return std::nullopt;

  std::size_t first_nonzero = digits.find_first_not_of('0');
  out.digits = first_nonzero == std::string::npos ? std::string() : digits.substr(first_nonzero);
  out.exponent = exponent - fraction_length;
  return out;
}

}  // namespace chitragupt::allocation::detail
