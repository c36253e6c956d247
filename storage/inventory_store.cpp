#include "storage/inventory_store.hpp"

namespace chitragupt::storage {
namespace {

Value text_or_null(const std::string& s) {
  if (s.empty()) return std::monostate{};
  return s;
}

Result<std::set<std::string>> existing_ids(Database& db, const std::string& sql,
                                           const Params& params) {
  auto rows = db.query(sql, params);
  if (!rows) return rows.status();
  std::set<std::string> ids;
  for (const auto& r : *rows) ids.insert(r.get_text(0));
  return ids;
}

// Marks deleted the active rows of `types` whose id is not in `seen`.
Result<int> mark_missing(Database& db, const std::string& select_sql, const std::string& update_sql,
                         const std::string& ecosystem, const std::string& tenant_id,
                         const std::set<std::string>& types, const std::set<std::string>& seen,
                         const std::string& now) {
  auto update = db.prepare(update_sql);
  if (!update) return update.status();
  int deleted = 0;
  for (const auto& type : types) {
    auto rows = db.query(select_sql, {ecosystem, tenant_id, type});
    if (!rows) return rows.status();
    for (const auto& r : *rows) {
      std::string id = r.get_text(0);
      if (seen.count(id)) continue;
      if (auto s = (*update)->execute({now, ecosystem, tenant_id, id}); !s) return s;
      ++deleted;
    }
  }
  return deleted;
}

}  // namespace

Result<UpsertCounts> InventoryStore::upsert_resources(const std::vector<ResourceRecord>& records,
                                                      const std::string& now) {
  auto existing =
      existing_ids(db_, "SELECT resource_id FROM resources WHERE ecosystem = ? AND tenant_id = ?",
                   {ecosystem_, tenant_id_});
  if (!existing) return existing.status();
  auto stmt = db_.prepare(
      "INSERT INTO resources (ecosystem, tenant_id, resource_id, resource_type, display_name, "
      "parent_id, owner_id, status, cloud, region, created_at, deleted_at, last_seen_at, "
      "metadata_json) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, NULL, ?, ?) "
      "ON CONFLICT (ecosystem, tenant_id, resource_id) DO UPDATE SET "
      "resource_type = excluded.resource_type, display_name = excluded.display_name, "
      "parent_id = excluded.parent_id, owner_id = excluded.owner_id, status = 'active', "
      "cloud = excluded.cloud, region = excluded.region, "
      "created_at = COALESCE(excluded.created_at, resources.created_at), deleted_at = NULL, "
      "last_seen_at = excluded.last_seen_at, metadata_json = excluded.metadata_json");
  if (!stmt) return stmt.status();
  UpsertCounts counts;
  for (const auto& r : records) {
    auto s = (*stmt)->execute(
        {ecosystem_, tenant_id_, r.resource_id, r.resource_type, text_or_null(r.display_name),
         text_or_null(r.parent_id), text_or_null(r.owner_id), text_or_null(r.cloud),
         text_or_null(r.region), text_or_null(r.created_at), now, text_or_null(r.metadata_json)});
    if (!s) return s;
    (existing->count(r.resource_id) ? counts.updated : counts.inserted)++;
  }
  return counts;
}

Result<UpsertCounts> InventoryStore::upsert_identities(const std::vector<IdentityRecord>& records,
                                                       const std::string& now) {
  auto existing =
      existing_ids(db_, "SELECT identity_id FROM identities WHERE ecosystem = ? AND tenant_id = ?",
                   {ecosystem_, tenant_id_});
  if (!existing) return existing.status();
  auto stmt = db_.prepare(
      "INSERT INTO identities (ecosystem, tenant_id, identity_id, identity_type, display_name, "
      "created_at, deleted_at, last_seen_at, metadata_json) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?) "
      "ON CONFLICT (ecosystem, tenant_id, identity_id) DO UPDATE SET "
      "identity_type = excluded.identity_type, display_name = excluded.display_name, "
      "created_at = COALESCE(excluded.created_at, identities.created_at), deleted_at = NULL, "
      "last_seen_at = excluded.last_seen_at, metadata_json = excluded.metadata_json");
  if (!stmt) return stmt.status();
  UpsertCounts counts;
  for (const auto& r : records) {
    auto s = (*stmt)->execute({ecosystem_, tenant_id_, r.identity_id, r.identity_type,
                               text_or_null(r.display_name), text_or_null(r.created_at), now,
                               text_or_null(r.metadata_json)});
    if (!s) return s;
    (existing->count(r.identity_id) ? counts.updated : counts.inserted)++;
  }
  return counts;
}

Result<int> InventoryStore::mark_missing_resources_deleted(const std::set<std::string>& types,
                                                           const std::set<std::string>& seen,
                                                           const std::string& now) {
  return mark_missing(db_,
                      "SELECT resource_id FROM resources WHERE ecosystem = ? AND tenant_id = ? "
                      "AND resource_type = ? AND status = 'active' ORDER BY resource_id",
                      "UPDATE resources SET status = 'deleted', deleted_at = ? "
                      "WHERE ecosystem = ? AND tenant_id = ? AND resource_id = ?",
                      ecosystem_, tenant_id_, types, seen, now);
}

Result<int> InventoryStore::mark_missing_identities_deleted(const std::set<std::string>& types,
                                                            const std::set<std::string>& seen,
                                                            const std::string& now) {
  return mark_missing(db_,
                      "SELECT identity_id FROM identities WHERE ecosystem = ? AND tenant_id = ? "
                      "AND identity_type = ? AND deleted_at IS NULL ORDER BY identity_id",
                      "UPDATE identities SET deleted_at = ? "
                      "WHERE ecosystem = ? AND tenant_id = ? AND identity_id = ?",
                      ecosystem_, tenant_id_, types, seen, now);
}

Result<std::vector<ResourceRecord>> InventoryStore::resources_alive(const std::string& start,
                                                                    const std::string& end) {
  auto rows = db_.query(
      "SELECT resource_id, resource_type, display_name, parent_id, owner_id, status, cloud, "
      "region, created_at, deleted_at, last_seen_at, metadata_json FROM resources "
      "WHERE ecosystem = ? AND tenant_id = ? AND (created_at IS NULL OR created_at < ?) "
      "AND (deleted_at IS NULL OR deleted_at >= ?) ORDER BY resource_id",
      {ecosystem_, tenant_id_, end, start});
  if (!rows) return rows.status();
  std::vector<ResourceRecord> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    out.push_back({r.get_text(0), r.get_text(1), r.get_text(2), r.get_text(3), r.get_text(4),
                   r.get_text(5), r.get_text(6), r.get_text(7), r.get_text(8), r.get_text(9),
                   r.get_text(10), r.get_text(11)});
  }
  return out;
}

