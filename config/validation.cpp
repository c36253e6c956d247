#include "config/validation.hpp"

#include "config/focus_config.hpp"
#include "config/plugin_validation.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>

#include "common/database_url.hpp"
#include "common/logging.hpp"
#include "config/tree_reader.hpp"

namespace chitragupt::config {
namespace {

constexpr long long kNoMax = std::numeric_limits<int>::max();

const std::vector<std::string> kLevels = {"CRITICAL", "DEBUG", "ERROR", "INFO", "WARNING"};
const std::vector<std::string> kEcosystems = {"confluent_cloud", "generic_metrics_only",
                                              "self_managed_kafka"};

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// ['A', 'B'], as Python prints a list (the original's messages do).
std::string python_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", '" : "'") + items[i] + "'";
  return out + "]";
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string range_message(long long value, long long min, long long max) {
  std::string got = ", got " + std::to_string(value);
  if (max != kNoMax) {
    return "must be between " + std::to_string(min) + " and " + std::to_string(max) + got;
  }
  if (value > max) return "must be at most " + std::to_string(max) + got;
  return (min == 1 ? std::string("must be > 0") : "must be >= " + std::to_string(min)) + got;
}

// The name appears in URLs, log lines and file names.
bool valid_tenant_name(const std::string& name) {
  auto plain = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (name.empty() || name.size() > 63 || !plain(name[0])) return false;
  return std::all_of(name.begin() + 1, name.end(),
                     [&](char c) { return plain(c) || c == '_' || c == '.' || c == '-'; });
}

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

class ConfigBuilder {
 public:
  explicit ConfigBuilder(TreeReader& reader) : reader_(reader) {}

  Config build(const YAML::Node& root) {
    Config config;
    if (!root.IsDefined() || root.IsNull()) return config;  // an empty file: no tenants
    if (!root.IsMap()) {
      reader_.error(
          "", "the configuration must be a mapping at the top level, got " + describe_kind(root));
      return config;
    }
    // plugins_path is checked on its own (it is no key of ours to suggest), then left out.
    YAML::Node without_plugins_path;
    const bool has_plugins_path = static_cast<bool>(root["plugins_path"]);
    if (has_plugins_path) {
      reject_plugins_path(root["plugins_path"], "plugins_path");
      without_plugins_path = YAML::Clone(root);
      without_plugins_path.remove("plugins_path");
    }
    reader_.fields(
        has_plugins_path ? without_plugins_path : root, "",
        {
            {"logging", [&](auto& n, auto& p) { read_logging(n, p, config.logging); }},
            {"features", [&](auto& n, auto& p) { read_features(n, p, config.features); }},
            {"api", [&](auto& n, auto& p) { read_api(n, p, config.api); }},
            {"tenants", [&](auto& n, auto& p) { read_tenants(n, p, config.tenants); }},
            {"preview", [&](auto& n, auto& p) { read_preview(reader_, n, p, config.preview); }},
        });
    return config;
  }

 private:
  Field integer_field(const std::string& key, int& target, long long min, long long max = kNoMax) {
    return {key, [this, &target, min, max](const YAML::Node& node, const std::string& path) {
              auto value = reader_.integer(node, path);
              if (!value) return;
              if (*value < min || *value > max) {
                reader_.error(path, range_message(*value, min, max));
                return;
              }
              target = static_cast<int>(*value);
            }};
  }

  Field boolean_field(const std::string& key, bool& target) {
    return {key, [this, &target](const YAML::Node& node, const std::string& path) {
              if (auto value = reader_.boolean(node, path)) target = *value;
            }};
  }

  Field string_field(const std::string& key, std::string& target, bool null_is_empty = false) {
    return {key, [this, &target, null_is_empty](const YAML::Node& node, const std::string& path) {
              if (auto value = reader_.string(node, path, null_is_empty)) target = *value;
            }};
  }

  std::optional<std::string> level(const YAML::Node& node, const std::string& path) {
    auto text = reader_.string(node, path);
    if (!text) return std::nullopt;
    std::string name = text->empty() ? "INFO" : upper(*text);
    if (contains(kLevels, name)) return name;
    reader_.error(path, "level must be one of " + python_list(kLevels) + ", got '" + *text + "'");
    return std::nullopt;
  }

  // A per_module_levels key: one of our modules or the original's Python module names.
  bool known_module(const MapEntry& entry) {
    if (logging::module_for_key(entry.key)) return true;
    std::string known;
    for (const auto& m : logging::module_names()) known += (known.empty() ? "" : ", ") + m;
    reader_.error(entry.path, "unknown module '" + entry.key + "' (modules: " + known +
                                  "; the original's Python module names such as "
                                  "core.engine.orchestrator or httpx map to them)");
    return false;
  }

