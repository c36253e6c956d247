#pragma once
// The per-tenant pipeline figures of /metrics (Prometheus text exposition 0.0.4), rendered from
// the supervisor's EngineMetrics. Pure function: no I/O, no actors.
//
//   chitragupt_pipeline_runs_total{tenant,status}      counter (completed|failed|interrupted,
//                                                      zeros included)
//   chitragupt_pipeline_duration_seconds{tenant}       histogram
//   chitragupt_last_success_timestamp_seconds{tenant}  gauge, once a run has completed
//   chitragupt_chargeback_rows_written_total{tenant}   counter
//   chitragupt_tenant_up{tenant}                       gauge, 1 while the tenant serves queries

#include <string>

#include "messages/protocol.hpp"

namespace chitragupt::http {

std::string render_tenant_metrics(const messages::EngineMetrics& tenants);

}  // namespace chitragupt::http
