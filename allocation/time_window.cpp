#include "allocation/time_window.hpp"

#include <algorithm>
#include <cctype>

namespace chitragupt::allocation {

namespace {

constexpr EpochSeconds kHour = 3600;
constexpr EpochSeconds kDay = 24 * kHour;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Days of the UTC calendar month containing `t` (H. Hinnant's civil_from_days).
int days_in_month_of(EpochSeconds t) {
  EpochSeconds days = t / kDay;
  if (t % kDay < 0) --days;
  const EpochSeconds z = days + 719468;
  const EpochSeconds era = (z >= 0 ? z : z - 146096) / 146097;
  const EpochSeconds doe = z - era * 146097;
  const EpochSeconds yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const EpochSeconds doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const EpochSeconds mp = (5 * doy + 2) / 153;
  const EpochSeconds month = mp < 10 ? mp + 3 : mp - 9;
  const EpochSeconds year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

}  // namespace

Result<TimeWindow> billing_window(EpochSeconds timestamp, const std::string& granularity,
                                  const GranularityDurations& custom) {
  const std::string name = lower(granularity);
  EpochSeconds length;
  if (name == "hourly") {
    length = kHour;
  } else if (name == "daily") {
    length = kDay;
  } else if (name == "monthly") {
    length = days_in_month_of(timestamp) * kDay;
  } else if (auto it = custom.find(granularity); it != custom.end()) {
    if (it->second <= 0) {
      return Status::error("granularity '" + granularity + "': duration must be positive");
    }
    length = it->second * kHour;
  } else {
    return Status::error("unknown granularity '" + granularity + "'");
  }
  return TimeWindow{timestamp, timestamp + length};
}

bool alive_in_window(const std::optional<EpochSeconds>& created_at,
                     const std::optional<EpochSeconds>& deleted_at, const TimeWindow& window) {
  return (!created_at || *created_at < window.end) && (!deleted_at || *deleted_at >= window.start);
}

ActiveFraction active_fraction(const std::optional<EpochSeconds>& created_at,
                               const std::optional<EpochSeconds>& deleted_at,
                               const TimeWindow& window) {
  const EpochSeconds length = window.seconds();
  if (length <= 0) return ActiveFraction{1, 1};
  const EpochSeconds start = std::max(created_at.value_or(window.start), window.start);
  const EpochSeconds end = std::min(deleted_at.value_or(window.end), window.end);
  if (end <= start) return ActiveFraction{0, length};
  return ActiveFraction{end - start, length};
}

}  // namespace chitragupt::allocation
