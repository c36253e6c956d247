// Tags of resources and identities: per-entity CRUD, listings, bulk and bulk-by-filter.

#include <set>

#include "report/chargeback_filter.hpp"
#include "report/handlers.hpp"
#include "storage/utc_time.hpp"

namespace chitragupt::report {
namespace {

using nlohmann::json;

constexpr const char* kTagColumns =
    "tag_id, tenant_id, entity_type, entity_id, tag_key, tag_value, created_by, created_at";

json tag_json(const storage::Row& r) {
  return {{"tag_id", r.get_int(0)},       {"tenant_id", r.get_text(1)},
          {"entity_type", r.get_text(2)}, {"entity_id", r.get_text(3)},
          {"tag_key", r.get_text(4)},     {"tag_value", r.get_text(5)},
          {"created_by", r.get_text(6)},  {"created_at", iso_utc(r.get_text(7))}};
}

[[noreturn]] void unprocessable(const std::string& field, const std::string& why) {
  throw ApiError{422, "invalid_body", "invalid field '" + field + "': " + why};
}

std::string entity_type_of(const Request& request) {
  std::string type = path_param(request, "entity_type");
  if (type != "resource" && type != "identity") {
    throw ApiError{422, "invalid_entity_type",
                   "entity_type must be resource or identity, got " + json_quoted(type)};
  }
  return type;
}

bool entity_exists(Call& call, const std::string& type, const std::string& id) {
  const std::string sql =
      type == "resource"
          ? "SELECT 1 FROM resources WHERE ecosystem = ? AND tenant_id = ? AND resource_id = ?"
          : "SELECT 1 FROM identities WHERE ecosystem = ? AND tenant_id = ? AND identity_id = ?";
  return !checked(call.db.query(sql, {call.tenant.ecosystem, call.tenant.tenant_id, id}), "entity")
              .empty();
}

std::string string_field(const json& body, const std::string& name, std::size_t max_len,
                         bool required, const std::string& fallback = "") {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) unprocessable(name, "required");
    return fallback;
  }
  if (!it->is_string()) unprocessable(name, "must be a string");
  std::string v = it->get<std::string>();
  if (v.size() > max_len)
    unprocessable(name, "longer than " + std::to_string(max_len) + " characters");
  return v;
}

std::string tag_key_field(const json& body, const std::string& name) {
  std::string key = string_field(body, name, 100, true);
  if (!valid_tag_key(key)) {
    unprocessable(name, "expected ^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$, got " + json_quoted(key));
  }
  return key;
}

std::optional<json> find_tag(Call& call, const std::string& type, const std::string& id,
                             const std::string& key) {
  auto rows = checked(call.db.query(std::string("SELECT ") + kTagColumns +
                                        " FROM tags WHERE tenant_id = ? AND entity_type = ? AND "
                                        "entity_id = ? AND tag_key = ?",
                                    {call.tenant.tenant_id, type, id, key}),
                      "tag");
  if (rows.empty()) return std::nullopt;
  return tag_json(rows[0]);
}

void insert_tag(Call& call, const std::string& type, const std::string& id, const std::string& key,
                const std::string& value, const std::string& created_by) {
  checked(call.db.execute("INSERT INTO tags (tenant_id, entity_type, entity_id, tag_key, "
                          "tag_value, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          {call.tenant.tenant_id, type, id, key, value, created_by,
                           storage::utc_now_timestamp()}),
          "tag insert");
}

void update_tag(Call& call, const std::string& type, const std::string& id, const std::string& key,
                const std::string& value) {
  checked(call.db.execute("UPDATE tags SET tag_value = ? WHERE tenant_id = ? AND entity_type = ? "
                          "AND entity_id = ? AND tag_key = ?",
                          {value, call.tenant.tenant_id, type, id, key}),
          "tag update");
}

struct BulkCounts {
  std::int64_t created = 0, updated = 0, skipped = 0;
};

void apply(Call& call, BulkCounts& counts, bool override_existing, const std::string& type,
           const std::string& id, const std::string& key, const std::string& value,
           const std::string& created_by) {
  auto existing = find_tag(call, type, id, key);
  if (!existing) {
    insert_tag(call, type, id, key, value, created_by);
    ++counts.created;
  } else if (override_existing && (*existing)["tag_value"] != value) {
    update_tag(call, type, id, key, value);
    ++counts.updated;
  } else {
    ++counts.skipped;
  }
}

bool bool_field(const json& body, const std::string& name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return false;
  if (!it->is_boolean()) unprocessable(name, "must be true or false");
  return it->get<bool>();
}

