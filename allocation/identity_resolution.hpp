#pragma once
// Who a billing line involves (cost model reference §6): pure functions over the in-memory
// inventory (resources, identities) and the line's metrics. Every set is an IdentitySet, so
// whoever iterates it sees ids in ascending order.

#include <map>
#include <string>
#include <vector>

#include "allocation/identity.hpp"
#include "allocation/inventory_index.hpp"
#include "allocation/metric_row.hpp"
#include "allocation/metrics_index.hpp"
#include "allocation/resource.hpp"
#include "allocation/time_window.hpp"

namespace chitragupt::allocation {

struct IdentityResolution {
  IdentitySet resource_active;  // owners tied to the resource (API-key owners, connector, ...)
  IdentitySet metrics_derived;  // principals seen in the line's metrics
  IdentitySet tenant_period;    // every non-system identity alive in the window
  // principal (API key id) -> owner id, for keys seen in metrics; usage is charged to owners.
  std::map<std::string, std::string> api_key_to_owner;
  // Flink: statement owner id -> CFU consumed (or 1.0 per running statement without metrics).
  std::map<std::string, double> stmt_owner_cfu;

  // resource_active U metrics_derived; metrics_derived wins where both hold an id.
  IdentitySet merged_active() const;
};

// What a resolver may look at. Not owned: everything must outlive the call.
struct ResolveInputs {
  const std::string& ecosystem;
  const std::string& tenant_id;
  const std::string& resource_id;  // the billing line's resource
  TimeWindow window;
  const std::vector<Resource>& resources;   // the tenant's inventory
  const std::vector<Identity>& identities;  // the tenant's inventory
  const std::vector<MetricRow>* metrics;    // the line's metrics; null: no metrics source
  // Optional indexes of `resources`/`identities` and of `*metrics`, built once for many lines;
  // null: a resolver that needs one builds its own. The results are the same either way.
  const InventoryIndex* inventory_index = nullptr;
  const MetricsIndex* metrics_index = nullptr;
};

// Kafka clusters and Schema Registry. Among identities alive in the window: owners of the
// api_keys whose metadata.resource_id is the resource go to resource_active (owner looked up,
// else sentinel). Each distinct metrics principal_id: an api_key with an owner contributes the
// owner to metrics_derived and api_key_to_owner[key] = owner; an ownerless api_key is dropped;
// any other id (known or sentinel) goes to metrics_derived itself.
IdentityResolution resolve_api_key_identities(const ResolveInputs& in);

// Connectors, by auth mode (resource metadata kafka_auth_mode, one identity in resource_active):
// resource missing -> connector_credentials_masked; SERVICE_ACCOUNT -> the account (lookup or
// sentinel), no account id -> connector_credentials_unknown; KAFKA_API_KEY -> key empty or all
// '*' -> connector_api_key_masked, key unknown -> connector_api_key_not_found, key owner ->
// owner (lookup or sentinel), no owner or no key -> connector_credentials_unknown; any other
// mode -> a sentinel named after the connector's resource id.
IdentityResolution resolve_connector_identity(const ResolveInputs& in);

// ksqlDB clusters: resource missing -> ksqldb_deleted_when_calc_started; no owner_id ->
// ksqldb_owner_unknown; else the owner (lookup or sentinel).
IdentityResolution resolve_ksqldb_identity(const ResolveInputs& in);

// Flink compute pools: CFU per statement from flink_cfu_primary rows (else flink_cfu_fallback)
// with compute_pool_id == pool and value > 0; statement name -> owner through the pool's
// flink_statement resources alive in the window (display_name, else metadata statement_name;
// owner_id, else metadata owner_id); unmapped -> flink_stmt_owner_unknown. Without such
// metrics: each running statement (metadata is_stopped != "true") of the pool weighs 1.0 for
// its owner. Owners go to resource_active and stmt_owner_cfu.
IdentityResolution resolve_flink_identity(const ResolveInputs& in);

// Org-wide and default handlers involve nobody in particular.
IdentityResolution resolve_no_identities(const ResolveInputs& in);

// Every identity alive in the window whose type is not "system" (so never UNALLOCATED). With
// owner_types_only, just those of an owner type: all that a tenant-period tier reads (an
// organisation's API keys outnumber its owners, and copying them for every line cost more than
// the rest of an org-wide line's allocation).
IdentitySet tenant_period_identities(const std::vector<Identity>& identities,
                                     const TimeWindow& window, bool owner_types_only = false);

// The types a tenant-period tier may charge: service_account, user, identity_pool, principal.
bool is_owner_type(const std::string& identity_type);

}  // namespace chitragupt::allocation
