#pragma once
// The tags of a tenant's resources and identities, as a chargeback row sees them.
//
// A chargeback row carries the tags of its resource and of its identity; when both have the
// same key the resource's value wins (bulk-by-filter also tags the resource first). The SQL
// filter (row_tag_value_sql) and the in-memory index apply the same rule.

#include <map>
#include <string>
#include <unordered_map>

#include "storage/database.hpp"

namespace chitragupt::report {

using TagMap = std::map<std::string, std::string>;

class TagIndex {
 public:
  // Every tag of `tenant_id`.
  static TagIndex load(storage::Database& db, const std::string& tenant_id);

  TagMap for_row(const std::string& resource_id, const std::string& identity_id) const;
  // nullptr when neither the resource nor the identity has `key`.
  const std::string* value(const std::string& resource_id, const std::string& identity_id,
                           const std::string& key) const;
  const TagMap* of(const std::string& entity_type, const std::string& entity_id) const;

 private:
  std::unordered_map<std::string, TagMap> resources_;
  std::unordered_map<std::string, TagMap> identities_;
};

// SQL giving a row's value of one tag key (NULL when untagged), for rows of
// chargeback_dimensions aliased `d`; binds (tenant_id, key, tenant_id, key).
std::string row_tag_value_sql();
storage::Params row_tag_value_params(const std::string& tenant_id, const std::string& key);

}  // namespace chitragupt::report