json counts_json(const BulkCounts& c) {
  return {{"created_count", c.created}, {"updated_count", c.updated}, {"skipped_count", c.skipped}};
}

}  // namespace

Response entity_tags_route(Call& call) {
  std::string type = entity_type_of(call.request);
  std::string id = path_param(call.request, "entity_id");
  auto rows = checked(call.db.query(std::string("SELECT ") + kTagColumns +
                                        " FROM tags WHERE tenant_id = ? AND entity_type = ? AND "
                                        "entity_id = ? ORDER BY " +
                                        bytewise(call.db, "tag_key"),
                                    {call.tenant.tenant_id, type, id}),
                      "tags");
  json items = json::array();
  for (const auto& r : rows) items.push_back(tag_json(r));
  return json_response(items);
}

Response create_tag_route(Call& call) {
  std::string type = entity_type_of(call.request);
  std::string id = path_param(call.request, "entity_id");
  json body = read_body_object(call.request);
  std::string key = tag_key_field(body, "tag_key");
  std::string value = string_field(body, "tag_value", 500, true);
  std::string created_by = string_field(body, "created_by", 100, false, "api");
  if (!entity_exists(call, type, id)) not_found("no " + type + " " + json_quoted(id));
  if (find_tag(call, type, id, key)) {
    throw ApiError{409, "conflict", "the " + type + " already has tag " + json_quoted(key)};
  }
  insert_tag(call, type, id, key, value, created_by);
  return json_response(*find_tag(call, type, id, key), 201);
}

Response update_tag_route(Call& call) {
  std::string type = entity_type_of(call.request);
  std::string id = path_param(call.request, "entity_id");
  std::string key = path_param(call.request, "tag_key");
  json body = read_body_object(call.request);
  std::string value = string_field(body, "tag_value", 500, true);
  if (!find_tag(call, type, id, key))
    not_found("no tag " + json_quoted(key) + " on " + type + " " + json_quoted(id));
  update_tag(call, type, id, key, value);
  return json_response(*find_tag(call, type, id, key));
}

Response delete_tag_route(Call& call) {
  std::string type = entity_type_of(call.request);
  std::string id = path_param(call.request, "entity_id");
  std::string key = path_param(call.request, "tag_key");
  if (!find_tag(call, type, id, key))
    not_found("no tag " + json_quoted(key) + " on " + type + " " + json_quoted(id));
  checked(call.db.execute("DELETE FROM tags WHERE tenant_id = ? AND entity_type = ? AND "
                          "entity_id = ? AND tag_key = ?",
                          {call.tenant.tenant_id, type, id, key}),
          "tag delete");
  Response r;
  r.status = 204;
  return r;
}

Response tags_route(Call& call) {
  Query query(call.request);
  Page page = read_page(query);
  Where w;
  w.add("tenant_id = ?", call.tenant.tenant_id);
  if (auto v = query.get("entity_type")) {
    if (*v != "resource" && *v != "identity") {
      bad_parameter("entity_type", "expected resource or identity, got " + json_quoted(*v));
    }
    w.add("entity_type = ?", *v);
  }
  if (auto v = query.get("tag_key")) w.add("tag_key = ?", *v);
  std::int64_t total =
      count_rows(call.db, "SELECT COUNT(*) FROM tags" + w.sql, w.params, "tag count");
  storage::Params params = with_page(w.params, page);
  auto rows = checked(call.db.query(std::string("SELECT ") + kTagColumns + " FROM tags" + w.sql +
                                        " ORDER BY tag_id LIMIT ? OFFSET ?",
                                    params),
                      "tags");
  json items = json::array();
  for (const auto& r : rows) items.push_back(tag_json(r));
  return json_response(page_envelope(std::move(items), total, page));
}

Response tag_keys_route(Call& call) {
  auto rows = checked(call.db.query("SELECT tag_key FROM tags WHERE tenant_id = ? "
                                    "GROUP BY tag_key ORDER BY " +
                                        bytewise(call.db, "tag_key"),
                                    {call.tenant.tenant_id}),
                      "tag keys");
  json keys = json::array();
  for (const auto& r : rows) keys.push_back(r.get_text(0));
  return json_response({{"keys", keys}});
}

