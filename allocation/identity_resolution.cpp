#include "allocation/identity_resolution.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace chitragupt::allocation {

namespace {

const std::string kConnectorCredentialsUnknown = "connector_credentials_unknown";
const std::string kConnectorCredentialsMasked = "connector_credentials_masked";
const std::string kConnectorApiKeyMasked = "connector_api_key_masked";
const std::string kConnectorApiKeyNotFound = "connector_api_key_not_found";
const std::string kKsqldbDeleted = "ksqldb_deleted_when_calc_started";
const std::string kKsqldbOwnerUnknown = "ksqldb_owner_unknown";
const std::string kFlinkOwnerUnknown = "flink_stmt_owner_unknown";

std::string metadata_value(const std::map<std::string, std::string>& metadata,
                           const std::string& key) {
  auto it = metadata.find(key);
  return it == metadata.end() ? std::string() : it->second;
}

Identity special_sentinel(const ResolveInputs& in, const std::string& id, const std::string& type,
                          const std::string& display_name) {
  Identity identity;
  identity.ecosystem = in.ecosystem;
  identity.tenant_id = in.tenant_id;
  identity.identity_id = id;
  identity.identity_type = type;
  identity.display_name = display_name;
  return identity;
}

Identity connector_sentinel(const ResolveInputs& in, const std::string& id, bool masked) {
  return special_sentinel(
      in, id, "connector_credentials",
      masked ? "Connector Credentials Masked" : "Connector Credentials Unknown");
}

// The caller's index when it indexes these very vectors, else one built for this call.
class IndexFor {
 public:
  explicit IndexFor(const ResolveInputs& in) {
    if (in.inventory_index != nullptr && in.inventory_index->indexes(in.resources, in.identities)) {
      index_ = in.inventory_index;
    } else {
      index_ = &local_.emplace(in.resources, in.identities);
    }
  }
  const InventoryIndex& operator*() const { return *index_; }
  const InventoryIndex* operator->() const { return index_; }

 private:
  std::optional<InventoryIndex> local_;
  const InventoryIndex* index_ = nullptr;
};

// The identity, or a sentinel for an id the inventory does not know.
Identity known_or_sentinel(const ResolveInputs& in, const Identity* known, const std::string& id) {
  return known ? *known : sentinel_from_id(id, in.ecosystem, in.tenant_id);
}

const Resource* find_resource(const InventoryIndex& index, const std::string& id) {
  const auto& found = index.resources_with_id(id);
  return found.empty() ? nullptr : found.back();  // last wins, like identities
}

// Sum of values in ascending order, so the float result does not depend on row order.
double ordered_sum(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;
  return sum;
}

}  // namespace

IdentitySet IdentityResolution::merged_active() const {
  IdentitySet merged = resource_active;
  for (const auto& [id, identity] : metrics_derived) merged.insert_or_assign(id, identity);
  return merged;
}

IdentityResolution resolve_api_key_identities(const ResolveInputs& in) {
  IdentityResolution out;
  const IndexFor index(in);
  auto alive = [&](std::string_view id) { return index->identity_alive(id, in.window); };
  // An id may be reached many times (an owner through each of its keys, a principal seen
  // directly too) and always resolves to the same identity, so the ids are collected, sorted
  // and made into identities once each, in order: no set is searched per key or principal.
  struct Charged {
    std::string_view id;
    const Identity* known;  // the identity if already looked up
    bool look_up;           // an owner: look it up once deduplicated
  };
  auto fill = [&](IdentitySet& set, std::vector<Charged>& charged) {
    std::stable_sort(charged.begin(), charged.end(),
                     [](const Charged& a, const Charged& b) { return a.id < b.id; });
    for (std::size_t i = 0; i < charged.size(); ++i) {
      if (i > 0 && charged[i].id == charged[i - 1].id) continue;
      const std::string id(charged[i].id);
      const Identity* known = charged[i].look_up ? alive(id) : charged[i].known;
      set.emplace_hint(set.end(), id, known_or_sentinel(in, known, id));
    }
  };

  std::vector<Charged> charged;
  for (const Identity* key : index->api_keys_of(in.resource_id)) {
    if (!alive_in_window(key->created_at, key->deleted_at, in.window)) continue;
    auto owner = key->metadata.find("owner_id");
    if (owner == key->metadata.end() || owner->second.empty()) continue;
    charged.push_back({owner->second, nullptr, true});
  }
  fill(out.resource_active, charged);

  if (in.metrics == nullptr) return out;
  std::optional<MetricsIndex> local_metrics;
  const MetricsIndex& metrics =
      in.metrics_index ? *in.metrics_index : local_metrics.emplace(*in.metrics);
  charged.clear();
  for (const std::string& principal : metrics.principals()) {  // ascending, each once
    const Identity* known = alive(principal);
    if (known != nullptr && known->identity_type == "api_key") {
      auto owner = known->metadata.find("owner_id");
      if (owner == known->metadata.end() || owner->second.empty()) {
        continue;  // a key nobody owns names nobody to charge
      }
      charged.push_back({owner->second, nullptr, true});
      out.api_key_to_owner.emplace_hint(out.api_key_to_owner.end(), principal, owner->second);
      continue;
    }
    charged.push_back({principal, known, false});
  }
  fill(out.metrics_derived, charged);
  return out;
}

