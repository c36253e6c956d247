#pragma once
// One entry of plugin_settings.emitters, validated (ccloud/settings.cpp parses it). A plain
// value with no dependencies, so the settings parser can fill it without linking emitters/.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace chitragupt::emitters {

enum class EmitterType { csv, prometheus };
// none: the rows as stored, one per chargeback row (the original's default, `aggregation: null`).
enum class Aggregation { none, hourly, daily, monthly };

inline const char* to_string(EmitterType t) { return t == EmitterType::csv ? "csv" : "prometheus"; }
inline const char* to_string(Aggregation a) {
  return a == Aggregation::none     ? "none"
         : a == Aggregation::hourly ? "hourly"
         : a == Aggregation::daily  ? "daily"
                                    : "monthly";
}

// The original's prometheus emitter port (start_http_server's default).
inline constexpr int kDefaultPrometheusPort = 8000;

inline constexpr const char* kDefaultFilenameTemplate = "{tenant_id}_{date}.csv";

struct EmitterSpec {
  EmitterType type = EmitterType::csv;
  std::string name;  // emission_records.emitter_name; defaults to the type
  Aggregation aggregation = Aggregation::none;
  std::optional<int> lookback_days;  // only dates >= today - N are emitted
  // csv
  std::string output_dir;
  std::string filename_template = kDefaultFilenameTemplate;
  // prometheus: the gauges are on the engine's own /metrics, and on a listener of their own at
  // `port` (the original's 8000 when not given; unset only when built by hand, as in tests).
  std::optional<int> port;
  std::string host = "0.0.0.0";
};

// Expands {tenant_id}, {tenant_name} and {date} in `tmpl`. Returns nullopt and sets `error`
// for an unknown or unterminated placeholder.
inline std::optional<std::string> expand_filename_template(
    const std::string& tmpl, const std::map<std::string, std::string>& values, std::string* error) {
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
