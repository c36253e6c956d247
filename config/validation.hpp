#pragma once
// The schema of the configuration file (SPEC §3): which keys exist where, their types, ranges
// and cross-field rules. Reads a parsed YAML document into a Config, reporting every problem.

#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config.hpp"

namespace chitragupt::config {

// The Config is meaningful only when no error was added.
Config build_config(const YAML::Node& root, const Environment& env,
                    std::vector<ConfigError>& errors);

}  // namespace chitragupt::config