IdentityResolution resolve_connector_identity(const ResolveInputs& in) {
  IdentityResolution out;
  const IndexFor index(in);
  const Resource* connector = find_resource(*index, in.resource_id);
  if (connector == nullptr) {
    add_identity(out.resource_active, connector_sentinel(in, kConnectorCredentialsMasked, true));
    return out;
  }
  auto lookup_or_sentinel = [&](const std::string& id) {
    return known_or_sentinel(in, index->identity(id), id);
  };
  const std::string mode = metadata_value(connector->metadata, "kafka_auth_mode");
  Identity owner;
  if (mode == "SERVICE_ACCOUNT") {
    const std::string account = metadata_value(connector->metadata, "kafka_service_account_id");
    owner = account.empty() ? connector_sentinel(in, kConnectorCredentialsUnknown, false)
                            : lookup_or_sentinel(account);
  } else if (mode == "KAFKA_API_KEY") {
    auto has_key = connector->metadata.find("kafka_api_key");
    if (has_key == connector->metadata.end() || has_key->second.empty()) {
      // No key, or an empty one: the original's connector_credentials_unknown.
      owner = connector_sentinel(in, kConnectorCredentialsUnknown, false);
    } else if (std::all_of(has_key->second.begin(), has_key->second.end(),
                           [](char c) { return c == '*'; })) {
      // Confluent masks keys with asterisks.
      owner = connector_sentinel(in, kConnectorApiKeyMasked, true);
    } else if (const Identity* key = index->identity(has_key->second); key == nullptr) {
      owner = connector_sentinel(in, kConnectorApiKeyNotFound, false);
    } else {
      const std::string owner_id = metadata_value(key->metadata, "owner_id");
      owner = owner_id.empty() ? connector_sentinel(in, kConnectorCredentialsUnknown, false)
                               : lookup_or_sentinel(owner_id);
    }
  } else {
    // Unknown or missing mode: charge the connector itself, so each connector stays visible.
    owner = connector_sentinel(in, connector->resource_id, false);
  }
  add_identity(out.resource_active, std::move(owner));
  return out;
}

IdentityResolution resolve_ksqldb_identity(const ResolveInputs& in) {
  IdentityResolution out;
  const IndexFor index(in);
  const Resource* cluster = find_resource(*index, in.resource_id);
  if (cluster == nullptr) {
    add_identity(out.resource_active, special_sentinel(in, kKsqldbDeleted, "ksqldb_credentials",
                                                       "ksqlDB Deleted When Calculation Started"));
  } else if (cluster->owner_id.empty()) {
    add_identity(
        out.resource_active,
        special_sentinel(in, kKsqldbOwnerUnknown, "ksqldb_credentials", "ksqlDB Owner Unknown"));
  } else {
    add_identity(out.resource_active,
                 known_or_sentinel(in, index->identity(cluster->owner_id), cluster->owner_id));
  }
  return out;
}

