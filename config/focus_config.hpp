#pragma once
// Reading the FOCUS export settings: the tenant's focus_preview and the top-level preview.

#include <optional>
#include <string>

#include <yaml-cpp/yaml.h>

#include "config/config.hpp"
#include "config/tree_reader.hpp"

namespace chitragupt::config {

void read_focus_preview(TreeReader& reader, const YAML::Node& node, const std::string& path,
                        std::optional<FocusPreviewConfig>& out);
void read_preview(TreeReader& reader, const YAML::Node& node, const std::string& path,
                  PreviewConfig& out);

}  // namespace chitragupt::config
