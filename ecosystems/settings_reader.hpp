#pragma once
// Reading a plugin_settings tree (nlohmann::json after ${VAR} substitution) into typed values,
// collecting every problem with its path relative to plugin_settings. Shared by every
// ecosystem's settings parser, with the keys they all take (reference §4.1, "common keys").
// Secret values never appear in a message: no value is quoted except enum choices.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "emitters/emitter_spec.hpp"
#include "sources/metrics_settings.hpp"

namespace chitragupt::ecosystems {

struct SettingsProblem {
  std::string path;  // relative to plugin_settings; "" for plugin_settings itself
  std::string message;
};

std::string join_path(const std::string& path, const std::string& key);
std::string type_name(const nlohmann::json& v);

class SettingsReader {
 public:
  using json = nlohmann::json;
  std::vector<SettingsProblem> errors;

  void error(const std::string& path, const std::string& message) {
    errors.push_back({path, message});
  }

  // A mapping (or null = absent). Unknown keys are reported.
  const json* mapping(const json& parent, const std::string& key, const std::string& path,
                      const std::vector<std::string>& valid_keys, bool required = false);
  void check_keys(const json& object, const std::string& path,
                  const std::vector<std::string>& valid_keys);
  // A string; integers are taken as their digits (YAML `key: 12345`).
  void string(const json& parent, const std::string& key, const std::string& path, std::string& out,
              bool required);

  template <typename Int>
  void integer(const json& parent, const std::string& key, const std::string& path, Int& out,
               int64_t min, std::optional<int64_t> max) {
    const json* v = field(parent, key);
    if (v == nullptr) return;
    auto value = integer_value(*v, path);
    if (!value) return;
    if (*value < min || (max && *value > *max)) {
      std::string range = max ? "between " + std::to_string(min) + " and " + std::to_string(*max)
                              : (min == 1 ? "at least 1" : ">= " + std::to_string(min));
      error(path, "must be " + range + ", got " + std::to_string(*value));
      return;
    }
    out = static_cast<Int>(*value);
  }
  std::optional<int64_t> integer_value(const json& v, const std::string& path);
  // A decimal number (a JSON number or a string such as "0.50"), as canonical decimal text.
  void decimal(const json& parent, const std::string& key, const std::string& path,
               std::string& out, bool required);

  template <typename Enum>
  void choice(const json& parent, const std::string& key, const std::string& path, Enum& out,
              const std::vector<std::pair<std::string, Enum>>& choices) {
    const json* v = field(parent, key);
    if (v == nullptr) return;
    std::string names;
    for (const auto& [name, value] : choices) {
      (void)value;
      names += (names.empty() ? "" : ", ") + name;
    }
    if (!v->is_string()) {
      error(path, "must be one of " + names + ", got " + type_name(*v));
      return;
    }
    for (const auto& [name, value] : choices) {
      if (v->get<std::string>() == name) {
        out = value;
        return;
      }
    }
    error(path, "must be one of " + names + ", got '" + v->get<std::string>() + "'");
  }

  // A non-null member, or nullptr.
  static const json* field(const json& parent, const std::string& key);
};

// plugin_settings itself: null (absent) reads as an empty mapping; anything else that is not a
// mapping is an error (and nullptr). Unknown keys among `valid_keys` are reported.
const nlohmann::json* settings_root(SettingsReader& r, const nlohmann::json& plugin_settings,
                                    const std::vector<std::string>& valid_keys);

// The keys every ecosystem takes beside its own.
struct CommonSettings {
  nlohmann::json allocator_params = nlohmann::json::object();  // {name: number|string|bool}
  std::map<std::string, std::string> allocator_overrides;      // product_type -> allocator
  nlohmann::json identity_resolution_overrides = nlohmann::json::object();
  int64_t min_refresh_gap_seconds = 1800;                // >= 0
  int64_t metrics_step_seconds = 3600;                   // > 0
  std::map<std::string, int64_t> granularity_durations;  // name -> hours (>= 1)
  std::string chargeback_granularity = "daily";          // hourly | daily | monthly
  std::vector<emitters::EmitterSpec> emitters;           // validated, in file order
};

// Their names, for each ecosystem's list of valid top-level keys.
const std::vector<std::string>& common_setting_keys();

// allocator_params, allocator_overrides, identity_resolution_overrides, min_refresh_gap_seconds,
// metrics_step_seconds, granularity_durations, chargeback_granularity, then emitters.
void read_common_settings(SettingsReader& r, const nlohmann::json& root, CommonSettings& out);

// `metrics` (reference §2): type, url, auth_type and its credentials. `required`: absent is an
// error.
void read_metrics_settings(SettingsReader& r, const nlohmann::json& root,
                           std::optional<ccloud::MetricsSettings>& out, bool required);

// A URL problem, if any, at `path`.
void check_url(SettingsReader& r, const std::string& path, const std::string& url);

}  // namespace chitragupt::ecosystems
