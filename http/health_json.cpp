#include "http/health_json.hpp"

#include "common/version.hpp"

namespace chitragupt::http {

using messages::TenantState;

namespace {

std::string shown_state(const messages::TenantHealth& t) {
  return t.unresponsive ? "unresponsive" : messages::to_string(t.state);
}

nlohmann::json tenant_json(const messages::TenantHealth& t) {
  nlohmann::json j = {
      {"name", t.name},
      {"state", shown_state(t)},
      {"schema_version", t.schema_version},
      {"last_run", nullptr},
      {"error", t.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.error)},
      {"restarts", t.restarts}};
  if (t.last_run) {
    j["last_run"] = {{"status", t.last_run->status}, {"at", t.last_run->at}};
  }
  if (t.next_restart_in_s) j["next_restart_in_s"] = *t.next_restart_in_s;
  if (!t.lease.empty()) j["lease"] = t.lease;
  return j;
}

struct HealthParts {
  nlohmann::json status, config, tenants;
};

HealthParts health_parts(const messages::HealthReport& report) {
  bool degraded = false;
  nlohmann::json tenants = nlohmann::json::array();
  for (const auto& t : report.tenants) {
    degraded = degraded || t.unresponsive || t.state == TenantState::failed ||
               t.state == TenantState::degraded;
    tenants.push_back(tenant_json(t));
  }
  nlohmann::json last_reload = nullptr;
  if (report.last_reload) {
    last_reload = {
        {"at", report.last_reload->at},
        {"ok", report.last_reload->ok},
        {"error", report.last_reload->error.empty() ? nlohmann::json(nullptr)
                                                    : nlohmann::json(report.last_reload->error)}};
  }
  HealthParts parts;
  parts.status = degraded ? "degraded" : "ok";
  parts.config = {{"path", report.config_path},
                  {"loaded_at", report.loaded_at},
                  {"last_reload", last_reload}};
  parts.tenants = std::move(tenants);
  return parts;
}

}  // namespace

nlohmann::json health_json(const messages::HealthReport& report, std::int64_t uptime_s) {
  HealthParts parts = health_parts(report);
  return {{"status", std::move(parts.status)},
          {"version", kVersion},
          {"uptime_s", uptime_s},
          {"config", std::move(parts.config)},
          {"tenants", std::move(parts.tenants)}};
}

HealthBody health_body(const messages::HealthReport& report) {
  // nlohmann::json writes an object's keys in sorted order: config, status, tenants, uptime_s,
  // version (health_json_test compares the two).
  HealthParts parts = health_parts(report);
  HealthBody body;
  body.before_uptime = "{\"config\":" + parts.config.dump() + ",\"status\":" + parts.status.dump() +
                       ",\"tenants\":" + parts.tenants.dump() + ",\"uptime_s\":";
  body.after_uptime = ",\"version\":" + nlohmann::json(kVersion).dump() + "}";
  body.ready = is_ready(report);
  return body;
}

std::string HealthBody::text(std::int64_t uptime_s) const {
  std::string out;
  const std::string uptime = std::to_string(uptime_s);
  out.reserve(before_uptime.size() + uptime.size() + after_uptime.size());
  out += before_uptime;
  out += uptime;
  out += after_uptime;
  return out;
}

bool is_ready(const messages::HealthReport& report) {
  for (const auto& t : report.tenants) {
    if (!t.migrated || t.unresponsive || t.state == TenantState::failed) return false;
  }
  return true;
}

nlohmann::json tenants_json(const messages::TenantSummaries& tenants) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& t : tenants) {
    list.push_back(
        {{"tenant_name", t.tenant_name},
         {"tenant_id", t.tenant_id},
         {"ecosystem", t.ecosystem},
         {"state", t.state},
         {"dates_pending", t.dates_pending},
         {"dates_calculated", t.dates_calculated},
         {"last_calculated_date", t.last_calculated_date.empty()
                                      ? nlohmann::json(nullptr)
                                      : nlohmann::json(t.last_calculated_date)},
         {"topic_attribution_status", t.topic_attribution_status},
         {"topic_attribution_error", t.topic_attribution_error.empty()
                                         ? nlohmann::json(nullptr)
                                         : nlohmann::json(t.topic_attribution_error)},
         {"error", t.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.error)}});
  }
  return {{"tenants", list}};
}

nlohmann::json error_json(const std::string& code, const std::string& message) {
  return {{"error", {{"code", code}, {"message", message}}}};
}

}  // namespace chitragupt::http
