#pragma once
// One entry of plugin_settings.emitters, validated (ccloud/settings.cpp parses it). A plain
// value with no dependencies, so the settings parser can fill it without linking emitters/.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace chitragupt::emitters {

enum class EmitterType { csv, prometheus };
enum class Aggregation { hourly, daily, monthly };

inline const char* to_string(EmitterType t) { return t == EmitterType::csv ? "csv" : "prometheus"; }
inline const char* to_string(Aggregation a) {
  return a == Aggregation::hourly ? "hourly" : a == Aggregation::daily ? "daily" : "monthly";
}

inline constexpr const char* kDefaultFilenameTemplate = "{tenant_id}_{date}.csv";

struct EmitterSpec {
  EmitterType type = EmitterType::csv;
  std::string name;  // emission_records.emitter_name; defaults to the type
  Aggregation aggregation = Aggregation::daily;
  std::optional<int> lookback_days;  // only dates >= today - N are emitted
  // csv
  std::string output_dir;
  std::string filename_template = kDefaultFilenameTemplate;
  // prometheus: a second listener only when port is set (else the engine's own /metrics).
  std::optional<int> port;
  std::string host = "0.0.0.0";
};

// Expands {tenant_id}, {tenant_name} and {date} in `tmpl`. Returns nullopt and sets `error`
// for an unknown or unterminated placeholder.
inline std::optional<std::string> expand_filename_template(
    const std::string& tmpl, const std::map<std::string, std::string>& values,
    std::string* error) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '{') {
      out += tmpl[i];
      continue;
    }
    auto close = tmpl.find('}', i);
    if (close == std::string::npos) {
      if (error) *error = "unterminated placeholder at position " + std::to_string(i);
      return std::nullopt;
    }
    std::string key = tmpl.substr(i + 1, close - i - 1);
    auto it = values.find(key);
    if (it == values.end()) {
      if (error) {
        *error = "unknown placeholder {" + key + "}; valid: {tenant_id}, {tenant_name}, {date}";
      }
      return std::nullopt;
    }
    out += it->second;
    i = close;
  }
  return out;
}

}  // namespace chitragupt::emitters
