#pragma once
// JSON views of the configuration: the masked one people see (to_masked_json in config.hpp)
// and the plain one the fingerprint digests. Both hold every field, defaults included.

#include <nlohmann/json.hpp>

#include "config/config.hpp"

namespace chitragupt::config {

enum class SecretView { masked, plain };

// Every field of the tenant except its name (the key it is listed under).
nlohmann::json tenant_to_json(const TenantConfig& tenant, SecretView view);

}  // namespace chitragupt::config
