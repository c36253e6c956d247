// The route table and the dispatch from a Request to the route's handler.

#include "report/report.hpp"

#include <exception>

#include <nlohmann/json.hpp>

#include "report/handlers.hpp"
#include "report/request_params.hpp"

namespace chitragupt::report {
namespace {

struct Entry {
  Route route;
  Handler handler;  // nullptr: listed for the OpenAPI document, answered elsewhere
};

const std::vector<Entry>& table() {
  static const std::vector<Entry> entries = {
      {{"GET", "/tenants/{tenant}/status", "Per-date pipeline state of the tenant"}, status_route},
      {{"GET", "/tenants/{tenant}/billing", "Billing lines, paginated"}, billing_route},
      {{"GET", "/tenants/{tenant}/chargebacks", "Chargeback rows, paginated"}, chargebacks_route},
      {{"GET", "/tenants/{tenant}/chargebacks/aggregate",
        "Chargeback totals grouped by dimensions and time bucket"},
       aggregate_route},
      {{"GET", "/tenants/{tenant}/chargebacks/dates", "Dates that have chargeback rows"},
       dates_route},
      {{"GET", "/tenants/{tenant}/chargebacks/allocation-issues",
        "Chargebacks whose allocation failed or fell back, grouped"},
       allocation_issues_route},
      {{"GET", "/tenants/{tenant}/chargebacks/{dimension_id}", "One chargeback dimension"},
       dimension_route},
      {{"GET", "/tenants/{tenant}/resources", "Resources, paginated"}, resources_route},
      {{"GET", "/tenants/{tenant}/identities", "Identities, paginated"}, identities_route},
      {{"GET", "/tenants/{tenant}/inventory/summary", "Resource and identity counts by type"},
       inventory_summary_route},
      {{"GET", "/tenants/{tenant}/entities/{entity_type}/{entity_id}/tags", "Tags of one entity"},
       entity_tags_route},
      {{"POST", "/tenants/{tenant}/entities/{entity_type}/{entity_id}/tags",
        "Adds a tag to one entity"},
       create_tag_route},
      {{"PUT", "/tenants/{tenant}/entities/{entity_type}/{entity_id}/tags/{tag_key}",
        "Changes the value of one tag"},
       update_tag_route},
      {{"DELETE", "/tenants/{tenant}/entities/{entity_type}/{entity_id}/tags/{tag_key}",
        "Removes one tag"},
       delete_tag_route},
      {{"GET", "/tenants/{tenant}/tags", "Tags of the tenant, paginated"}, tags_route},
      {{"GET", "/tenants/{tenant}/tags/keys", "Distinct tag keys"}, tag_keys_route},
      {{"GET", "/tenants/{tenant}/tags/keys/{tag_key}/values", "Distinct values of one tag key"},
       tag_values_route},
      {{"POST", "/tenants/{tenant}/tags/bulk", "Creates or updates many tags at once"},
       bulk_tags_route},
      {{"POST", "/tenants/{tenant}/tags/bulk-by-filter",
        "Tags the resources (else identities) of the matching chargebacks"},
       bulk_by_filter_route},
      {{"POST", "/tenants/{tenant}/pipeline/run",
        "Starts a pipeline run (answered by the tenant actor)"},
       nullptr},
      {{"GET", "/tenants/{tenant}/pipeline/status", "Whether a run is in progress; the last run"},
       pipeline_status_route},
      {{"POST", "/tenants/{tenant}/export", "Chargeback rows as CSV, streamed in chunks"},
       export_route},
      {{"GET", "/tenants/{tenant}/topic-attributions", "Topic attribution rows, paginated"},
       topic_attributions_route},
      {{"GET", "/tenants/{tenant}/topic-attributions/aggregate",
        "Topic attribution totals grouped by dimensions and time bucket"},
       topic_aggregate_route},
      {{"GET", "/tenants/{tenant}/topic-attributions/dates",
        "Dates that have topic attribution rows"},
       topic_dates_route},
      {{"POST", "/tenants/{tenant}/topic-attributions/export",
        "Topic attribution rows as CSV, streamed in chunks"},
       topic_export_route},
      {{"GET", "/tenants/{tenant}/graph",
        "Cost-explorer graph around a focus (or the tenant's environments)"},
       graph_route},
      {{"GET", "/tenants/{tenant}/graph/search", "Resources and identities matching a text"},
       graph_search_route},
      {{"GET", "/tenants/{tenant}/graph/diff", "Graph node costs of two periods compared"},
       graph_diff_route},
      {{"GET", "/tenants/{tenant}/graph/timeline", "Daily cost of one resource or identity"},
       graph_timeline_route},
      // FOCUS exports: background jobs of the tenant actor (focus/jobs.hpp).
      {{"POST", "/tenants/{tenant}/focus/exports",
        "Starts a FOCUS 1.2 export of one billing period (answered by the tenant actor)"},
       nullptr},
      {{"GET", "/tenants/{tenant}/focus/exports", "FOCUS exports of the tenant, newest first"},
       nullptr},
      {{"GET", "/tenants/{tenant}/focus/exports/{export_id}", "One FOCUS export and its manifest"},
       nullptr},
      {{"GET", "/tenants/{tenant}/focus/exports/{export_id}/files/{file_name}",
        "One file of a finished FOCUS export, streamed"},
       nullptr},
  };
  return entries;
}

}  // namespace

const std::vector<Route>& routes() {
  static const std::vector<Route> list = [] {
    std::vector<Route> out;
    for (const Entry& e : table()) out.push_back(e.route);
    return out;
  }();
  return list;
}

Response error_response(int status, const std::string& code, const std::string& message) {
  Response r;
  r.status = status;
  r.body = nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response handle(storage::Database& db, const TenantContext& tenant, const Request& request) {
  for (const Entry& e : table()) {
    if (e.route.route != request.route || e.route.method != request.method) continue;
    if (!e.handler) break;
    try {
      Call call{db, tenant, request};
      return e.handler(call);
    } catch (const ApiError& error) {
      return error_response(error.status, error.code, error.message);
    } catch (const std::exception&) {
      // Nothing of the exception's text goes out: it may quote SQL or input.
      return error_response(500, "internal_error", "the report query failed unexpectedly");
    } catch (...) {
      return error_response(500, "internal_error", "the report query failed unexpectedly");
    }
  }
  return error_response(404, "not_found", "no such route");
}

}  // namespace chitragupt::report
