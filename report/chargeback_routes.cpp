// GET chargebacks, chargebacks/dates, chargebacks/allocation-issues, chargebacks/{dimension_id}.

#include <charconv>

#include "report/chargeback_filter.hpp"
#include "report/entity_tags.hpp"
#include "report/handlers.hpp"

namespace chitragupt::report {
namespace {

using nlohmann::json;

json metadata_of(const std::string& env_id) {
  json m = json::object();
  if (!env_id.empty()) m["env_id"] = env_id;
  return m;
}

json tags_json(const TagMap& tags) {
  json out = json::object();
  for (const auto& [k, v] : tags) out[k] = v;
  return out;
}

// allocation_detail values that describe a normal allocation; every other non-empty detail
// (and every ALLOCATION_FAILED row) is an allocation issue.
constexpr const char* kIssueCondition =
    "(d.allocation_method = 'ALLOCATION_FAILED' OR (d.allocation_detail <> '' AND "
    "d.allocation_detail NOT IN ('usage_ratio_allocation', 'even_split_allocation', "
    "'cluster_linking_cost')))";

}  // namespace

Response chargebacks_route(Call& call) {
  Query query(call.request);
  Page page = read_page(query);
  ChargebackFilter filter = read_chargeback_filter(query);
  Where w = chargeback_where(call, filter);
  static const std::vector<SortColumn> kSortable = {
      {"timestamp", "f.timestamp", true},
      {"amount", "f.amount", false},
      {"identity_id", "d.identity_id", true},
      {"resource_id", "d.resource_id", true},
      {"product_type", "d.product_type", true},
      {"product_category", "d.product_category", true},
      {"cost_type", "d.cost_type", true},
      {"allocation_method", "d.allocation_method", true},
      {"allocation_detail", "d.allocation_detail", true},
      {"env_id", "d.env_id", true}};
  Sort sort = read_sort(query, kSortable);
  std::int64_t total = count_rows(call.db, std::string("SELECT COUNT(*)") + kFactsJoin + w.sql,
                                  w.params, "chargeback count");
  storage::Params params = with_page(w.params, page);
  auto rows =
      checked(call.db.query(
                  "SELECT d.dimension_id, d.ecosystem, d.tenant_id, f.timestamp, d.resource_id, "
                  "d.product_category, d.product_type, d.identity_id, d.cost_type, f.amount, "
                  "d.allocation_method, d.allocation_detail, d.env_id" +
                      facts_first(w) + " ORDER BY " +
                      order_by(call.db, sort, "f.timestamp, f.dimension_id") + " LIMIT ? OFFSET ?",
                  params),
              "chargebacks");
  TagIndex tags = TagIndex::load(call.db, call.tenant.tenant_id);
  json items = json::array();
  for (const auto& r : rows) {
    items.push_back({{"dimension_id", r.get_int(0)},
                     {"ecosystem", r.get_text(1)},
                     {"tenant_id", r.get_text(2)},
                     {"timestamp", iso_utc(r.get_text(3))},
                     {"resource_id", r.get_text(4)},
                     {"product_category", r.get_text(5)},
                     {"product_type", r.get_text(6)},
                     {"identity_id", r.get_text(7)},
                     {"cost_type", r.get_text(8)},
                     {"amount", decimal(r.get_int(9))},
                     {"allocation_method", r.get_text(10)},
                     {"allocation_detail", r.get_text(11)},
                     {"tags", tags_json(tags.for_row(r.get_text(4), r.get_text(7)))},
                     {"metadata", metadata_of(r.get_text(12))}});
  }
  return json_response(page_envelope(std::move(items), total, page));
}

Response dates_route(Call& call) {
  // UTC dates (the calculate stage's days), newest first as in the original.
  auto rows = checked(
      call.db.query("SELECT DISTINCT substr(f.timestamp, 1, 10) AS day" + std::string(kFactsJoin) +
                        " WHERE d.ecosystem = ? AND d.tenant_id = ? ORDER BY day DESC",
                    {call.tenant.ecosystem, call.tenant.tenant_id}),
      "chargeback dates");
  json dates = json::array();
  for (const auto& r : rows) dates.push_back(r.get_text(0));
  return json_response({{"dates", dates}});
}

Response allocation_issues_route(Call& call) {
  Query query(call.request);
  Page page = read_page(query);
  ChargebackFilter filter;
  filter.range = read_date_range(query);
  for (const char* column : {"identity_id", "product_type", "resource_id"}) {
    if (auto v = query.get(column)) add_filter_value(filter, column, *v);
  }
  Where w = chargeback_where(call, filter);
  w.add(kIssueCondition);
  const std::string group =
      " GROUP BY d.ecosystem, d.env_id, d.resource_id, d.product_type, d.identity_id, "
      "d.allocation_detail";
  std::int64_t total = count_rows(
      call.db, "SELECT COUNT(*) FROM (SELECT 1" + std::string(kFactsJoin) + w.sql + group + ") g",
      w.params, "allocation issue count");
  storage::Params params = with_page(w.params, page);
  auto& db = call.db;
  auto rows = checked(
      db.query("SELECT d.ecosystem, d.env_id, d.resource_id, d.product_type, d.identity_id, "
               "d.allocation_detail, COUNT(*), "
               "SUM(CASE WHEN d.cost_type = 'usage' THEN f.amount ELSE 0 END), "
               "SUM(CASE WHEN d.cost_type = 'shared' THEN f.amount ELSE 0 END), SUM(f.amount)" +
                   std::string(kFactsJoin) + w.sql + group + " ORDER BY SUM(f.amount) DESC, " +
                   bytewise(db, "d.resource_id") + ", " + bytewise(db, "d.identity_id") + ", " +
                   bytewise(db, "d.product_type") + ", " + bytewise(db, "d.allocation_detail") +
                   ", " + bytewise(db, "d.env_id") + ", " + bytewise(db, "d.ecosystem") +
                   " LIMIT ? OFFSET ?",
               params),
      "allocation issues");
  json items = json::array();
  for (const auto& r : rows) {
    items.push_back({{"ecosystem", r.get_text(0)},
                     {"env_id", r.get_text(1)},
                     {"resource_id", r.get_text(2)},
                     {"product_type", r.get_text(3)},
                     {"identity_id", r.get_text(4)},
                     {"allocation_detail", r.get_text(5)},
                     {"row_count", r.get_int(6)},
                     {"usage_cost", decimal(r.get_int(7))},
                     {"shared_cost", decimal(r.get_int(8))},
                     {"total_cost", decimal(r.get_int(9))}});
  }
  return json_response(page_envelope(std::move(items), total, page));
}

Response dimension_route(Call& call) {
  std::string text = path_param(call.request, "dimension_id");
  std::int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || id < 1) {
    bad_parameter("dimension_id", "expected a positive integer, got " + json_quoted(text));
  }
  auto rows = checked(
      call.db.query("SELECT d.dimension_id, d.ecosystem, d.env_id, d.tenant_id, d.resource_id, "
                    "d.product_category, d.product_type, d.identity_id, d.cost_type, "
                    "d.allocation_method, d.allocation_detail FROM chargeback_dimensions d "
                    "WHERE d.dimension_id = ? AND d.ecosystem = ? AND d.tenant_id = ?",
                    {id, call.tenant.ecosystem, call.tenant.tenant_id}),
      "chargeback dimension");
  if (rows.empty()) not_found("no chargeback dimension " + std::to_string(id));
  const auto& r = rows[0];
  TagIndex tags = TagIndex::load(call.db, call.tenant.tenant_id);
  return json_response({{"dimension_id", r.get_int(0)},
                        {"ecosystem", r.get_text(1)},
                        {"env_id", r.get_text(2)},
                        {"tenant_id", r.get_text(3)},
                        {"resource_id", r.get_text(4)},
                        {"product_category", r.get_text(5)},
                        {"product_type", r.get_text(6)},
                        {"identity_id", r.get_text(7)},
                        {"cost_type", r.get_text(8)},
                        {"allocation_method", r.get_text(9)},
                        {"allocation_detail", r.get_text(10)},
                        {"tags", tags_json(tags.for_row(r.get_text(4), r.get_text(7)))}});
}

}  // namespace chitragupt::report
