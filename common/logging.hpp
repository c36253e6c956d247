#pragma once
// Process-wide logging through spdlog, to stderr: text lines by default, or JSON lines
// (one object per line: ts, level, msg) with `logging.format: json`.
// Callers log "event key=value" messages; every line about a tenant carries tenant=NAME.
// Nothing secret is ever passed to the logger (connection strings go through describe()).

#include <string>

namespace chitragupt::logging {

// level: CRITICAL|ERROR|WARNING|INFO|DEBUG; format: text|json. Safe to call again (reload).
void setup(const std::string& level, const std::string& format);

// Text with JSON string escaping applied (for the JSON formatter and for tests).
std::string json_escape(const std::string& text);

}  // namespace chitragupt::logging
