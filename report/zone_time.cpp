#include "report/zone_time.hpp"

#include <date/iso_week.h>
#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>

namespace chitragupt::report {
namespace {

using std::chrono::seconds;
using sys_seconds = date::sys_time<seconds>;

bool digits(const std::string& s, std::size_t from, std::size_t count) {
  if (from + count > s.size()) return false;
  for (std::size_t i = from; i < from + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

int number(const std::string& s, std::size_t from, std::size_t count) {
  int n = 0;
  for (std::size_t i = from; i < from + count; ++i) n = n * 10 + (s[i] - '0');
  return n;
}

std::string stored_text(sys_seconds tp) { return date::format("%Y-%m-%d %H:%M:%S", tp); }

}  // namespace

Zone find_zone(const std::string& name) {
  if (name.empty() || name.size() > 100) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

std::optional<std::int64_t> parse_day(const std::string& text) {
  if (text.size() != 10 || !digits(text, 0, 4) || text[4] != '-' || !digits(text, 5, 2) ||
      text[7] != '-' || !digits(text, 8, 2)) {
    return std::nullopt;
  }
  date::year_month_day ymd{date::year{number(text, 0, 4)},
                           date::month{static_cast<unsigned>(number(text, 5, 2))},
                           date::day{static_cast<unsigned>(number(text, 8, 2))}};
  if (!ymd.ok()) return std::nullopt;
  return date::sys_days{ymd}.time_since_epoch().count();
}

std::string format_day(std::int64_t day) {
  return date::format("%Y-%m-%d", date::sys_days{date::days{day}});
}

std::int64_t today_in(Zone zone) {
  auto now = date::floor<seconds>(std::chrono::system_clock::now());
  auto local = zone->to_local(now);
  return date::floor<date::days>(local).time_since_epoch().count();
}

std::string local_midnight_utc(Zone zone, std::int64_t day) {
  date::local_seconds midnight{date::days{day}};
  return stored_text(zone->to_sys(midnight, date::choose::earliest));
}

std::optional<std::string> local_time_utc(Zone zone, const std::string& text) {
  auto day = parse_day(text.substr(0, 10));
  if (!day) return std::nullopt;
  if (text.size() == 10) return local_midnight_utc(zone, *day);
  std::string rest = text.substr(10);
  bool utc = false;
  if (!rest.empty() && rest.back() == 'Z') {
    utc = true;
    rest.pop_back();
  } else if (rest.size() > 6 && rest.compare(rest.size() - 6, 6, "+00:00") == 0) {
    utc = true;
    rest.resize(rest.size() - 6);
  }
  if ((rest.size() != 6 && rest.size() != 9) || (rest[0] != 'T' && rest[0] != ' ') ||
      !digits(rest, 1, 2) || rest[3] != ':' || !digits(rest, 4, 2)) {
    return std::nullopt;
  }
  int h = number(rest, 1, 2), m = number(rest, 4, 2), s = 0;
  if (rest.size() == 9) {
    if (rest[6] != ':' || !digits(rest, 7, 2)) return std::nullopt;
    s = number(rest, 7, 2);
  }
  if (h > 23 || m > 59 || s > 59) return std::nullopt;
  seconds offset{static_cast<std::int64_t>(h) * 3600 + m * 60 + s};
  if (utc) return stored_text(sys_seconds{date::days{*day}} + offset);
  date::local_seconds local{date::days{*day}};
  return stored_text(zone->to_sys(local + offset, date::choose::earliest));
}

std::optional<std::int64_t> parse_stored(const std::string& t) {
  if (t.size() < 19 || t[10] != ' ' || !digits(t, 11, 2) || t[13] != ':' || !digits(t, 14, 2) ||
      t[16] != ':' || !digits(t, 17, 2)) {
    return std::nullopt;
  }
  auto day = parse_day(t.substr(0, 10));
  if (!day) return std::nullopt;
  return *day * 86400 + number(t, 11, 2) * 3600 + number(t, 14, 2) * 60 + number(t, 17, 2);
}

std::string iso_utc(const std::string& stored) {
  if (stored.size() < 19) return stored;
  std::string out = stored.substr(0, 19);
  out[10] = 'T';
  return out + "Z";
}

std::string bucket_label(Zone zone, std::int64_t utc_seconds, Bucket bucket) {
  sys_seconds tp{seconds{utc_seconds}};
  auto info = zone->get_info(tp);
  date::local_seconds local{tp.time_since_epoch() + info.offset};
  auto day = date::floor<date::days>(local);
  switch (bucket) {
    case Bucket::hour: {
      auto hour = date::floor<std::chrono::hours>(local);
      auto off = info.offset.count();
      char sign = off < 0 ? '-' : '+';
      if (off < 0) off = -off;
      char tail[16];
      std::snprintf(tail, sizeof tail, "%c%02d:%02d", sign, static_cast<int>(off / 3600),
                    static_cast<int>(off % 3600 / 60));
      return date::format("%Y-%m-%dT%H:00:00", hour) + tail;
    }
    case Bucket::day:
      return date::format("%Y-%m-%d", day);
    case Bucket::week: {
      iso_week::year_weeknum_weekday w{date::sys_days{day.time_since_epoch()}};
      char out[16];
      std::snprintf(out, sizeof out, "%04d-W%02u", static_cast<int>(w.year()),
                    static_cast<unsigned>(w.weeknum()));
      return out;
    }
    case Bucket::month:
      return date::format("%Y-%m", day);
  }
  return {};
}

std::string stored_utc(std::int64_t utc_seconds) {
  return stored_text(sys_seconds{seconds{utc_seconds}});
}

std::int64_t next_bucket_start(Zone zone, std::int64_t utc_seconds, Bucket bucket) {
  sys_seconds tp{seconds{utc_seconds}};
  auto info = zone->get_info(tp);
  const std::int64_t transition = info.end.time_since_epoch().count();
  date::local_seconds local{tp.time_since_epoch() + info.offset};
  auto day = date::floor<date::days>(local);
  auto local_start = [&](date::local_days d) {
    return zone->to_sys(date::local_seconds{d}, date::choose::earliest).time_since_epoch().count();
  };
  std::int64_t next = 0;
  switch (bucket) {
    case Bucket::hour: {
      // A local hour ends at the next local :00, or earlier at an offset change (the label
      // carries the offset).
      const std::int64_t into_hour = (local.time_since_epoch().count() % 3600 + 3600) % 3600;
      next = std::min<std::int64_t>(utc_seconds - into_hour + 3600, transition);
      break;
    }
    case Bucket::day:
      next = local_start(day + date::days{1});
      break;
    case Bucket::week: {
      date::weekday wd{date::sys_days{day.time_since_epoch()}};
      const unsigned from_monday = (wd.c_encoding() + 6) % 7;
      next = local_start(day + date::days{7 - from_monday});
      break;
    }
    case Bucket::month: {
      date::year_month_day ymd{date::sys_days{day.time_since_epoch()}};
      auto first_next = date::year_month{ymd.year(), ymd.month()} + date::months{1};
      next = local_start(date::local_days{date::sys_days{first_next / 1}.time_since_epoch()});
      break;
    }
  }
  // Never stall (a zone whose local midnight does not exist maps back onto the transition).
  return next > utc_seconds ? next : utc_seconds + 1;
}

}  // namespace chitragupt::report
