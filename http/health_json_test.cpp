#include "http/health_json.hpp"

#include <gtest/gtest.h>

#include "common/version.hpp"

namespace chitragupt::http {
namespace {

using namespace messages;

TenantHealth make(const std::string& name, TenantState state, bool migrated) {
  TenantHealth t;
  t.name = name;
  t.state = state;
  t.migrated = migrated;
  t.schema_version = migrated ? 2 : 0;
  return t;
}

TEST(HealthJson, all_tenants_ready_gives_status_ok_with_spec_fields) {
  HealthReport r;
  r.config_path = "/etc/c.yaml";
  r.loaded_at = "2026-01-01T00:00:00Z";
  r.tenants = {make("a", TenantState::ready, true)};
  r.tenants[0].last_run = LastRun{"completed", "2026-01-01T00:01:00Z", ""};
  auto j = health_json(r, 42);
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["version"], kVersion);
  EXPECT_EQ(j["uptime_s"], 42);
  EXPECT_EQ(j["config"]["path"], "/etc/c.yaml");
  EXPECT_TRUE(j["config"]["last_reload"].is_null());
  EXPECT_EQ(j["tenants"][0]["name"], "a");
  EXPECT_EQ(j["tenants"][0]["state"], "ready");
  EXPECT_EQ(j["tenants"][0]["schema_version"], 2);
  EXPECT_EQ(j["tenants"][0]["last_run"]["status"], "completed");
  EXPECT_TRUE(j["tenants"][0]["error"].is_null());
  EXPECT_TRUE(is_ready(r));
}

TEST(HealthJson, a_failed_or_unresponsive_tenant_degrades_status_and_readiness) {
  HealthReport r;
  r.tenants = {make("a", TenantState::ready, true), make("b", TenantState::failed, false)};
  r.tenants[1].error = "file is not a database";
  auto j = health_json(r, 1);
  EXPECT_EQ(j["status"], "degraded");
  EXPECT_EQ(j["tenants"][1]["error"], "file is not a database");
  EXPECT_FALSE(is_ready(r));

  HealthReport stuck;
  stuck.tenants = {make("a", TenantState::ready, true)};
  stuck.tenants[0].unresponsive = true;
  EXPECT_EQ(health_json(stuck, 1)["tenants"][0]["state"], "unresponsive");
  EXPECT_EQ(health_json(stuck, 1)["status"], "degraded");
  EXPECT_FALSE(is_ready(stuck));
}

TEST(HealthJson, not_ready_until_every_tenant_has_migrated) {
  HealthReport r;
  r.tenants = {make("a", TenantState::ready, true), make("b", TenantState::migrating, false)};
  EXPECT_FALSE(is_ready(r));
  EXPECT_EQ(health_json(r, 0)["status"], "ok");  // migrating is not degraded
  r.tenants[1] = make("b", TenantState::running, true);
  EXPECT_TRUE(is_ready(r));
  EXPECT_TRUE(is_ready(HealthReport{}));  // no tenants: nothing to wait for
}

TEST(HealthJson, last_reload_failure_is_reported) {
  HealthReport r;
  r.last_reload = ReloadStatus{"2026-01-01T00:00:00Z", false, "tenants.x.cutoff_days: bad"};
  auto j = health_json(r, 0);
  EXPECT_EQ(j["config"]["last_reload"]["ok"], false);
  EXPECT_EQ(j["config"]["last_reload"]["error"], "tenants.x.cutoff_days: bad");
}

// /health serves the body serialised once per snapshot with the uptime spliced in: the same
// bytes as serialising the whole document, whatever the tenants and the uptime.
TEST(HealthJson, the_cached_body_is_the_document_byte_for_byte_with_any_uptime) {
  HealthReport r;
  r.config_path = "/etc/c.yaml";
  r.loaded_at = "2026-01-01T00:00:00Z";
  r.last_reload = ReloadStatus{"2026-01-01T00:02:00Z", false, "bad \"yaml\""};
  r.tenants = {make("a", TenantState::ready, true), make("b", TenantState::failed, false),
               make("c\u00e9", TenantState::degraded, true)};
  r.tenants[0].last_run = LastRun{"completed", "2026-01-01T00:01:00Z", ""};
  r.tenants[1].next_restart_in_s = 7;
  r.tenants[2].lease = "held";
  for (const HealthReport& report : {r, HealthReport{}}) {
    HealthBody body = health_body(report);
    for (std::int64_t uptime : {std::int64_t{0}, std::int64_t{42}, std::int64_t{1234567890123}}) {
      EXPECT_EQ(body.text(uptime), health_json(report, uptime).dump()) << uptime;
    }
    EXPECT_EQ(body.ready, is_ready(report));
  }
  EXPECT_FALSE(health_body(r).ready);
  EXPECT_NE(health_body(r).text(1).find("\"status\":\"degraded\""), std::string::npos);
}

TEST(HealthJson, error_body_has_code_and_message) {
  auto j = error_json("not_found", "Tenant 'x' not found");
  EXPECT_EQ(j["error"]["code"], "not_found");
  EXPECT_EQ(j["error"]["message"], "Tenant 'x' not found");
}

}  // namespace
}  // namespace chitragupt::http
