#pragma once
// The tags of a tenant's resources and identities, as a chargeback row sees them.
//
// A chargeback row carries the tags of its resource and of its identity; when both have the
// same key the resource's value wins (bulk-by-filter also tags the resource first). The SQL
// filter (row_tag_value_sql) and the in-memory index apply the same rule.

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "report/request_params.hpp"
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

// A row's values for `groups`, in their order, into `out` (cleared first): a column group reads
// the row's next column from `first_column` on, a tag group the row's tag ("UNTAGGED" when it
// has none).
void row_group_values(const std::vector<GroupBy>& groups, const storage::Row& row,
                      std::size_t first_column, const TagIndex& tags,
                      const std::string& resource_id, const std::string& identity_id,
                      std::vector<std::string>& out);

// Adds to `w`: the entity of `entity_type` ("resource" or "identity", never input) whose id is
// the SQL column `id_column` has tag `key`, with `value` when one is given.
void add_entity_tag_condition(Where& w, const std::string& tenant_id,
                              const std::string& entity_type, const std::string& id_column,
                              const std::string& key, const std::optional<std::string>& value);

}  // namespace chitragupt::report
