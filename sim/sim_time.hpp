// UTC calendar arithmetic for the simulator (no time zones, no locale, no std::tm).
//
// Days are counted from 1970-01-01 ("epoch days"); instants are epoch seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ccloud_sim {

constexpr int64_t kSecondsPerHour = 3600;
constexpr int64_t kSecondsPerDay = 86400;

struct CivilDate {
  int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

int64_t days_from_civil(CivilDate date);
CivilDate civil_from_days(int64_t epoch_day);
unsigned days_in_month(int64_t year, unsigned month);

// "YYYY-MM-DD" of an epoch day.
std::string format_date(int64_t epoch_day);
// "YYYY-MM-DDTHH:MM:SSZ", or with ".mmmZ" when `millis` is given (0..999).
std::string format_timestamp(int64_t epoch_seconds, std::optional<int> millis = std::nullopt);

// Strict "YYYY-MM-DD" → epoch day.
std::optional<int64_t> parse_date(std::string_view text);
// Prometheus-style time: RFC 3339 ("2026-02-01T00:00:00Z", "+00:00", "+05:30", fractions) or
// a decimal Unix timestamp ("1769904000", "1769904000.5") → epoch seconds.
std::optional<double> parse_time(std::string_view text);
// Prometheus-style step/duration: integer or decimal seconds ("3600", "60.5") or a duration
// with units ("1h", "5m", "30s", "1h30m", "1d", "500ms").
std::optional<double> parse_duration(std::string_view text);

// Today's UTC date as an epoch day, from the system clock.
int64_t today_utc();

}  // namespace ccloud_sim
