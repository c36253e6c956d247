#pragma once
// Ecosystem plugins validate their own `plugin_settings` subtree. The config code knows none of
// them: each registers a validator at start-up (see main.cpp), and validation calls the one
// registered for a tenant's ecosystem. Without one, plugin_settings only has to be a mapping.

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"

namespace chitragupt::config {

// Returns the problems of `plugin_settings`; each path is relative to plugin_settings
// ("ccloud_api.secret"), messages never contain secret values.
using PluginValidator = std::function<std::vector<ConfigError>(const nlohmann::json&)>;

// An empty `validator` takes `ecosystem`'s registration back.
void register_plugin_validator(const std::string& ecosystem, PluginValidator validator);
// The validator for `ecosystem`, or an empty function.
PluginValidator plugin_validator(const std::string& ecosystem);
// The ecosystems with a validator, ascending: once any is registered, these are the only
// `ecosystem` values a tenant may name.
std::vector<std::string> registered_ecosystems();

}  // namespace chitragupt::config
