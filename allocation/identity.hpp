#pragma once
// Identity: someone costs can be charged to (cost model reference §1), and the sentinels made
// up for ids the inventory does not know.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "allocation/time_window.hpp"

namespace chitragupt::allocation {

struct Identity {
  std::string ecosystem;
  std::string tenant_id;
  std::string identity_id;
  // Owner types: service_account, user, identity_pool, principal. Others: api_key (metadata
  // owner_id, resource_id), identity_provider, team, system (UNALLOCATED). Never persisted:
  // unknown, connector_credentials, ksqldb_credentials, flink_statement_owner.
  std::string identity_type;
  std::string display_name;
  std::optional<EpochSeconds> created_at;
  std::optional<EpochSeconds> deleted_at;
  std::optional<EpochSeconds> last_seen_at;
  std::map<std::string, std::string> metadata;
};

// id -> identity, iterated in ascending id order: this is what makes every split walk its
// recipients in sorted order. Inserting an id again replaces it (last write wins).
using IdentitySet = std::map<std::string, Identity>;

inline void add_identity(IdentitySet& set, Identity identity) {
  std::string id = identity.identity_id;
  set.insert_or_assign(std::move(id), std::move(identity));
}

// The identity that collects what nobody can be charged for.
inline constexpr std::string_view kUnallocatedId = "UNALLOCATED";
Identity unallocated_identity(const std::string& ecosystem, const std::string& tenant_id);

// A placeholder for an id the inventory does not know; its type comes from the id's prefix
// before the first '-': sa -> service_account, u -> user, pool -> identity_pool, else unknown.
// Display name "Unknown <type>".
Identity sentinel_from_id(const std::string& identity_id, const std::string& ecosystem,
                          const std::string& tenant_id);

}  // namespace chitragupt::allocation
