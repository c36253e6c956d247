#include "pipeline/plugins.hpp"

#include "ccloud/settings.hpp"
#include "config/plugin_validation.hpp"

namespace chitragupt::pipeline {

void register_plugin_validators() {
  config::register_plugin_validator("confluent_cloud", [](const nlohmann::json& settings) {
    std::vector<config::ConfigError> errors;
    for (const auto& e : ccloud::parse_ccloud_settings(settings).errors) {
      errors.push_back({e.path, e.message});
    }
    return errors;
  });
}

}  // namespace chitragupt::pipeline