IdentityResolution resolve_flink_identity(const ResolveInputs& in) {
  IdentityResolution out;
  const std::string& pool = in.resource_id;

  // The pool's statements alive in the window, in id order so that name clashes resolve the
  // same way every time.
  std::vector<const Resource*> statements;
  for (const Resource& r : in.resources) {
    if (r.resource_type != "flink_statement") continue;
    auto pool_of = r.metadata.find("compute_pool_id");
    const std::string& statement_pool = pool_of != r.metadata.end() ? pool_of->second : r.parent_id;
    if (statement_pool != pool || !alive_in_window(r.created_at, r.deleted_at, in.window)) continue;
    statements.push_back(&r);
  }
  std::sort(statements.begin(), statements.end(),
            [](const Resource* a, const Resource* b) { return a->resource_id < b->resource_id; });
  auto owner_of = [](const Resource& statement) {
    return statement.owner_id.empty() ? metadata_value(statement.metadata, "owner_id")
                                      : statement.owner_id;
  };
  const IndexFor index(in);
  auto lookup_or_sentinel = [&](const std::string& id) {
    return known_or_sentinel(in, index->identity(id), id);
  };

  // Primary path: CFU per statement name from metrics.
  std::map<std::string, std::vector<double>> cfu_samples;
  if (in.metrics != nullptr) {
    bool has_primary = false;
    for (const MetricRow& row : *in.metrics) has_primary |= row.metric_key == "flink_cfu_primary";
    const std::string key = has_primary ? "flink_cfu_primary" : "flink_cfu_fallback";
    for (const MetricRow& row : *in.metrics) {
      if (row.metric_key != key || metadata_value(row.labels, "compute_pool_id") != pool) continue;
      if (!(row.value > 0) || !std::isfinite(row.value)) continue;
      const std::string name = metadata_value(row.labels, "flink_statement_name");
      if (!name.empty()) cfu_samples[name].push_back(row.value);
    }
  }
  if (!cfu_samples.empty()) {
    std::map<std::string, std::string> owner_by_name;
    for (const Resource* s : statements) {
      const std::string name =
          s->display_name.empty() ? metadata_value(s->metadata, "statement_name") : s->display_name;
      if (!name.empty()) owner_by_name[name] = owner_of(*s);
    }
    for (auto& [name, samples] : cfu_samples) {
      const double cfu = ordered_sum(std::move(samples));
      auto it = owner_by_name.find(name);
      if (it == owner_by_name.end() || it->second.empty()) {
        add_identity(out.resource_active,
                     special_sentinel(in, kFlinkOwnerUnknown, "flink_statement_owner",
                                      "Flink Statement Owner Unknown"));
        out.stmt_owner_cfu[kFlinkOwnerUnknown] += cfu;
        continue;
      }
      add_identity(out.resource_active, lookup_or_sentinel(it->second));
      out.stmt_owner_cfu[it->second] += cfu;
    }
    return out;
  }

  // Secondary path: every running statement weighs 1.0 for its owner.
  for (const Resource* s : statements) {
    if (metadata_value(s->metadata, "is_stopped") == "true") continue;
    const std::string owner_id = owner_of(*s);
    if (owner_id.empty()) continue;
    out.stmt_owner_cfu[owner_id] += 1.0;
    add_identity(out.resource_active, lookup_or_sentinel(owner_id));
  }
  return out;
}

IdentityResolution resolve_no_identities(const ResolveInputs&) { return IdentityResolution(); }

bool is_owner_type(const std::string& type) {
  return type == "service_account" || type == "user" || type == "identity_pool" ||
         type == "principal";
}

IdentitySet tenant_period_identities(const std::vector<Identity>& identities,
                                     const TimeWindow& window, bool owner_types_only) {
  IdentitySet out;
  for (const Identity& identity : identities) {
    if (identity.identity_type == "system") continue;
    if (owner_types_only && !is_owner_type(identity.identity_type)) continue;
    if (!alive_in_window(identity.created_at, identity.deleted_at, window)) continue;
    // The inventory usually comes in id order: then each id goes at the end, found in O(1).
    if (out.empty() || out.rbegin()->first < identity.identity_id) {
      out.emplace_hint(out.end(), identity.identity_id, identity);
    } else {
      add_identity(out, identity);
    }
  }
  return out;
}

}  // namespace chitragupt::allocation
