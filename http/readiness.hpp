#pragma once
// GET /api/v1/readiness: the original's readiness document, which its UI polls (our /ready stays
// the probe). Never 503: a tenant that cannot answer shows as not tables_ready.
//
//   {status, version, mode, tenants:[{tenant_name, tables_ready, has_data, pipeline_running,
//    pipeline_stage, pipeline_current_date, last_run_status, last_run_at, permanent_failure,
//    topic_attribution_status, topic_attribution_error, focus_preview_*}]}
//
// status: "initializing" if any tenant is not tables_ready, else "error" if every tenant failed
// for good, else "ready" if any tenant has data, else "no_data" (the original's rule).

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "messages/protocol.hpp"

namespace chitragupt::http {

// What one tenant's GET .../pipeline/status answered (nullopt: no answer, or not a 200).
using PipelineStatuses = std::map<std::string, std::optional<nlohmann::json>>;

nlohmann::json readiness_json(const messages::HealthReport& health,
                              const messages::TenantSummaries& summaries,
                              const PipelineStatuses& pipeline, const std::string& mode);

}  // namespace chitragupt::http
