#include "config/plugin_validation.hpp"

#include <map>
#include <mutex>

namespace chitragupt::config {
namespace {

std::mutex& registry_mutex() {
  static std::mutex mu;
  return mu;
}

std::map<std::string, PluginValidator>& registry() {
  static std::map<std::string, PluginValidator> validators;
  return validators;
}

}  // namespace

void register_plugin_validator(const std::string& ecosystem, PluginValidator validator) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  if (validator) {
    registry()[ecosystem] = std::move(validator);
  } else {
    registry().erase(ecosystem);
  }
}

PluginValidator plugin_validator(const std::string& ecosystem) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  auto it = registry().find(ecosystem);
  return it == registry().end() ? PluginValidator{} : it->second;
}

std::vector<std::string> registered_ecosystems() {
  std::lock_guard<std::mutex> lock(registry_mutex());
  std::vector<std::string> names;
  for (const auto& entry : registry()) names.push_back(entry.first);
  return names;
}

}  // namespace chitragupt::config
