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

#include "ecosystems/settings_reader.hpp"
#include "sources/metrics_settings.hpp"

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

// The keys every ecosystem shares (allocator_params ... emitters) come from CommonSettings.
struct CcloudSettings : ecosystems::CommonSettings {
  CcloudApiSettings ccloud_api;
  BillingApiSettings billing_api;
  std::optional<MetricsSettings> metrics;      // null = no metrics source
  std::vector<FlinkRegionSettings> flink;      // empty = null (no Flink statements)
  nlohmann::json topic_attribution = nullptr;  // null or the mapping, as given
};

using SettingsError = ecosystems::SettingsProblem;

struct ParsedSettings {
  std::optional<CcloudSettings> settings;  // set only when errors is empty
  std::vector<SettingsError> errors;
  bool ok() const { return errors.empty(); }
};

ParsedSettings parse_ccloud_settings(const nlohmann::json& plugin_settings);

}  // namespace chitragupt::ccloud
