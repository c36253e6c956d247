#pragma once
// The `plugin_settings` subtree of a confluent_cloud tenant, parsed and validated.
//
// Input is the subtree as nlohmann::json after ${VAR} substitution (integers may arrive as
// JSON integers or, from substitution, as digit strings; both are accepted). Every problem is
// reported at once, each with a dotted path relative to plugin_settings ("ccloud_api.secret",
// "flink[1].region"); the caller prefixes "tenants.<name>.plugin_settings.". Unknown keys are
// errors naming the closest valid key. Secret values (ccloud_api.secret, flink[].secret,
// metrics.password, metrics.bearer_token) never appear in any message.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emitters/emitter_spec.hpp"

namespace chitragupt::ccloud {

inline constexpr const char* kDefaultCcloudBaseUrl = "https://api.confluent.cloud";

struct CcloudApiSettings {
  std::string key;
  std::string secret;  // secret
  std::string base_url = kDefaultCcloudBaseUrl;
  int request_timeout_seconds = 30;  // connect + read, per request (1..300)
  int max_retries = 5;               // retries after the first attempt (0..10)
};

struct BillingApiSettings {
  int days_per_query = 15;  // 1..30
};

enum class MetricsAuthType { none, basic, bearer };
std::string to_string(MetricsAuthType type);

struct MetricsSettings {
  std::string type = "prometheus";
  std::string url;
  MetricsAuthType auth_type = MetricsAuthType::none;
  std::string username;
  std::string password;      // secret
  std::string bearer_token;  // secret
};

// Credentials of the Flink SQL gateway of one cloud region.
struct FlinkRegionSettings {
  std::string region;
  std::string cloud;
  std::string key;
  std::string secret;    // secret
  std::string base_url;  // "" = https://flink.<region>.<cloud>.confluent.cloud

  std::string effective_base_url() const;
  // Case-insensitive match against a compute pool's spec.cloud / spec.region.
  bool serves(const std::string& pool_cloud, const std::string& pool_region) const;
};

struct CcloudSettings {
  CcloudApiSettings ccloud_api;
  BillingApiSettings billing_api;
  std::optional<MetricsSettings> metrics;  // null = no metrics source
  std::vector<FlinkRegionSettings> flink;  // empty = null (no Flink statements)

  // Core keys that sit in plugin_settings, for the allocation engine and the collector.
  nlohmann::json allocator_params = nlohmann::json::object();  // {name: number|string|bool}
  std::map<std::string, std::string> allocator_overrides;      // product_type -> allocator
  nlohmann::json identity_resolution_overrides = nlohmann::json::object();
  int64_t min_refresh_gap_seconds = 1800;                // >= 0
  int64_t metrics_step_seconds = 3600;                   // > 0
  std::map<std::string, int64_t> granularity_durations;  // name -> hours (>= 1)
  std::string chargeback_granularity = "daily";          // hourly | daily | monthly
  std::vector<emitters::EmitterSpec> emitters;           // validated, in file order
  nlohmann::json topic_attribution = nullptr;            // null or the mapping, as given
};

struct SettingsError {
  std::string path;  // relative to plugin_settings; "" for plugin_settings itself
  std::string message;
};

struct ParsedSettings {
  std::optional<CcloudSettings> settings;  // set only when errors is empty
  std::vector<SettingsError> errors;
  bool ok() const { return errors.empty(); }
};

ParsedSettings parse_ccloud_settings(const nlohmann::json& plugin_settings);

}  // namespace chitragupt::ccloud
