// GET resources, identities, inventory/summary.

#include <cctype>

#include "report/entity_tags.hpp"
#include "report/handlers.hpp"
#include "report/request_params.hpp"

namespace chitragupt::report {
namespace {

using nlohmann::json;

struct Entity {
  const char* table;
  const char* alias_id;              // "e.resource_id"
  const char* entity_type;           // tags.entity_type
  const char* type_param;            // resource_type | identity_type
  std::vector<std::string> columns;  // selected, in output order (metadata_json last)
  std::vector<std::string> sortable;
};

const Entity& resource_entity() {
  static const Entity e{
      "resources",
      "e.resource_id",
      "resource",
      "resource_type",
      {"ecosystem", "tenant_id", "resource_id", "resource_type", "display_name", "parent_id",
       "owner_id", "status", "created_at", "deleted_at", "last_seen_at", "metadata_json"},
      {"resource_id", "resource_type", "display_name", "status", "created_at", "deleted_at",
       "last_seen_at"}};
  return e;
}

const Entity& identity_entity() {
  static const Entity e{
      "identities",
      "e.identity_id",
      "identity",
      "identity_type",
      {"ecosystem", "tenant_id", "identity_id", "identity_type", "display_name", "created_at",
       "deleted_at", "last_seen_at", "metadata_json"},
      {"identity_id", "identity_type", "display_name", "created_at", "deleted_at", "last_seen_at"}};
  return e;
}

bool is_time_column(const std::string& c) {
  return c == "created_at" || c == "deleted_at" || c == "last_seen_at";
}

std::string like_pattern(const std::string& search) {
  std::string out = "%";
  for (char c : search) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out + "%";
}

Response list_entities(Call& call, const Entity& entity) {
  Query query(call.request);
  Page page = read_page(query);
  auto& db = call.db;
  Where w;
  w.add("e.ecosystem = ?", call.tenant.ecosystem);
  w.add("e.tenant_id = ?", call.tenant.tenant_id);
  if (auto v = query.get(entity.type_param))
    w.add(std::string("e.") + entity.type_param + " = ?", *v);
  if (auto v = query.get("status")) {
    if (std::string(entity.table) == "resources") {
      w.add("e.status = ?", *v);
    } else if (*v == "active") {
      w.add("e.deleted_at IS NULL");
    } else if (*v == "deleted") {
      w.add("e.deleted_at IS NOT NULL");
    } else {
      bad_parameter("status", "expected active or deleted, got " + json_quoted(*v));
    }
  }

  auto active_at = query.get("active_at");
  auto period_start = query.get("period_start");
  auto period_end = query.get("period_end");
  if (active_at && (period_start || period_end)) {
    bad_parameter("active_at", "give either active_at or period_start/period_end, not both");
  }
  if (active_at || period_start || period_end) {
    Zone zone = read_zone(query.get("timezone"));
    if (active_at) {
      auto at = local_time_utc(zone, *active_at);
      if (!at)
        bad_parameter("active_at",
                      "expected YYYY-MM-DD[THH:MM[:SS]], got " + json_quoted(*active_at));
      w.add("(e.created_at IS NULL OR e.created_at <= ?)", *at);
      w.add("(e.deleted_at IS NULL OR e.deleted_at > ?)", *at);
    } else {
      if (!period_start) bad_parameter("period_start", "needed with period_end");
      if (!period_end) bad_parameter("period_end", "needed with period_start");
      DateRange range = read_date_range(period_start, period_end, query.get("timezone"));
      w.add("(e.created_at IS NULL OR e.created_at < ?)", range.end_utc);
      w.add("(e.deleted_at IS NULL OR e.deleted_at >= ?)", range.start_utc);
    }
  }
  if (auto search = query.get("search"); search && !search->empty()) {
    std::string p = like_pattern(*search);
    w.add(std::string("(LOWER(") + entity.alias_id + ") LIKE ? ESCAPE '\\' OR " +
              "LOWER(COALESCE(e.display_name, '')) LIKE ? ESCAPE '\\')",
          storage::Params{p, p});
  }
  auto tag_key = query.get("tag_key");
  auto tag_value = query.get("tag_value");
  if (tag_value && !tag_key) bad_parameter("tag_value", "needs tag_key");
  if (tag_key) {
    add_entity_tag_condition(w, call.tenant.tenant_id, entity.entity_type, entity.alias_id,
                             *tag_key, tag_value);
  }

  std::vector<SortColumn> sortable;
  for (const auto& c : entity.sortable) sortable.push_back({c, "e." + c, true});
  Sort sort = read_sort(query, sortable);
  std::string by_id = bytewise(db, std::string(entity.alias_id));
  std::string order = order_by(db, sort, sort.by ? by_id : by_id + " " + sort.direction);

  std::int64_t total =
      count_rows(db, std::string("SELECT COUNT(*) FROM ") + entity.table + " e" + w.sql, w.params,
                 entity.table);
  std::string select;
  for (const auto& c : entity.columns) select += (select.empty() ? "e." : ", e.") + c;
  storage::Params params = with_page(w.params, page);
  auto rows = checked(db.query("SELECT " + select + " FROM " + entity.table + " e" + w.sql +
                                   " ORDER BY " + order + " LIMIT ? OFFSET ?",
                               params),
                      entity.table);
  json items = json::array();
  for (const auto& r : rows) {
    json item = json::object();
    for (std::size_t i = 0; i < entity.columns.size(); ++i) {
      const std::string& c = entity.columns[i];
      if (c == "metadata_json") {
        auto parsed = r.is_null(i) ? json::object() : json::parse(r.get_text(i), nullptr, false);
        item["metadata"] = parsed.is_discarded() ? json::object() : parsed;
      } else if (r.is_null(i)) {
        item[c] = nullptr;
      } else {
        item[c] = is_time_column(c) ? iso_utc(r.get_text(i)) : r.get_text(i);
      }
    }
    items.push_back(std::move(item));
  }
  return json_response(page_envelope(std::move(items), total, page));
}

json counts_by_type(Call& call, const std::string& sql) {
  auto rows = checked(call.db.query(sql, {call.tenant.ecosystem, call.tenant.tenant_id}),
                      "inventory summary");
  json out = json::object();
  for (const auto& r : rows) {
    out[r.get_text(0)] = {
        {"total", r.get_int(1)}, {"active", r.get_int(2)}, {"deleted", r.get_int(3)}};
  }
  return out;
}

}  // namespace

Response resources_route(Call& call) { return list_entities(call, resource_entity()); }
Response identities_route(Call& call) { return list_entities(call, identity_entity()); }

Response inventory_summary_route(Call& call) {
  json resources = counts_by_type(
      call,
      "SELECT resource_type, COUNT(*), SUM(CASE WHEN status = 'deleted' THEN 0 ELSE 1 END), "
      "SUM(CASE WHEN status = 'deleted' THEN 1 ELSE 0 END) FROM resources "
      "WHERE ecosystem = ? AND tenant_id = ? GROUP BY resource_type");
  json identities = counts_by_type(
      call,
      "SELECT identity_type, COUNT(*), SUM(CASE WHEN deleted_at IS NULL THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END) FROM identities "
      "WHERE ecosystem = ? AND tenant_id = ? GROUP BY identity_type");
  return json_response(
      {{"resource_counts", std::move(resources)}, {"identity_counts", std::move(identities)}});
}

}  // namespace chitragupt::report
