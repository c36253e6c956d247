#include "http/readiness.hpp"

#include "common/version.hpp"

namespace chitragupt::http {

using messages::TenantState;
using nlohmann::json;

json readiness_json(const messages::HealthReport& health,
                    const messages::TenantSummaries& summaries, const PipelineStatuses& pipeline,
                    const std::string& mode) {
  std::map<std::string, const messages::TenantSummary*> summary_of;
  for (const auto& s : summaries) summary_of[s.tenant_name] = &s;
  json tenants = json::array();
  bool all_tables_ready = true;
  bool all_failed = !health.tenants.empty();
  bool any_data = false;
  for (const auto& t : health.tenants) {
    auto summary = summary_of.find(t.name);
    auto status_it = pipeline.find(t.name);
    const json* status =
        status_it != pipeline.end() && status_it->second && status_it->second->is_object()
            ? &*status_it->second
            : nullptr;
    const bool permanent_failure = t.state == TenantState::failed;
    // The tenant's database answered: migrated, and its pipeline status read.
    const bool tables_ready = status != nullptr && t.migrated && summary != summary_of.end() &&
                              summary->second->error.empty();
    const bool has_data = summary != summary_of.end() && summary->second->dates_calculated > 0;
    const bool running = (status != nullptr && status->value("is_running", false)) ||
                         t.state == TenantState::running;
    json stage = nullptr;
    json current_date = nullptr;
    json last_status = nullptr;
    json last_at = nullptr;
    if (status != nullptr && status->contains("last_run") && (*status)["last_run"].is_object()) {
      const json& run = (*status)["last_run"];
      std::string word = run.value("status", "");
      // A `running` row that no run of this process is executing (a crash, or api mode) is
      // shown as failed, as the original does.
      if (word == "running" && !running) word = "failed";
      last_status = word;
      const json& ended = run.contains("ended_at") ? run["ended_at"] : json(nullptr);
      last_at = ended.is_string() ? ended : run.value("started_at", json(nullptr));
      if (running && run.contains("stage")) stage = run["stage"];
      if (running && run.contains("current_date")) current_date = run["current_date"];
    }
    all_tables_ready = all_tables_ready && tables_ready;
    all_failed = all_failed && permanent_failure;
    any_data = any_data || has_data;
    tenants.push_back(
        {{"tenant_name", t.name},
         {"tables_ready", tables_ready},
         {"has_data", has_data},
         {"pipeline_running", running},
         {"pipeline_stage", stage},
         // The date the calculate stage is on; null between dates and when idle.
         {"pipeline_current_date", current_date},
         {"last_run_status", last_status},
         {"last_run_at", last_at},
         // The original's is the failure's text, or null.
         {"permanent_failure",
          permanent_failure ? json(t.error.empty() ? "failed" : t.error) : json(nullptr)},
         {"topic_attribution_status", summary != summary_of.end()
                                          ? json(summary->second->topic_attribution_status)
                                          : json("disabled")},
         {"topic_attribution_error",
          summary != summary_of.end() && !summary->second->topic_attribution_error.empty()
              ? json(summary->second->topic_attribution_error)
              : json(nullptr)},
         {"focus_preview_state", "disabled"},
         {"focus_preview_completed_repair_dates", 0},
         {"focus_preview_total_repair_dates", 0},
         {"focus_preview_message", nullptr},
         {"focus_preview_ordinary_retention", nullptr},
         {"focus_preview_evidence_retention", nullptr}});
  }
  std::string status = !all_tables_ready ? "initializing"
                       : all_failed      ? "error"
                       : any_data        ? "ready"
                                         : "no_data";
  return {{"status", status}, {"version", kVersion}, {"mode", mode}, {"tenants", tenants}};
}

}  // namespace chitragupt::http
