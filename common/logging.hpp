#pragma once
// Process-wide logging through spdlog, to stderr: text lines by default, or JSON lines
// (one object per line: ts, level, msg) with `logging.format: json`, or the original's Python
// logging format string translated field by field (python_pattern()).
// Callers log "event key=value" messages; every line about a tenant carries tenant=NAME.
// Nothing secret is ever passed to the logger (connection strings go through describe()).
//
// logging.per_module_levels: a message belongs to the module its event name does (see
// module_of()); a module's level replaces the global one for its messages, up or down.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chitragupt::logging {

// level: CRITICAL|ERROR|WARNING|INFO|DEBUG; format: text|json. per_module_levels: module (a
// module_names() entry or one of the original's Python module names) -> level.
// python_format: the original's format string, used instead of `format` when not empty.
// Safe to call again (reload).
void setup(const std::string& level, const std::string& format,
           const std::map<std::string, std::string>& per_module_levels = {},
           const std::string& python_format = "");

// Our module names, for per_module_levels.
std::vector<std::string> module_names();
// The module a per_module_levels key means: one of ours, or the original's Python module name
// mapped to ours (core.engine.orchestrator -> pipeline, httpx -> ccloud, ...); nullopt if none.
std::optional<std::string> module_for_key(const std::string& key);
// The module of a log message, from its event name ("event=NAME" or its first word).
std::string module_of(const std::string& message);

// A Python logging format string as an spdlog pattern; `ignored` gets the %(field)s the engine
// cannot fill (they print nothing).
std::string python_pattern(const std::string& python_format, std::vector<std::string>* ignored);

// Text with JSON string escaping applied (for the JSON formatter and for tests).
std::string json_escape(const std::string& text);

}  // namespace chitragupt::logging
