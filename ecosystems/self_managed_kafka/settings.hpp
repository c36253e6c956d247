#pragma once
// The plugin_settings of a self_managed_kafka tenant (reference §4.1), parsed and validated:
// every problem at once, each with its path relative to plugin_settings. Unknown keys are
// errors naming the closest valid key -- among them `identity_source.discovery_window_hours`,
// where the original's docs put a key its code reads only at the top level.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ecosystems/settings_reader.hpp"
#include "sources/metrics_settings.hpp"

namespace chitragupt::ecosystems::self_managed_kafka {

// Prices, exact decimal text.
struct Rates {
  std::string compute_hourly_rate;     // per broker-hour
  std::string storage_per_gib_hourly;  // per GiB-hour
  std::string network_ingress_per_gib;
  std::string network_egress_per_gib;
};
// A region's overrides: each set field replaces the base rate.
struct RateOverrides {
  std::optional<std::string> compute_hourly_rate;
  std::optional<std::string> storage_per_gib_hourly;
  std::optional<std::string> network_ingress_per_gib;
  std::optional<std::string> network_egress_per_gib;
};

enum class IdentitySource { prometheus, static_list, both };
enum class ResourceSource { prometheus, admin_api };

struct StaticIdentity {
  std::string identity_id;
  std::string identity_type;
  std::string display_name;  // "" = the id
  std::string team;          // "" = none
};

// Who the principals are: shared with generic_metrics_only (§5.1).
struct IdentitySettings {
  IdentitySource source = IdentitySource::prometheus;
  std::map<std::string, std::string> principal_to_team;
  std::string default_team = "UNASSIGNED";
  std::vector<StaticIdentity> static_identities;

  bool uses_prometheus() const { return source != IdentitySource::static_list; }
  bool uses_static() const { return source != IdentitySource::prometheus; }
  std::string team_of(const std::string& principal) const;
};

struct AdminApiSettings {
  std::string bootstrap_servers;
  std::string security_protocol = "PLAINTEXT";  // PLAINTEXT | SSL | SASL_PLAINTEXT | SASL_SSL
  std::string sasl_mechanism;                   // "" | PLAIN | SCRAM-SHA-256 | SCRAM-SHA-512
  std::string sasl_username;
  std::string sasl_password;  // secret
};

struct Settings : CommonSettings {
  std::string cluster_id;
  int64_t broker_count = 0;
  std::string region;  // "" = none
  Rates base_rates;
  std::map<std::string, RateOverrides> region_overrides;
  IdentitySettings identity;
  ResourceSource resource_source = ResourceSource::prometheus;
  AdminApiSettings admin_api;
  ccloud::MetricsSettings metrics;
  int64_t discovery_window_hours = 1;

  // base_rates with the region's overrides applied (when `region` names an entry).
  Rates effective_rates() const;
};

struct ParsedSettings {
  std::optional<Settings> settings;  // set only when errors is empty
  std::vector<SettingsProblem> errors;
};

ParsedSettings parse_settings(const nlohmann::json& plugin_settings);

// identity_source of either ecosystem; `extra_keys` are the generic ecosystem's own
// (label, discovery_query). Reads source, principal_to_team, default_team, static_identities.
void read_identity_source(SettingsReader& r, const nlohmann::json& node, const std::string& path,
                          IdentitySettings& out, const std::vector<std::string>& extra_keys);

}  // namespace chitragupt::ecosystems::self_managed_kafka
