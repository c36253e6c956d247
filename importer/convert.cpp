#include "importer/convert.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <numeric>

#include "allocation/decimal_text.hpp"
#include "allocation/money.hpp"

namespace chitragupt::importer {
namespace {

using allocation::Decimal;
using allocation::Money;

std::string quoted(std::string_view text) {
  std::string out(text.substr(0, 60));
  return "'" + out + (text.size() > 60 ? "...'" : "'");
}

bool digits_at(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

std::string format_utc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return std::string(buf, n);
}

}  // namespace

Result<std::string> canonical_timestamp(std::string_view text) {
  auto bad = [&] { return Status::error("not a timestamp: " + quoted(text)); };
  int y, mo, d, h = 0, mi = 0, s = 0;
  if (!digits_at(text, 0, 4, y) || text.size() < 10 || text[4] != '-' ||
      !digits_at(text, 5, 2, mo) || text[7] != '-' || !digits_at(text, 8, 2, d)) {
    return bad();
  }
  std::size_t pos = 10;
  if (pos < text.size()) {
    if (text[pos] != ' ' && text[pos] != 'T') return bad();
    if (!digits_at(text, pos + 1, 2, h) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !digits_at(text, pos + 4, 2, mi)) {
      return bad();
    }
    pos += 6;
    if (pos < text.size() && text[pos] == ':') {
      if (!digits_at(text, pos + 1, 2, s)) return bad();
      pos += 3;
    }
    if (pos < text.size() && text[pos] == '.') {  // a fraction: dropped (we keep seconds)
      ++pos;
      std::size_t start = pos;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
      if (pos == start) return bad();
    }
  }
  long offset = 0;
  if (pos < text.size()) {
    std::string_view zone = text.substr(pos);
    if (zone == "Z" || zone == "z") {
      pos = text.size();
    } else if (zone[0] == '+' || zone[0] == '-') {
      int oh = 0, om = 0;
      if (!digits_at(zone, 1, 2, oh)) return bad();
      std::size_t rest = 3;
      if (rest < zone.size()) {
        if (zone[rest] == ':') ++rest;
        if (!digits_at(zone, rest, 2, om) || rest + 2 != zone.size()) return bad();
      }
      offset = (oh * 3600L + om * 60L) * (zone[0] == '+' ? 1 : -1);
    } else {
      return bad();
    }
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return bad();
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  std::time_t t = timegm(&tm);
  std::tm check{};
  gmtime_r(&t, &check);
  if (check.tm_mday != d && s != 60) return bad();  // 2026-02-30 and the like
  return format_utc(t - offset);
}

Result<std::string> canonical_date(std::string_view text) {
  if (text.size() == 10) {
    auto ts = canonical_timestamp(text);
    if (!ts) return Status::error("not a date: " + quoted(text));
    return ts->substr(0, 10);
  }
  auto ts = canonical_timestamp(text);
  if (!ts) return Status::error("not a date: " + quoted(text));
  return ts->substr(0, 10);
}

Result<Decimal> parse_amount(std::string_view text) {
  auto scanned = allocation::detail::scan_decimal_text(text);
  if (!scanned) return Status::error("not a decimal amount: " + quoted(text));
  std::string digits = scanned->digits;
  std::int64_t exponent = scanned->exponent;
  while (!digits.empty() && digits.back() == '0') {
    digits.pop_back();
    ++exponent;
  }
  if (digits.empty()) return Decimal();
  const auto length = static_cast<std::int64_t>(digits.size());
  const std::int64_t scale = exponent < 0 ? -exponent : 0;
  const std::int64_t whole_digits = length + exponent;  // digits before the point
  if (scale > Decimal::kMaxScale || length > Decimal::kMaxDigits ||
      std::max<std::int64_t>(whole_digits, 0) + scale > Decimal::kMaxDigits) {
    return Status::error(
        "amount " + quoted(text) +
        " has more than 38 significant digits or decimals (cannot be kept exactly)");
  }
  std::string normal = (scanned->negative ? "-" : "") + digits + "E" + std::to_string(exponent);
  auto d = Decimal::parse(normal);
  if (!d) return Status::error("amount " + quoted(text) + ": " + d.error());
  return d;
}

bool fits_units(const Decimal& d) {
  auto m = d.to_money();
  return m && Decimal::from_money(*m) == d;
}

Result<RoundedGroup> round_keeping_total(const std::vector<Decimal>& amounts) {
  RoundedGroup out;
  out.units.reserve(amounts.size());
  // Rounding error of each amount in units x 10^-4 ... kept as Decimal (exact).
  std::vector<Decimal> error;
  error.reserve(amounts.size());
  std::int64_t rounded_sum = 0;
  for (const Decimal& a : amounts) {
    auto total = out.exact_total.add(a);
    if (!total) return Status::error("sum of amounts out of range: " + total.error());
    out.exact_total = *total;
    auto m = a.to_money();
    if (!m) return Status::error("amount " + a.to_string() + " does not fit 0.0001 units");
    auto e = a.subtract(Decimal::from_money(*m));
    if (!e) return e.status();
    if (!e->is_zero()) ++out.inexact;
    error.push_back(*e);
    out.units.push_back(m->units());
    if (__builtin_add_overflow(rounded_sum, m->units(), &rounded_sum)) {
      return Status::error("sum of amounts out of range");
    }
  }
  auto target = out.exact_total.to_money();
  if (!target) return Status::error("total " + out.exact_total.to_string() + " out of range");
  out.total_units = target->units();
  std::int64_t diff = out.total_units - rounded_sum;
  if (diff != 0) {
    // Candidates: amounts rounded away from their exact value in the direction to correct.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < amounts.size(); ++i) {
      if (diff > 0 ? error[i] > Decimal() : error[i] < Decimal()) order.push_back(i);
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      int c = error[a].compare(error[b]);
      if (c != 0) return diff > 0 ? c > 0 : c < 0;
      return a < b;
    });
    const std::int64_t step = diff > 0 ? 1 : -1;
    for (std::size_t k = 0; k < order.size() && diff != 0; ++k) {
      out.units[order[k]] += step;
      diff -= step;
    }
    if (diff != 0) return Status::error("cannot distribute the rounding of a group");
  }
  return out;
}

std::optional<bool> parse_flag(std::string_view text) {
  std::string t(text);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t == "1" || t == "true" || t == "t") return true;
  if (t == "0" || t == "false" || t == "f") return false;
  return std::nullopt;
}

std::string units_text(std::int64_t units) { return Money::from_units(units).to_string(); }

}  // namespace chitragupt::importer
