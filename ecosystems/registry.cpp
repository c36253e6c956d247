#include "config/plugin_validation.hpp"
#include "ecosystems/confluent_cloud/ecosystem.hpp"
#include "ecosystems/ecosystem.hpp"
#include "ecosystems/generic_metrics_only/ecosystem.hpp"
#include "ecosystems/self_managed_kafka/ecosystem.hpp"

namespace chitragupt::ecosystems {

const std::map<std::string, EcosystemKind>& registry() {
  static const std::map<std::string, EcosystemKind> kinds = [] {
    std::map<std::string, EcosystemKind> out;
    // One line per ecosystem.
    for (EcosystemKind kind : {ccloud::ecosystem_kind(), self_managed_kafka::ecosystem_kind(),
                               generic_metrics_only::ecosystem_kind()}) {
      std::string name = kind.name;
      out.emplace(std::move(name), std::move(kind));
    }
    return out;
  }();
  return kinds;
}

const EcosystemKind* find(const std::string& name) {
  auto it = registry().find(name);
  return it == registry().end() ? nullptr : &it->second;
}

void register_validators() {
  for (const auto& [name, kind] : registry()) {
    auto validate = kind.validate;
    config::register_plugin_validator(name, [validate](const nlohmann::json& settings) {
      std::vector<config::ConfigError> errors;
      for (const auto& e : validate(settings)) errors.push_back({e.path, e.message});
      return errors;
    });
  }
}

Result<std::unique_ptr<Ecosystem>> create(const config::TenantConfig& tenant) {
  const EcosystemKind* kind = find(tenant.ecosystem);
  if (kind == nullptr) return Status::error("unknown ecosystem '" + tenant.ecosystem + "'");
  return kind->create(tenant);
}

}  // namespace chitragupt::ecosystems
