#pragma once
// Billing windows and the active fraction of a resource inside one.
// Times are UTC seconds since the Unix epoch; a window is half-open [start, end).

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/status.hpp"

namespace chitragupt::allocation {

using EpochSeconds = std::int64_t;

struct TimeWindow {
  EpochSeconds start = 0;
  EpochSeconds end = 0;
  EpochSeconds seconds() const { return end - start; }
};

// Custom granularity name -> window length in hours (`granularity_durations` in the config).
using GranularityDurations = std::map<std::string, std::int64_t>;

// [timestamp, timestamp + d): "hourly" 1 h, "daily" 24 h, "monthly" the number of days of the
// timestamp's calendar month (UTC), else `custom[granularity]` hours. The built-in names match
// case-insensitively ("DAILY" as the billing API writes it). Unknown names are an error.
Result<TimeWindow> billing_window(EpochSeconds timestamp, const std::string& granularity,
                                  const GranularityDurations& custom = {});

// Whether something living [created_at, deleted_at) counts as alive in the window, the
// original's period filter: (created_at null or < end) and (deleted_at null or >= start).
bool alive_in_window(const std::optional<EpochSeconds>& created_at,
                     const std::optional<EpochSeconds>& deleted_at, const TimeWindow& window);

// The part of the window a resource was active, as an exact fraction active/window of seconds.
struct ActiveFraction {
  std::int64_t active_seconds = 1;
  std::int64_t window_seconds = 1;
  bool is_whole() const { return active_seconds == window_seconds; }
};

// The lifetime clamped to the window: created_at/deleted_at missing mean "before"/"after" the
// window; a lifetime entirely outside gives 0; a zero-length window gives 1 (as the original).
ActiveFraction active_fraction(const std::optional<EpochSeconds>& created_at,
                               const std::optional<EpochSeconds>& deleted_at,
                               const TimeWindow& window);

}  // namespace chitragupt::allocation
