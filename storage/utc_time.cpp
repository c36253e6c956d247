#include "storage/utc_time.hpp"

namespace chitragupt::storage {
namespace {

std::string format_utc(std::time_t t, const char* format) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

}  // namespace

std::string utc_timestamp(std::time_t t) { return format_utc(t, "%Y-%m-%d %H:%M:%S"); }
std::string utc_now_timestamp() { return utc_timestamp(std::time(nullptr)); }
std::string utc_now_compact() { return format_utc(std::time(nullptr), "%Y%m%dT%H%M%SZ"); }

}  // namespace chitragupt::storage
