#pragma once
// Exact decimal arithmetic for the FOCUS export and its checker: m * 10^-scale with a 128-bit
// mantissa (38 digits), enough for money, unit prices and quantities. No floating point.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

namespace chitragupt::focus {

bool is_numeric_format(std::string_view text);  // checker.cpp

namespace exact {

__extension__ typedef __int128 int128;  // GCC/Clang; -Wpedantic accepts it this way
// m * 10^-scale with a 128-bit mantissa: enough for money, prices and quantities (38 digits).
struct Dec {
  int128 m = 0;
  int scale = 0;
};

constexpr int kMaxScale = 30;

inline int128 pow10(int n) {
  int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

inline std::optional<Dec> parse_dec(std::string_view t) {
  if (!is_numeric_format(t)) return std::nullopt;
  Dec d;
  bool neg = false;
  std::size_t i = 0;
  if (t[i] == '-') {
    neg = true;
    ++i;
  }
  int digits = 0;
  bool point = false;
  for (; i < t.size() && t[i] != 'E'; ++i) {
    if (t[i] == '.') {
      point = true;
      continue;
    }
    if (digits >= 36) return std::nullopt;
    d.m = d.m * 10 + (t[i] - '0');
    if (d.m != 0) ++digits;
    if (point) ++d.scale;
  }
  if (i < t.size()) {  // exponent
    int e = std::stoi(std::string(t.substr(i + 1)));
    d.scale -= e;
  }
  if (d.scale < 0) {
    if (digits - d.scale > 36) return std::nullopt;
    d.m *= pow10(-d.scale);
    d.scale = 0;
  }
  if (d.scale > kMaxScale) return std::nullopt;
  if (neg) d.m = -d.m;
  return d;
}

inline std::optional<Dec> align(Dec d, int scale) {
  if (scale > kMaxScale || scale < d.scale) return std::nullopt;
  d.m *= pow10(scale - d.scale);
  d.scale = scale;
  return d;
}

inline std::optional<Dec> add(Dec a, Dec b) {
  int s = std::max(a.scale, b.scale);
  auto x = align(a, s), y = align(b, s);
  if (!x || !y) return std::nullopt;
  return Dec{x->m + y->m, s};
}

inline std::optional<Dec> mul(Dec a, Dec b) {
  if (a.scale + b.scale > kMaxScale) return std::nullopt;
  return Dec{a.m * b.m, a.scale + b.scale};
}

inline int compare(Dec a, Dec b) {
  int s = std::max(a.scale, b.scale);
  auto x = align(a, s), y = align(b, s);
  if (!x || !y) return a.m < b.m ? -1 : (a.m > b.m ? 1 : 0);  // not reached for our scales
  return x->m < y->m ? -1 : (x->m > y->m ? 1 : 0);
}

inline Dec abs(Dec d) { return Dec{d.m < 0 ? -d.m : d.m, d.scale}; }

inline std::string to_text(Dec d) {
  bool neg = d.m < 0;
  int128 m = neg ? -d.m : d.m;
  std::string digits;
  do {
    digits += static_cast<char>('0' + static_cast<int>(m % 10));
    m /= 10;
  } while (m != 0);
  while (static_cast<int>(digits.size()) <= d.scale) digits += '0';
  std::reverse(digits.begin(), digits.end());
  if (d.scale > 0) digits.insert(digits.size() - d.scale, ".");
  return (neg ? "-" : "") + digits;
}

// a / b rounded half away from zero (b != 0).
inline int128 div_round(int128 a, int128 b) {
  bool neg = (a < 0) != (b < 0);
  int128 x = a < 0 ? -a : a, y = b < 0 ? -b : b;
  int128 q = x / y, r = x % y;
  if (r * 2 >= y) ++q;
  return neg ? -q : q;
}

// Plain text without trailing zeros after the point ("5.2500" -> "5.25", "3.000" -> "3").
inline std::string trimmed(Dec d) {
  std::string t = to_text(d);
  if (t.find('.') == std::string::npos) return t;
  while (t.back() == '0') t.pop_back();
  if (t.back() == '.') t.pop_back();
  if (t == "-0") t = "0";
  return t;
}

}  // namespace exact
}  // namespace chitragupt::focus