Response tag_values_route(Call& call) {
  Query query(call.request);
  std::string key = path_param(call.request, "tag_key");
  Where w;
  w.add("tenant_id = ?", call.tenant.tenant_id);
  w.add("tag_key = ?", key);
  if (auto q = query.get("q"); q && !q->empty()) {
    std::string pattern = "%";
    for (char c : *q) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += c;
    }
    w.add("tag_value LIKE ? ESCAPE '\\'", pattern + "%");
  }
  auto rows =
      checked(call.db.query("SELECT tag_value FROM tags" + w.sql + " GROUP BY tag_value ORDER BY " +
                                bytewise(call.db, "tag_value"),
                            w.params),
              "tag values");
  json values = json::array();
  for (const auto& r : rows) values.push_back(r.get_text(0));
  return json_response({{"values", values}});
}

Response bulk_tags_route(Call& call) {
  json body = read_body_object(call.request);
  auto items = body.find("items");
  if (items == body.end() || !items->is_array()) unprocessable("items", "must be an array");
  if (items->empty() || items->size() > 10000) unprocessable("items", "needs 1 to 10000 items");
  bool override_existing = bool_field(body, "override_existing");
  std::string created_by = string_field(body, "created_by", 100, false, "api");
  struct Item {
    std::string type, id, key, value;
  };
  std::vector<Item> parsed;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const json& item = (*items)[i];
    const std::string at = "items[" + std::to_string(i) + "]";
    if (!item.is_object()) unprocessable(at, "must be an object");
    Item it;
    it.type = string_field(item, "entity_type", 20, true);
    if (it.type != "resource" && it.type != "identity") {
      unprocessable(at + ".entity_type", "must be resource or identity");
    }
    it.id = string_field(item, "entity_id", 500, true);
    it.key = tag_key_field(item, "tag_key");
    it.value = string_field(item, "tag_value", 500, true);
    parsed.push_back(std::move(it));
  }
  storage::Transaction tx(call.db);
  checked(tx.begin_status(), "bulk tags");
  BulkCounts counts;
  for (const Item& it : parsed) {
    if (!entity_exists(call, it.type, it.id)) {
      ++counts.skipped;  // unknown entity
      continue;
    }
    apply(call, counts, override_existing, it.type, it.id, it.key, it.value, created_by);
  }
  checked(tx.commit(), "bulk tags");
  return json_response(counts_json(counts));
}

Response bulk_by_filter_route(Call& call) {
  json body = read_body_object(call.request);
  auto opt = [&](const char* name) -> std::optional<std::string> {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) unprocessable(name, "must be a string");
    return it->get<std::string>();
  };
  ChargebackFilter filter;
  filter.range = read_date_range(opt("start_date"), opt("end_date"), opt("timezone"));
  for (const auto& column : chargeback_filter_columns()) {
    if (auto v = opt(column.c_str())) add_filter_value(filter, column, *v);
  }
  std::string key = tag_key_field(body, "tag_key");
  // The original named the value display_name; tag_value is accepted as well.
  std::string value = body.contains("tag_value") ? string_field(body, "tag_value", 500, true)
                                                 : string_field(body, "display_name", 500, true);
  std::string created_by = string_field(body, "created_by", 100, false, "api");
  bool override_existing = bool_field(body, "override_existing");

  Where w = chargeback_where(call, filter);
  auto& db = call.db;
  auto rows =
      checked(db.query("SELECT d.resource_id, d.identity_id" + std::string(kFactsJoin) + w.sql +
                           " GROUP BY d.resource_id, d.identity_id ORDER BY " +
                           bytewise(db, "d.resource_id") + ", " + bytewise(db, "d.identity_id"),
                       w.params),
              "chargebacks for bulk-by-filter");
  storage::Transaction tx(db);
  checked(tx.begin_status(), "bulk-by-filter");
  BulkCounts counts;
  json errors = json::array();
  std::set<std::pair<std::string, std::string>> done;
  for (const auto& r : rows) {
    std::string resource_id = r.get_text(0), identity_id = r.get_text(1);
    std::pair<std::string, std::string> target;
    if (!resource_id.empty() && entity_exists(call, "resource", resource_id)) {
      target = {"resource", resource_id};
    } else if (!identity_id.empty() && entity_exists(call, "identity", identity_id)) {
      target = {"identity", identity_id};
    } else {
      errors.push_back("no known resource " + json_quoted(resource_id) + " or identity " +
                       json_quoted(identity_id));
      continue;
    }
    if (!done.insert(target).second) continue;
    apply(call, counts, override_existing, target.first, target.second, key, value, created_by);
  }
  checked(tx.commit(), "bulk-by-filter");
  json out = counts_json(counts);
  out["errors"] = std::move(errors);
  return json_response(out);
}

}  // namespace chitragupt::report