  // The original's plugins_path (Python plugin packages) cannot mean anything here.
  void reject_plugins_path(const YAML::Node& node, const std::string& path) {
    if (!node.IsDefined() || node.IsNull()) return;  // the original's default
    reader_.error(path,
                  "plugins_path names a directory of Python plugin packages in the original; "
                  "chitragupt cannot load Python code and its ecosystems are built in "
                  "(confluent_cloud) -- remove the key");
  }

  void read_logging(const YAML::Node& node, const std::string& path, LoggingConfig& logging) {
    reader_.fields(node, path,
                   {
                       {"level",
                        [&](auto& n, auto& p) {
                          if (auto value = level(n, p)) logging.level = *value;
                        }},
                       {"format",
                        [&](auto& n, auto& p) {
                          auto text = reader_.string(n, p);
                          if (!text) return;
                          // A Python logging format string (the original's) still loads, as text.
                          if (text->find("%(") != std::string::npos) {
                            logging.format = "text";
                            logging.python_format = *text;
                          } else if (lower(*text) == "text" || lower(*text) == "json") {
                            logging.format = lower(*text);
                          } else {
                            reader_.error(
                                p,
                                "format must be 'text' or 'json' (or a Python logging format "
                                "string), got '" +
                                    *text + "'");
                          }
                        }},
                       {"per_module_levels",
                        [&](auto& n, auto& p) {
                          auto entries = reader_.mapping(n, p);
                          if (!entries) return;
                          for (const auto& entry : *entries) {
                            if (!known_module(entry)) continue;
                            if (auto value = level(entry.value, entry.path)) {
                              logging.per_module_levels[entry.key] = *value;
                            }
                          }
                        }},
                   });
  }

  void read_features(const YAML::Node& node, const std::string& path, FeaturesConfig& features) {
    reader_.fields(
        node, path,
        {
            boolean_field("enable_periodic_refresh", features.enable_periodic_refresh),
            integer_field("refresh_interval", features.refresh_interval, 1),
            integer_field("max_parallel_tenants", features.max_parallel_tenants, 1, 64),
            integer_field("database_idle_timeout", features.database_idle_timeout, 1, 86400),
        });
  }

  void read_api(const YAML::Node& node, const std::string& path, ApiConfig& api) {
    reader_.fields(
        node, path,
        {
            string_field("host", api.host),
            integer_field("port", api.port, 1, 65535),
            boolean_field("enable_cors", api.enable_cors),
            {"cors_origins",
             [&](auto& n, auto& p) {
               if (auto origins = reader_.string_list(n, p)) api.cors_origins = *origins;
             }},
            integer_field("request_timeout_seconds", api.request_timeout_seconds, 1, 300),
            string_field("auth_token", api.auth_token, /*null_is_empty=*/true),
        });
  }

  void read_tenants(const YAML::Node& node, const std::string& path,
                    std::vector<TenantConfig>& tenants) {
    auto entries = reader_.mapping(node, path);
    if (!entries) return;
    for (const auto& entry : *entries) {
      TenantConfig tenant;
      tenant.name = entry.key;
      if (!valid_tenant_name(entry.key)) {
        reader_.error(entry.path,
                      "tenant name must match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$ (it is used in "
                      "URLs and file names)");
      }
      read_tenant(entry.value, entry.path, tenant);
      tenants.push_back(std::move(tenant));
    }
  }

