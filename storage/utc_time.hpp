#pragma once
// Timestamps as the schema stores them: UTC text, second precision.

#include <ctime>
#include <string>

namespace chitragupt::storage {

// "YYYY-MM-DD HH:MM:SS" in UTC.
std::string utc_timestamp(std::time_t t);
std::string utc_now_timestamp();
// "YYYYMMDDTHHMMSSZ": for file names (backups).
std::string utc_now_compact();

}  // namespace chitragupt::storage
