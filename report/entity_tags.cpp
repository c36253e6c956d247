#include "report/entity_tags.hpp"

#include "report/request_params.hpp"

namespace chitragupt::report {

TagIndex TagIndex::load(storage::Database& db, const std::string& tenant_id) {
  auto rows = checked(db.query("SELECT entity_type, entity_id, tag_key, tag_value FROM tags "
                               "WHERE tenant_id = ?",
                               {tenant_id}),
                      "tags");
  TagIndex index;
  for (const auto& r : rows) {
    auto& side = r.get_text(0) == "resource" ? index.resources_ : index.identities_;
    side[r.get_text(1)][r.get_text(2)] = r.get_text(3);
  }
  return index;
}

TagMap TagIndex::for_row(const std::string& resource_id, const std::string& identity_id) const {
  TagMap out;
  if (auto it = identities_.find(identity_id); it != identities_.end()) out = it->second;
  if (auto it = resources_.find(resource_id); it != resources_.end()) {
    for (const auto& [k, v] : it->second) out[k] = v;
  }
  return out;
}

const std::string* TagIndex::value(const std::string& resource_id, const std::string& identity_id,
                                   const std::string& key) const {
  if (auto it = resources_.find(resource_id); it != resources_.end()) {
    if (auto v = it->second.find(key); v != it->second.end()) return &v->second;
  }
  if (auto it = identities_.find(identity_id); it != identities_.end()) {
    if (auto v = it->second.find(key); v != it->second.end()) return &v->second;
  }
  return nullptr;
}

const TagMap* TagIndex::of(const std::string& entity_type, const std::string& entity_id) const {
  const auto& side = entity_type == "resource" ? resources_ : identities_;
  auto it = side.find(entity_id);
  return it == side.end() ? nullptr : &it->second;
}

std::string row_tag_value_sql() {
  return "COALESCE((SELECT t.tag_value FROM tags t WHERE t.tenant_id = ? AND "
         "t.entity_type = 'resource' AND t.entity_id = d.resource_id AND t.tag_key = ?), "
         "(SELECT t.tag_value FROM tags t WHERE t.tenant_id = ? AND "
         "t.entity_type = 'identity' AND t.entity_id = d.identity_id AND t.tag_key = ?))";
}

storage::Params row_tag_value_params(const std::string& tenant_id, const std::string& key) {
  return {tenant_id, key, tenant_id, key};
}

void row_group_values(const std::vector<GroupBy>& groups, const storage::Row& row,
                      std::size_t first_column, const TagIndex& tags,
                      const std::string& resource_id, const std::string& identity_id,
                      std::vector<std::string>& out) {
  out.clear();
  std::size_t column = first_column;
  for (const auto& g : groups) {
    if (g.column.empty()) {
      const std::string* v = tags.value(resource_id, identity_id, g.tag);
      out.push_back(v ? *v : "UNTAGGED");
    } else {
      out.push_back(row.get_text(column++));
    }
  }
}

void add_entity_tag_condition(Where& w, const std::string& tenant_id,
                              const std::string& entity_type, const std::string& id_column,
                              const std::string& key, const std::optional<std::string>& value) {
  std::string sql = "EXISTS (SELECT 1 FROM tags t WHERE t.tenant_id = ? AND t.entity_type = '" +
                    entity_type + "' AND t.entity_id = " + id_column + " AND t.tag_key = ?";
  storage::Params params = {tenant_id, key};
  if (value) {
    sql += " AND t.tag_value = ?";
    params.push_back(*value);
  }
  w.add(sql + ")", params);
}

}  // namespace chitragupt::report