  void read_tenant(const YAML::Node& node, const std::string& path, TenantConfig& t) {
    const size_t first_error = reader_.error_count();
    auto present = reader_.fields(
        node, path,
        {
            {"ecosystem",
             [&](auto& n, auto& p) {
               auto text = reader_.string(n, p);
               if (!text) return;
               // The ecosystems the binary registered (ecosystems/registry.cpp); the original's
               // three when none is (the config code on its own, in its tests).
               auto known = registered_ecosystems();
               if (known.empty()) known = kEcosystems;
               if (contains(known, *text)) {
                 t.ecosystem = *text;
               } else {
                 reader_.error(
                     p, "ecosystem must be one of " + python_list(known) + ", got '" + *text + "'");
               }
             }},
            {"tenant_id",
             [&](auto& n, auto& p) {
               auto text = reader_.string(n, p);
               if (!text) return;
               if (blank(*text)) {
                 reader_.error(p, "tenant_id must not be empty");
               } else {
                 t.tenant_id = *text;
               }
             }},
            integer_field("lookback_days", t.lookback_days, 1, 364),
            integer_field("cutoff_days", t.cutoff_days, 1, 30),
            integer_field("retention_days", t.retention_days, 1, 730),
            integer_field("allocation_retry_limit", t.allocation_retry_limit, 1, 10),
            integer_field("topic_attribution_retry_limit", t.topic_attribution_retry_limit, 1, 10),
            integer_field("zero_gather_deletion_threshold", t.zero_gather_deletion_threshold, -1),
            integer_field("gather_failure_threshold", t.gather_failure_threshold, 1),
            integer_field("tenant_execution_timeout_seconds", t.tenant_execution_timeout_seconds,
                          0),
            integer_field("metrics_prefetch_workers", t.metrics_prefetch_workers, 1, 20),
            {"storage", [&](auto& n, auto& p) { read_storage(n, p, t.storage); }},
            {"focus_preview",
             [&](auto& n, auto& p) { read_focus_preview(reader_, n, p, t.focus_preview); }},
            {"plugin_settings",
             [&](auto& n, auto& p) {
               if (n.IsDefined() && !n.IsNull() && !n.IsMap()) {
                 reader_.error(p, "expected a mapping, got " + describe_kind(n));
                 return;
               }
               if (auto settings = reader_.json(n, p)) {
                 t.plugin_settings = settings->is_null() ? nlohmann::json::object() : *settings;
               }
             }},
        });
    if (!present) return;  // not a mapping: already reported
    for (const char* required : {"ecosystem", "tenant_id"}) {
      if (present->count(required) == 0) reader_.error(join_path(path, required), "field required");
    }
    const std::string lookback = join_path(path, "lookback_days");
    if (!reader_.has_error_under(lookback, first_error) &&
        !reader_.has_error_under(join_path(path, "cutoff_days"), first_error) &&
        t.lookback_days <= t.cutoff_days) {
      reader_.error(lookback, "lookback_days must be > cutoff_days (lookback_days " +
                                  std::to_string(t.lookback_days) + ", cutoff_days " +
                                  std::to_string(t.cutoff_days) + ")");
    }
    check_database_not_shared(path, t, first_error);
    check_plugin_settings(path, t, first_error);
  }

  // The ecosystem's own rules for plugin_settings, once the ecosystem itself is valid.
  void check_plugin_settings(const std::string& path, const TenantConfig& t, size_t first_error) {
    const std::string settings_path = join_path(path, "plugin_settings");
    if (reader_.has_error_under(settings_path, first_error) ||
        reader_.has_error_under(join_path(path, "ecosystem"), first_error)) {
      return;
    }
    auto validate = plugin_validator(t.ecosystem);
    if (!validate) return;
    for (const auto& e : validate(t.plugin_settings)) {
      reader_.error(e.path.empty() ? settings_path : join_path(settings_path, e.path), e.message);
    }
  }

  void read_storage(const YAML::Node& node, const std::string& path, StorageConfig& storage) {
    reader_.fields(node, path,
                   {
                       {"backend",
                        [&](auto& n, auto& p) {
                          auto text = reader_.string(n, p);
                          if (!text) return;
                          if (*text == "sqlmodel") {
                            storage.backend = *text;
                          } else {
                            reader_.error(p, "backend must be 'sqlmodel', got '" + *text + "'");
                          }
                        }},
                       {"connection_string",
                        [&](auto& n, auto& p) {
                          auto text = reader_.string(n, p);
                          if (!text) return;
                          // parse_database_url's errors never echo the URL.
                          auto url = parse_database_url(*text);
                          if (url) {
                            storage.connection_string = *text;
                          } else {
                            reader_.error(p, url.error());
                          }
                        }},
                   });
  }

  // Until tenants are isolated inside one database, each needs its own (as in the original).
  void check_database_not_shared(const std::string& path, const TenantConfig& t,
                                 size_t first_error) {
    const std::string storage_path = join_path(path, "storage");
    if (reader_.has_error_under(storage_path, first_error)) return;
    auto url = parse_database_url(t.storage.connection_string);
    if (!url || (url->dialect == Dialect::sqlite && url->path == ":memory:")) return;
    auto [owner, inserted] = database_owners_.emplace(url->identity(), t.name);
    if (inserted) return;
    reader_.error(join_path(storage_path, "connection_string"),
                  "tenants '" + owner->second + "' and '" + t.name +
                      "' share the same storage connection_string — each tenant must use a "
                      "separate database");
  }

  TreeReader& reader_;
  std::map<std::string, std::string> database_owners_;  // DatabaseUrl::identity() -> tenant
};

}  // namespace

Config build_config(const YAML::Node& root, const Environment& env,
                    std::vector<ConfigError>& errors) {
  TreeReader reader(env, errors);
  return ConfigBuilder(reader).build(root);
}

}  // namespace chitragupt::config
