#pragma once
// Calendar days in UTC, as the billing API counts them ("YYYY-MM-DD", end dates exclusive).

#include <cstdint>
#include <optional>
#include <string>

namespace chitragupt::ccloud {

struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;

  // Strict "YYYY-MM-DD" (a valid calendar day); nullopt otherwise.
  static std::optional<CivilDate> parse(const std::string& text);
  static CivilDate from_days(int64_t days_since_epoch);
  static CivilDate from_epoch_seconds(int64_t seconds);  // the UTC day containing it

  int64_t days_since_epoch() const;
  int64_t epoch_seconds() const { return days_since_epoch() * 86400; }  // 00:00:00Z
  CivilDate plus_days(int64_t days) const { return from_days(days_since_epoch() + days); }
  std::string to_string() const;  // YYYY-MM-DD

  friend bool operator==(const CivilDate& a, const CivilDate& b) {
    return a.days_since_epoch() == b.days_since_epoch();
  }
  friend bool operator<(const CivilDate& a, const CivilDate& b) {
    return a.days_since_epoch() < b.days_since_epoch();
  }
};

// Epoch seconds as "YYYY-MM-DDTHH:MM:SS+00:00" (the telemetry API's time format).
std::string format_utc_offset(int64_t epoch_seconds);
// Epoch seconds as "YYYY-MM-DDTHH:MM:SSZ".
std::string format_utc_z(int64_t epoch_seconds);

}  // namespace chitragupt::ccloud
