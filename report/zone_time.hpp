#pragma once
// Calendar arithmetic in IANA time zones (the system's tzdata via howardhinnant/date): the
// report API takes dates in the caller's zone, the database stores UTC text.
//
// Stored timestamps are "YYYY-MM-DD HH:MM:SS" in UTC; these functions convert between them and
// local calendar values. Nonexistent local midnights (a DST jump at 00:00) map to the instant
// of the jump.

#include <cstdint>
#include <optional>
#include <string>

namespace date {
class time_zone;
}

namespace chitragupt::report {

using Zone = const date::time_zone*;

// nullptr for a name the system's tzdata does not know.
Zone find_zone(const std::string& name);

// Days since 1970-01-01 of a strict "YYYY-MM-DD"; nullopt when malformed or not a real date.
std::optional<std::int64_t> parse_day(const std::string& text);
std::string format_day(std::int64_t day);
// Today in `zone`, as days since 1970-01-01.
std::int64_t today_in(Zone zone);

// The UTC instant of local midnight starting `day` in `zone`, as stored text.
std::string local_midnight_utc(Zone zone, std::int64_t day);
// A local "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]" in `zone` → stored UTC text; nullopt when
// malformed. An optional trailing "Z" or "+00:00" means the value is already UTC.
std::optional<std::string> local_time_utc(Zone zone, const std::string& text);

// Stored UTC text → seconds since the epoch; nullopt when malformed.
std::optional<std::int64_t> parse_stored(const std::string& text);
// Stored UTC text → ISO-8601 "YYYY-MM-DDTHH:MM:SSZ" ("" stays "").
std::string iso_utc(const std::string& stored);

enum class Bucket { hour, day, week, month };

// The label of the bucket that the instant `utc_seconds` falls in, in `zone`:
//   hour  "2026-03-08T03:00:00-04:00" (local hour with its UTC offset: unambiguous across DST)
//   day   "2026-03-08"
//   week  "2026-W10" (ISO 8601 week: Monday first; the ISO week-numbering year)
//   month "2026-03"
std::string bucket_label(Zone zone, std::int64_t utc_seconds, Bucket bucket);
// The first instant after `utc_seconds` that lies in another bucket (UTC seconds).
std::int64_t next_bucket_start(Zone zone, std::int64_t utc_seconds, Bucket bucket);
// Seconds since the epoch → stored UTC text.
std::string stored_utc(std::int64_t utc_seconds);

}  // namespace chitragupt::report
