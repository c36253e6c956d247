#include "sim/sim_time.hpp"

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace ccloud_sim {

// Howard Hinnant's civil-date algorithms (public domain), valid for the proleptic Gregorian
// calendar over the whole int64 range we use.
int64_t days_from_civil(CivilDate date) {
  const int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t m = date.month;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{y + (m <= 2 ? 1 : 0), static_cast<unsigned>(m), static_cast<unsigned>(d)};
}

unsigned days_in_month(int64_t year, unsigned month) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[(month - 1) % 12];
}

std::string format_date(int64_t epoch_day) {
  const CivilDate c = civil_from_days(epoch_day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month,
                c.day);
  return buf;
}

std::string format_timestamp(int64_t epoch_seconds, std::optional<int> millis) {
  int64_t day = epoch_seconds / kSecondsPerDay;
  int64_t rem = epoch_seconds % kSecondsPerDay;
  if (rem < 0) {
    rem += kSecondsPerDay;
    --day;
  }
  const CivilDate c = civil_from_days(day);
  char buf[48];
  const auto h = static_cast<int>(rem / 3600);
  const auto m = static_cast<int>(rem / 60 % 60);
  const auto s = static_cast<int>(rem % 60);
  if (millis) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                  static_cast<long long>(c.year), c.month, c.day, h, m, s, *millis % 1000);
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ",
                  static_cast<long long>(c.year), c.month, c.day, h, m, s);
  }
  return buf;
}

namespace {

bool read_digits(std::string_view text, size_t& pos, size_t count, int64_t& out) {
  if (pos + count > text.size()) return false;
  int64_t value = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += count;
  out = value;
  return true;
}

bool expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

std::optional<int64_t> parse_date_prefix(std::string_view text, size_t& pos) {
  int64_t y = 0, m = 0, d = 0;
  if (!read_digits(text, pos, 4, y) || !expect(text, pos, '-') || !read_digits(text, pos, 2, m) ||
      !expect(text, pos, '-') || !read_digits(text, pos, 2, d)) {
    return std::nullopt;
  }
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, static_cast<unsigned>(m))) {
    return std::nullopt;
  }
  return days_from_civil(CivilDate{y, static_cast<unsigned>(m), static_cast<unsigned>(d)});
}

std::optional<double> parse_decimal(std::string_view text) {
  if (text.empty()) return std::nullopt;
  size_t pos = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    ++pos;
  }
  double value = 0;
  bool digits = false;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
    value = value * 10 + (text[pos++] - '0');
    digits = true;
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    double scale = 0.1;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      value += (text[pos++] - '0') * scale;
      scale /= 10;
      digits = true;
    }
  }
  if (!digits || pos != text.size()) return std::nullopt;
  return negative ? -value : value;
}

}  // namespace

std::optional<int64_t> parse_date(std::string_view text) {
  size_t pos = 0;
  auto day = parse_date_prefix(text, pos);
  if (!day || pos != text.size()) return std::nullopt;
  return day;
}

std::optional<double> parse_time(std::string_view text) {
  if (text.find('-', 1) == std::string_view::npos || text.size() < 11) {
    return parse_decimal(text);  // a Unix timestamp
  }
  size_t pos = 0;
  const auto day = parse_date_prefix(text, pos);
  if (!day) return std::nullopt;
  if (pos == text.size()) return static_cast<double>(*day * kSecondsPerDay);
  if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
  ++pos;
  int64_t h = 0, m = 0, s = 0;
  if (!read_digits(text, pos, 2, h) || !expect(text, pos, ':') || !read_digits(text, pos, 2, m) ||
      !expect(text, pos, ':') || !read_digits(text, pos, 2, s) || h > 23 || m > 59 || s > 60) {
    return std::nullopt;
  }
  double fraction = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    double scale = 0.1;
    size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      fraction += (text[pos++] - '0') * scale;
      scale /= 10;
    }
    if (pos == start) return std::nullopt;
  }
  int64_t offset = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int64_t oh = 0, om = 0;
    if (!read_digits(text, pos, 2, oh) || !expect(text, pos, ':') ||
        !read_digits(text, pos, 2, om)) {
      return std::nullopt;
    }
    offset = sign * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  const int64_t seconds = *day * kSecondsPerDay + h * 3600 + m * 60 + s - offset;
  return static_cast<double>(seconds) + fraction;
}

std::optional<double> parse_duration(std::string_view text) {
  if (auto plain = parse_decimal(text)) return plain;
  if (text.empty()) return std::nullopt;
  double total = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == start || pos - start > 12) return std::nullopt;
    const double amount =
        static_cast<double>(std::stoll(std::string(text.substr(start, pos - start))));
    double unit = 0;
    if (text.substr(pos, 2) == "ms") {
      unit = 0.001;
      pos += 2;
    } else if (pos < text.size()) {
      switch (text[pos]) {
        case 's':
          unit = 1;
          break;
        case 'm':
          unit = 60;
          break;
        case 'h':
          unit = 3600;
          break;
        case 'd':
          unit = 86400;
          break;
        case 'w':
          unit = 7 * 86400;
          break;
        case 'y':
          unit = 365 * 86400;
          break;
        default:
          return std::nullopt;
      }
      ++pos;
    } else {
      return std::nullopt;
    }
    total += amount * unit;
  }
  return total;
}

int64_t today_utc() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(now).count();
  return secs / kSecondsPerDay;
}

}  // namespace ccloud_sim
