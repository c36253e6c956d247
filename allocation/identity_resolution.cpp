#include "allocation/identity_resolution.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <string_view>
#include <unordered_map>

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

// id -> identity over a chosen part of the inventory. When an id occurs twice the later entry
// wins, as the original's dict did.
class IdentityIndex {
 public:
  template <typename Keep>
  IdentityIndex(const std::vector<Identity>& identities, Keep keep) {
    for (const Identity& identity : identities) {
      if (keep(identity)) by_id_[std::string_view(identity.identity_id)] = &identity;
    }
  }
  const Identity* find(const std::string& id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  }
  // The identity, or a sentinel for an id the inventory does not know.
  Identity lookup_or_sentinel(const ResolveInputs& in, const std::string& id) const {
    const Identity* found = find(id);
    return found ? *found : sentinel_from_id(id, in.ecosystem, in.tenant_id);
  }

 private:
  // Views into the caller's identities, which outlive the index: no string copies.
  std::unordered_map<std::string_view, const Identity*> by_id_;
};

IdentityIndex all_identities(const std::vector<Identity>& identities) {
  return IdentityIndex(identities, [](const Identity&) { return true; });
}

const Resource* find_resource(const std::vector<Resource>& resources, const std::string& id) {
  const Resource* found = nullptr;
  for (const Resource& r : resources) {
    if (r.resource_id == id) found = &r;  // last wins, like the identity index
  }
  return found;
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
  IdentityIndex alive(in.identities, [&in](const Identity& i) {
    return alive_in_window(i.created_at, i.deleted_at, in.window);
  });

  for (const Identity& key : in.identities) {
    if (key.identity_type != "api_key" ||
        !alive_in_window(key.created_at, key.deleted_at, in.window))
      continue;
    if (metadata_value(key.metadata, "resource_id") != in.resource_id) continue;
    const std::string owner_id = metadata_value(key.metadata, "owner_id");
    if (owner_id.empty()) continue;
    add_identity(out.resource_active, alive.lookup_or_sentinel(in, owner_id));
  }

  if (in.metrics == nullptr) return out;
  std::set<std::string> principals;
  for (const MetricRow& row : *in.metrics) {
    const std::string principal = metadata_value(row.labels, "principal_id");
    if (!principal.empty()) principals.insert(principal);
  }
  for (const std::string& principal : principals) {
    const Identity* known = alive.find(principal);
    if (known != nullptr && known->identity_type == "api_key") {
      const std::string owner_id = metadata_value(known->metadata, "owner_id");
      if (owner_id.empty()) continue;  // a key nobody owns names nobody to charge
      add_identity(out.metrics_derived, alive.lookup_or_sentinel(in, owner_id));
      out.api_key_to_owner[principal] = owner_id;
      continue;
    }
    add_identity(out.metrics_derived,
                 known ? *known : sentinel_from_id(principal, in.ecosystem, in.tenant_id));
  }
  return out;
}

IdentityResolution resolve_connector_identity(const ResolveInputs& in) {
  IdentityResolution out;
  const Resource* connector = find_resource(in.resources, in.resource_id);
  if (connector == nullptr) {
    add_identity(out.resource_active, connector_sentinel(in, kConnectorCredentialsMasked, true));
    return out;
  }
  const IdentityIndex identities = all_identities(in.identities);
  const std::string mode = metadata_value(connector->metadata, "kafka_auth_mode");
  Identity owner;
  if (mode == "SERVICE_ACCOUNT") {
    const std::string account = metadata_value(connector->metadata, "kafka_service_account_id");
    owner = account.empty() ? connector_sentinel(in, kConnectorCredentialsUnknown, false)
                            : identities.lookup_or_sentinel(in, account);
  } else if (mode == "KAFKA_API_KEY") {
    auto has_key = connector->metadata.find("kafka_api_key");
    if (has_key == connector->metadata.end()) {
      owner = connector_sentinel(in, kConnectorCredentialsUnknown, false);
    } else if (std::all_of(has_key->second.begin(), has_key->second.end(),
                           [](char c) { return c == '*'; })) {
      // Confluent masks keys with asterisks; an empty key is treated the same way.
      owner = connector_sentinel(in, kConnectorApiKeyMasked, true);
    } else if (const Identity* key = identities.find(has_key->second); key == nullptr) {
      owner = connector_sentinel(in, kConnectorApiKeyNotFound, false);
    } else {
      const std::string owner_id = metadata_value(key->metadata, "owner_id");
      owner = owner_id.empty() ? connector_sentinel(in, kConnectorCredentialsUnknown, false)
                               : identities.lookup_or_sentinel(in, owner_id);
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
  const Resource* cluster = find_resource(in.resources, in.resource_id);
  if (cluster == nullptr) {
    add_identity(out.resource_active, special_sentinel(in, kKsqldbDeleted, "ksqldb_credentials",
                                                       "ksqlDB Deleted When Calculation Started"));
  } else if (cluster->owner_id.empty()) {
    add_identity(
        out.resource_active,
        special_sentinel(in, kKsqldbOwnerUnknown, "ksqldb_credentials", "ksqlDB Owner Unknown"));
  } else {
    add_identity(out.resource_active,
                 all_identities(in.identities).lookup_or_sentinel(in, cluster->owner_id));
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
  const IdentityIndex identities = all_identities(in.identities);

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
      add_identity(out.resource_active, identities.lookup_or_sentinel(in, it->second));
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
    add_identity(out.resource_active, identities.lookup_or_sentinel(in, owner_id));
  }
  return out;
}

IdentityResolution resolve_no_identities(const ResolveInputs&) { return IdentityResolution(); }

IdentitySet tenant_period_identities(const std::vector<Identity>& identities,
                                     const TimeWindow& window) {
  IdentitySet out;
  for (const Identity& identity : identities) {
    if (identity.identity_type == "system") continue;
    if (!alive_in_window(identity.created_at, identity.deleted_at, window)) continue;
    add_identity(out, identity);
  }
  return out;
}

}  // namespace chitragupt::allocation
