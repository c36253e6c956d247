#pragma once
// generic_metrics_only (reference §5): any platform Prometheus measures. The operator lists
// cost types (a fixed count, GiB stored, or GiB moved, each at a rate) and how each is split
// (evenly, or by a usage query); identities are the values of one label.

#include <optional>
#include <string>
#include <vector>

#include "allocation/registry.hpp"
#include "ecosystems/ecosystem.hpp"
#include "ecosystems/self_managed_kafka/settings.hpp"

namespace chitragupt::ecosystems::generic_metrics_only {

enum class QuantityType { fixed, storage_gib, network_gib };
enum class Strategy { even_split, usage_ratio };

struct CostType {
  std::string name;  // the product_type of its lines
  std::string product_category;
  std::string rate;  // decimal text
  QuantityType quantity = QuantityType::fixed;
  int64_t count = 0;  // fixed
  std::string query;  // storage_gib, network_gib
  Strategy strategy = Strategy::even_split;
  std::string allocation_query;  // usage_ratio
  std::string allocation_label;  // usage_ratio
};

struct Settings : CommonSettings {
  std::string cluster_id;
  std::string display_name;  // "" = cluster_id
  ccloud::MetricsSettings metrics;
  self_managed_kafka::IdentitySettings identity;
  std::string identity_label = "principal";
  std::string discovery_query;  // required with a Prometheus identity source
  std::vector<CostType> cost_types;
};

struct ParsedSettings {
  std::optional<Settings> settings;
  std::vector<SettingsProblem> errors;
};
ParsedSettings parse_settings(const nlohmann::json& plugin_settings);

allocation::Registry cost_model(const Settings& settings);

// The lines of one day: every cost type in config order; a metric type's line only when its
// query returned samples for that day (`samples` by cost type name; absent = none).
std::vector<storage::BillingRecord> day_lines(
    const Settings& settings, const ccloud::CivilDate& day, int hours,
    const std::map<std::string, std::vector<double>>& samples);

EcosystemKind ecosystem_kind();

}  // namespace chitragupt::ecosystems::generic_metrics_only
