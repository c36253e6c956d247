#pragma once
// Resources and identities of one tenant (ecosystem + tenant_id): idempotent upserts from a
// gather, deletion detection, and the lookups the calculate stage needs.

#include <set>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace chitragupt::storage {

struct UpsertCounts {
  int inserted = 0;
  int updated = 0;
  int deleted = 0;  // marked deleted
};

class InventoryStore {
 public:
  InventoryStore(Database& db, std::string ecosystem, std::string tenant_id)
      : db_(db), ecosystem_(std::move(ecosystem)), tenant_id_(std::move(tenant_id)) {}

  // Inserts or updates every record, setting last_seen_at = `now`; a record seen again after
  // being marked deleted becomes active again. An empty created_at keeps the stored one.
  Result<UpsertCounts> upsert_resources(const std::vector<ResourceRecord>& records,
                                        const std::string& now);
  Result<UpsertCounts> upsert_identities(const std::vector<IdentityRecord>& records,
                                         const std::string& now);

  // Marks deleted (status, deleted_at = now) every active resource of one of `types` that is
  // not in `seen`. Call it only for types whose listing fully succeeded.
  Result<int> mark_missing_resources_deleted(const std::set<std::string>& types,
                                             const std::set<std::string>& seen,
                                             const std::string& now);
  Result<int> mark_missing_identities_deleted(const std::set<std::string>& types,
                                              const std::set<std::string>& seen,
                                              const std::string& now);

  // Records alive at some point in [start, end): created_at NULL or < end, and deleted_at
  // NULL or >= start. Ordered by id.
  Result<std::vector<ResourceRecord>> resources_alive(const std::string& start,
                                                      const std::string& end);
  Result<std::vector<IdentityRecord>> identities_alive(const std::string& start,
                                                       const std::string& end);
  Result<std::int64_t> count_resources(bool active_only);
  Result<std::int64_t> count_identities(bool active_only);

 private:
  Database& db_;
  std::string ecosystem_;
  std::string tenant_id_;
};

}  // namespace chitragupt::storage
