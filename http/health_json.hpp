#pragma once
// JSON shapes of /health, /ready and /api/v1/tenants (SPEC §7), built from the supervisor's
// replies. Pure functions: no I/O, no actors.

#include <cstdint>

#include <nlohmann/json.hpp>

#include "messages/protocol.hpp"

namespace chitragupt::http {

// {status: ok|degraded, version, uptime_s, config:{path, loaded_at, last_reload}, tenants:[...]}
nlohmann::json health_json(const messages::HealthReport& report, std::int64_t uptime_s);
// Every configured tenant has finished migrating and none is failed or unresponsive.
bool is_ready(const messages::HealthReport& report);
// {tenants:[{tenant_name, tenant_id, ecosystem, state, dates_pending, ...}]}
nlohmann::json tenants_json(const messages::TenantSummaries& tenants);
// {"error":{"code","message"}}
nlohmann::json error_json(const std::string& code, const std::string& message);

}  // namespace chitragupt::http
