#pragma once
// JSON shapes of /health, /ready and /api/v1/tenants (SPEC §7), built from the supervisor's
// replies. Pure functions: no I/O, no actors.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "messages/protocol.hpp"

namespace chitragupt::http {

// {status: ok|degraded, version, uptime_s, config:{path, loaded_at, last_reload}, tenants:[...]}
nlohmann::json health_json(const messages::HealthReport& report, std::int64_t uptime_s);
// health_json(report, uptime).dump(), serialised once and reused: `before_uptime` + the uptime +
// `after_uptime` is that text byte for byte, for any uptime.
struct HealthBody {
  std::string before_uptime;
  std::string after_uptime;
  bool ready = false;  // is_ready(report): /ready's status
  std::string text(std::int64_t uptime_s) const;
};
HealthBody health_body(const messages::HealthReport& report);

// Every configured tenant has finished migrating and none is failed or unresponsive.
bool is_ready(const messages::HealthReport& report);
// {tenants:[{tenant_name, tenant_id, ecosystem, state, dates_pending, ...}]}
nlohmann::json tenants_json(const messages::TenantSummaries& tenants);
// {"error":{"code","message"}}
nlohmann::json error_json(const std::string& code, const std::string& message);

}  // namespace chitragupt::http
