#include "http/tenant_metrics_text.hpp"

#include <map>

#include "http/request_metrics.hpp"

namespace chitragupt::http {

namespace {

std::string tenant_label(const messages::TenantMetrics& t) {
  return "tenant=\"" + prometheus_label_value(t.tenant) + "\"";
}

void family(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n";
  out += std::string("# TYPE ") + name + " " + type + "\n";
}

}  // namespace

std::string render_tenant_metrics(const messages::EngineMetrics& tenants) {
  std::string out;
  family(out, "chitragupt_pipeline_runs_total", "counter",
         "Pipeline runs finished since the process started, by tenant and final status.");
  for (const auto& t : tenants) {
    std::map<std::string, std::int64_t> by_status = {
        {"completed", 0}, {"failed", 0}, {"interrupted", 0}};
    for (const auto& [status, n] : t.runs_by_status) by_status[status] = n;
    for (const auto& [status, n] : by_status) {
      out += "chitragupt_pipeline_runs_total{" + tenant_label(t) + ",status=\"" +
             prometheus_label_value(status) + "\"} " + std::to_string(n) + "\n";
    }
  }

  family(out, "chitragupt_pipeline_duration_seconds", "histogram",
         "Duration of finished pipeline runs, by tenant.");
  const auto& bounds = messages::run_duration_buckets();
  for (const auto& t : tenants) {
    std::int64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      if (i < t.duration_buckets.size()) cumulative += t.duration_buckets[i];
      out += "chitragupt_pipeline_duration_seconds_bucket{" + tenant_label(t) + ",le=\"" +
             prometheus_number(bounds[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "chitragupt_pipeline_duration_seconds_bucket{" + tenant_label(t) + ",le=\"+Inf\"} " +
           std::to_string(t.duration_count) + "\n";
    out += "chitragupt_pipeline_duration_seconds_sum{" + tenant_label(t) + "} " +
           prometheus_number(t.duration_sum_s) + "\n";
    out += "chitragupt_pipeline_duration_seconds_count{" + tenant_label(t) + "} " +
           std::to_string(t.duration_count) + "\n";
  }

  family(out, "chitragupt_last_success_timestamp_seconds", "gauge",
         "End time (Unix seconds) of the tenant's last completed pipeline run in this process.");
  for (const auto& t : tenants) {
    if (!t.last_success_unix_s) continue;
    out += "chitragupt_last_success_timestamp_seconds{" + tenant_label(t) + "} " +
           prometheus_number(*t.last_success_unix_s) + "\n";
  }

  family(out, "chitragupt_chargeback_rows_written_total", "counter",
         "Chargeback rows written by pipeline runs since the process started, by tenant.");
  for (const auto& t : tenants) {
    out += "chitragupt_chargeback_rows_written_total{" + tenant_label(t) + "} " +
           std::to_string(t.rows_written) + "\n";
  }

  family(out, "chitragupt_tenant_up", "gauge",
         "1 while the tenant is migrated and serves queries, 0 otherwise.");
  for (const auto& t : tenants) {
    out += "chitragupt_tenant_up{" + tenant_label(t) + "} " + (t.up ? "1" : "0") + "\n";
  }
  return out;
}

}  // namespace chitragupt::http