Result<std::vector<IdentityRecord>> InventoryStore::identities_alive(const std::string& start,
                                                                     const std::string& end) {
  auto rows = db_.query(
      "SELECT identity_id, identity_type, display_name, created_at, deleted_at, last_seen_at, "
      "metadata_json FROM identities WHERE ecosystem = ? AND tenant_id = ? "
      "AND (created_at IS NULL OR created_at < ?) AND (deleted_at IS NULL OR deleted_at >= ?) "
      "ORDER BY identity_id",
      {ecosystem_, tenant_id_, end, start});
  if (!rows) return rows.status();
  std::vector<IdentityRecord> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    out.push_back({r.get_text(0), r.get_text(1), r.get_text(2), r.get_text(3), r.get_text(4),
                   r.get_text(5), r.get_text(6)});
  }
  return out;
}

Result<std::int64_t> InventoryStore::count_resources(bool active_only) {
  auto rows = db_.query(active_only ? "SELECT count(*) FROM resources WHERE ecosystem = ? AND "
                                      "tenant_id = ? AND status = 'active'"
                                    : "SELECT count(*) FROM resources WHERE ecosystem = ? AND "
                                      "tenant_id = ?",
                        {ecosystem_, tenant_id_});
  if (!rows) return rows.status();
  return rows->empty() ? 0 : rows->front().get_int(0);
}

Result<std::int64_t> InventoryStore::count_identities(bool active_only) {
  auto rows = db_.query(active_only ? "SELECT count(*) FROM identities WHERE ecosystem = ? AND "
                                      "tenant_id = ? AND deleted_at IS NULL"
                                    : "SELECT count(*) FROM identities WHERE ecosystem = ? AND "
                                      "tenant_id = ?",
                        {ecosystem_, tenant_id_});
  if (!rows) return rows.status();
  return rows->empty() ? 0 : rows->front().get_int(0);
}

}  // namespace chitragupt::storage
