#include "pipeline/plugins.hpp"

#include "allocation/allocators.hpp"
#include "config/plugin_validation.hpp"
#include "ecosystems/confluent_cloud/settings.hpp"

namespace chitragupt::pipeline {

void register_plugin_validators() {
  config::register_plugin_validator("confluent_cloud", [](const nlohmann::json& settings) {
    std::vector<config::ConfigError> errors;
    auto parsed = ccloud::parse_ccloud_settings(settings);
    for (const auto& e : parsed.errors) errors.push_back({e.path, e.message});
    if (!parsed.settings) return errors;
    // An allocator name the engine does not know would only fail at the first run: say so now.
    for (const auto& [product_type, name] : parsed.settings->allocator_overrides) {
      if (allocation::builtin_allocators().count(name) != 0) continue;
      std::string known;
      for (const auto& entry : allocation::builtin_allocators()) {
        known += (known.empty() ? "" : ", ") + entry.first;
      }
      errors.push_back({"allocator_overrides." + product_type,
                        "unknown allocator '" + name + "' (known: " + known + ")"});
    }
    return errors;
  });
  // The other ecosystems of the original have no gather stage here yet (issue 21): a tenant of
  // theirs would load, run and record nothing. Until they land they fail validation.
  for (const char* ecosystem : {"self_managed_kafka", "generic_metrics_only"}) {
    config::register_plugin_validator(ecosystem, [ecosystem](const nlohmann::json&) {
      return std::vector<config::ConfigError>{
          {"", std::string("ecosystem '") + ecosystem +
                   "' is not supported yet: only confluent_cloud tenants gather and allocate "
                   "(docs/differences.md, Configuration)"}};
    });
  }
}

}  // namespace chitragupt::pipeline
