#pragma once
// UTC timestamps as the engine shows them: ISO-8601 with a Z ("2026-11-25T17:22:49Z").

#include <chrono>
#include <string>

namespace chitragupt::actors {

std::string utc_iso(std::chrono::system_clock::time_point t);
inline std::string utc_now_iso() { return utc_iso(std::chrono::system_clock::now()); }

}  // namespace chitragupt::actors
