// GET status, billing, pipeline/status.

#include "report/handlers.hpp"
#include "report/request_params.hpp"
#include "storage/billing_store.hpp"

namespace chitragupt::report {
namespace {

using nlohmann::json;

json parse_metadata(const std::string& text) {
  if (text.empty()) return json::object();
  auto parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? json::object() : parsed;
}

json null_or_iso(const std::string& stored) {
  return stored.empty() ? json(nullptr) : json(iso_utc(stored));
}

}  // namespace

Response status_route(Call& call) {
  Query query(call.request);
  // Dates are calendar days here (tracking dates), so the zone only picks "today".
  DateRange range = read_date_range(query, call.tenant.lookback_days);
  auto rows = checked(
      call.db.query("SELECT tracking_date, billing_gathered, resources_gathered, "
                    "chargeback_calculated, topic_overlay_gathered, topic_attribution_calculated "
                    "FROM pipeline_state WHERE ecosystem = ? AND tenant_id = ? AND "
                    "tracking_date >= ? AND tracking_date <= ? ORDER BY tracking_date",
                    {call.tenant.ecosystem, call.tenant.tenant_id, format_day(range.start_day),
                     format_day(range.end_day)}),
      "pipeline state");
  json states = json::array();
  for (const auto& r : rows) {
    states.push_back({{"tracking_date", r.get_text(0)},
                      {"billing_gathered", r.get_int(1) != 0},
                      {"resources_gathered", r.get_int(2) != 0},
                      {"chargeback_calculated", r.get_int(3) != 0},
                      {"topic_overlay_gathered", r.get_int(4) != 0},
                      {"topic_attribution_calculated", r.get_int(5) != 0}});
  }
  return json_response(
      {{"tenant_name", call.tenant.tenant_name},
       {"tenant_id", call.tenant.tenant_id},
       {"ecosystem", call.tenant.ecosystem},
       {"topic_attribution_status", call.tenant.topic_attribution_status},
       {"topic_attribution_error", call.tenant.topic_attribution_error.empty()
                                       ? json(nullptr)
                                       : json(call.tenant.topic_attribution_error)},
       {"states", std::move(states)}});
}

Response billing_route(Call& call) {
  Query query(call.request);
  Page page = read_page(query);
  DateRange range = read_date_range(query);
  // The ecosystem's billing table (storage/billing_store): ccloud_billing has env_id.
  const bool ccloud = storage::billing_table_has_env_id(call.tenant.ecosystem);
  const std::string table = storage::billing_table_of(call.tenant.ecosystem);
  Where w;
  w.add("ecosystem = ?", call.tenant.ecosystem);
  w.add("tenant_id = ?", call.tenant.tenant_id);
  w.add("timestamp >= ?", range.start_utc);
  w.add("timestamp < ?", range.end_utc);
  if (auto v = query.get("product_type")) w.add("product_type = ?", *v);
  if (auto v = query.get("resource_id")) w.add("resource_id = ?", *v);
  auto count =
      checked(call.db.query("SELECT COUNT(*) FROM " + table + w.sql, w.params), "billing count");
  std::int64_t total = count.empty() ? 0 : count[0].get_int(0);
  storage::Params params = w.params;
  params.push_back(page.page_size);
  params.push_back(page.offset());
  auto& db = call.db;
  const std::string env = ccloud ? "env_id" : "''";
  auto rows =
      checked(db.query("SELECT ecosystem, tenant_id, timestamp, resource_id, product_category, "
                       "product_type, quantity, unit_price, total_cost, currency, granularity, "
                       "metadata_json, " +
                           env + " FROM " + table + w.sql + " ORDER BY timestamp, " +
                           (ccloud ? bytewise(db, "env_id") + ", " : std::string()) +
                           bytewise(db, "resource_id") + ", " + bytewise(db, "product_type") +
                           ", " + bytewise(db, "product_category") + " LIMIT ? OFFSET ?",
                       params),
              "billing");
  json items = json::array();
  for (const auto& r : rows) {
    json metadata = parse_metadata(r.get_text(11));
    if (ccloud && !r.get_text(12).empty() && metadata.is_object()) {
      metadata["env_id"] = r.get_text(12);
    }
    items.push_back({{"ecosystem", r.get_text(0)},
                     {"tenant_id", r.get_text(1)},
                     {"timestamp", iso_utc(r.get_text(2))},
                     {"resource_id", r.get_text(3)},
                     {"product_category", r.get_text(4)},
                     {"product_type", r.get_text(5)},
                     {"quantity", r.get_text(6)},
                     {"unit_price", r.get_text(7)},
                     {"total_cost", r.get_text(8)},
                     {"currency", r.get_text(9)},
                     {"granularity", r.get_text(10)},
                     {"metadata", std::move(metadata)}});
  }
  return json_response(page_envelope(std::move(items), total, page));
}

Response pipeline_status_route(Call& call) {
  auto rows = checked(
      call.db.query(
          "SELECT status, started_at, ended_at, dates_gathered, dates_calculated, "
          "rows_written, error_message, stage, \"trigger\", \"current_date\", runner "
          "FROM pipeline_runs "
          "WHERE tenant_name = ? ORDER BY started_at DESC, id DESC LIMIT 1",
          {call.tenant.tenant_name}),
      "pipeline runs");
  json last_run = nullptr;
  json last_result = nullptr;
  if (!rows.empty()) {
    const auto& r = rows[0];
    last_run = {{"status", r.get_text(0)},
                {"started_at", null_or_iso(r.get_text(1))},
                {"ended_at", null_or_iso(r.get_text(2))},
                {"stage", r.is_null(7) ? json(nullptr) : json(r.get_text(7))},
                {"trigger", r.get_text(8)},
                {"current_date", r.is_null(9) ? json(nullptr) : json(r.get_text(9))},
                {"runner", r.is_null(10) ? json(nullptr) : json(r.get_text(10))}};
    if (r.get_text(0) != "running") {
      json errors = json::array();
      if (!r.get_text(6).empty()) errors.push_back(r.get_text(6));
      last_result = {{"dates_gathered", r.get_int(3)},
                     {"dates_calculated", r.get_int(4)},
                     {"chargeback_rows_written", r.get_int(5)},
                     {"errors", std::move(errors)},
                     {"completed_at", null_or_iso(r.get_text(2))}};
    }
  }
  return json_response({{"tenant_name", call.tenant.tenant_name},
                        {"is_running", call.tenant.pipeline_running},
                        {"last_run", std::move(last_run)},
                        {"last_result", std::move(last_result)}});
}

}  // namespace chitragupt::report
