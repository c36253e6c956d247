#pragma once
// The engine's configuration: the YAML tree of SPEC §3, parsed and validated as a whole.
//
// Promise: load_config() either returns a Config in which every value is valid, or the full
// list of errors (each naming its dotted path), never a half-valid Config. Error texts and
// to_masked_json() never contain secret values (connection strings, API secrets, passwords,
// tokens). Nothing here knows of actors, HTTP or databases.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"

namespace chitragupt::config {

struct LoggingConfig {
  std::string level = "INFO";   // CRITICAL|ERROR|WARNING|INFO|DEBUG (case-insensitive in YAML)
  std::string format = "text";  // text|json
  // The original's Python format string, translated by logging::python_pattern (format is
  // then "text"); "" when format was given as text or json.
  std::string python_format;
  // module (logging::module_names(), or the original's Python module name) -> level
  std::map<std::string, std::string> per_module_levels;
};

struct FeaturesConfig {
  bool enable_periodic_refresh = true;
  int refresh_interval = 1800;   // seconds, > 0
  int max_parallel_tenants = 4;  // 1..64
  // Seconds a tenant keeps its database connections open after its last use (1..86400).
  int database_idle_timeout = 60;
};

struct ApiConfig {
  std::string host = "0.0.0.0";
  int port = 8080;  // 1..65535
  bool enable_cors = false;
  std::vector<std::string> cors_origins;
  int request_timeout_seconds = 30;  // 1..300
  std::string auth_token;            // secret; empty = no auth
};

struct StorageConfig {
  std::string backend = "sqlmodel";  // the only backend name the original knew; kept for drop-in
  std::string connection_string = "sqlite:///data/chargeback.db";  // secret
};

// focus_preview (per tenant, as in the original): what FOCUS exports of the tenant say and
// cover. Without it a tenant still exports, in USD, every day of the requested month.
struct FocusPreviewConfig {
  std::string commercial_profile = "direct_payg";  // the only one: pay as you go, list = contracted
  std::string billing_currency = "USD";            // ^[A-Z]{3}$; lines in another currency fail
  std::string effective_start_date;                // YYYY-MM-DD, inclusive (required)
  std::string effective_end_date;                  // YYYY-MM-DD, exclusive; "" = open
};

// preview (top level): where FOCUS export files live and for how long.
struct PreviewConfig {
  std::string artifact_root = "data/focus-preview";  // relative to the working directory
  int retention_days = 7;                            // 1..365: finished exports are deleted after
};

struct TenantConfig {
  std::string name;       // the YAML key: label in logs, URLs, pipeline_runs.tenant_name
  std::string ecosystem;  // confluent_cloud|self_managed_kafka|generic_metrics_only
  std::string tenant_id;
  int lookback_days = 200;                      // 1..364, > cutoff_days
  int cutoff_days = 5;                          // 1..30
  int retention_days = 250;                     // 1..730
  int allocation_retry_limit = 3;               // 1..10
  int topic_attribution_retry_limit = 3;        // 1..10
  int zero_gather_deletion_threshold = -1;      // >= -1
  int gather_failure_threshold = 5;             // > 0
  int tenant_execution_timeout_seconds = 3600;  // >= 0, 0 = none
  int metrics_prefetch_workers = 4;             // 1..20
  StorageConfig storage;
  std::optional<FocusPreviewConfig> focus_preview;
  // Kept as a subtree (after ${VAR} substitution); later components validate their parts.
  nlohmann::json plugin_settings = nlohmann::json::object();

  // Stable digest of everything above (secrets included, never shown): a tenant whose
  // fingerprint is unchanged across a reload is left untouched.
  std::string fingerprint() const;
};

struct Config {
  LoggingConfig logging;
  FeaturesConfig features;
  ApiConfig api;
  PreviewConfig preview;
  std::vector<TenantConfig> tenants;  // in file order
  std::string source_path;            // the file it was loaded from ("" for text)

  const TenantConfig* find_tenant(const std::string& name) const;
};

struct ConfigError {
  std::string path;     // dotted path, e.g. "tenants.prod.storage.connection_string"; "" = file
  std::string message;  // never contains a secret value
  std::string to_string() const { return path.empty() ? message : path + ": " + message; }
};

struct LoadResult {
  std::optional<Config> config;     // set only when errors is empty
  std::vector<ConfigError> errors;  // every error found, in document order
  bool ok() const { return config.has_value(); }
  // All errors, one per line.
  std::string error_text() const;
};

// Looks up variables for ${VAR} substitution: the process environment first, then the
// .env file (the real environment wins).
class Environment {
 public:
  // Reads the process environment plus the given dotenv entries.
  static Environment from_process(std::map<std::string, std::string> dotenv = {});
  // For tests: exactly these variables.
  static Environment from_map(std::map<std::string, std::string> vars);
  std::optional<std::string> get(const std::string& name) const;

 private:
  bool use_process_ = false;
  std::map<std::string, std::string> vars_;
};

// Parses a dotenv file (KEY=VALUE lines, '#' comments, optional "export ", single or double
// quotes). A missing file is an error; a malformed line is an error naming its line number.
Result<std::map<std::string, std::string>> read_dotenv(const std::string& path);
// The same for text already in memory; `source` names it in errors as the path does.
Result<std::map<std::string, std::string>> parse_dotenv(const std::string& text,
                                                        const std::string& source);

// Loads `path`: the dotenv file (`env_file`, else `<config dir>/.env` if present), then YAML,
// then ${VAR} / ${VAR:-default} substitution in string values, then validation.
LoadResult load_config(const std::string& path, const std::optional<std::string>& env_file = {});

// The same from text already in memory (source_name is used in messages).
LoadResult parse_config(const std::string& yaml_text, const Environment& env,
                        const std::string& source_name = "<config>");

// The effective configuration as JSON with every secret replaced by "**********".
nlohmann::json to_masked_json(const Config& config);

inline constexpr const char* kMask = "**********";

}  // namespace chitragupt::config
