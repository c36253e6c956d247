#include "http/readiness.hpp"

#include <gtest/gtest.h>

namespace chitragupt::http {
namespace {

using messages::TenantState;
using nlohmann::json;

messages::HealthReport one_tenant(TenantState state) {
  messages::HealthReport health;
  messages::TenantHealth t;
  t.name = "acme";
  t.state = state;
  t.migrated = true;
  health.tenants.push_back(t);
  return health;
}

messages::TenantSummaries summaries() {
  messages::TenantSummary s;
  s.tenant_name = "acme";
  s.dates_calculated = 3;
  return {s};
}

PipelineStatuses status_with(const json& last_run, bool running) {
  return {{"acme", json{{"is_running", running}, {"last_run", last_run}}}};
}

TEST(Readiness, a_running_calculation_shows_its_stage_and_current_date) {
  const json run = {{"status", "running"},
                    {"started_at", "2026-02-01T00:00:00Z"},
                    {"ended_at", nullptr},
                    {"stage", "calculating"},
                    {"current_date", "2026-01-17"}};
  const json doc =
      readiness_json(one_tenant(TenantState::running), summaries(), status_with(run, true), "both");
  const json& t = doc["tenants"][0];
  EXPECT_EQ(t["pipeline_running"], true);
  EXPECT_EQ(t["pipeline_stage"], "calculating");
  EXPECT_EQ(t["pipeline_current_date"], "2026-01-17");
  EXPECT_EQ(t["last_run_status"], "running");
}

TEST(Readiness, an_idle_tenant_shows_no_stage_and_no_current_date) {
  const json run = {{"status", "completed"},
                    {"started_at", "2026-02-01T00:00:00Z"},
                    {"ended_at", "2026-02-01T00:01:00Z"},
                    {"stage", "emitting"},
                    {"current_date", nullptr}};
  const json doc =
      readiness_json(one_tenant(TenantState::ready), summaries(), status_with(run, false), "both");
  const json& t = doc["tenants"][0];
  EXPECT_EQ(doc["status"], "ready");
  EXPECT_TRUE(t["pipeline_stage"].is_null());
  EXPECT_TRUE(t["pipeline_current_date"].is_null());
  EXPECT_EQ(t["last_run_at"], "2026-02-01T00:01:00Z");
}

TEST(Readiness, a_running_row_no_run_executes_is_shown_as_failed) {
  const json run = {{"status", "running"},
                    {"started_at", "2026-02-01T00:00:00Z"},
                    {"ended_at", nullptr},
                    {"stage", "calculating"},
                    {"current_date", "2026-01-17"}};
  const json doc =
      readiness_json(one_tenant(TenantState::ready), summaries(), status_with(run, false), "api");
  const json& t = doc["tenants"][0];
  EXPECT_EQ(t["last_run_status"], "failed");
  EXPECT_TRUE(t["pipeline_current_date"].is_null());
}

}  // namespace
}  // namespace chitragupt::http
