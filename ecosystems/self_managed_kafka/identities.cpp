#include "ecosystems/self_managed_kafka/identities.hpp"

#include <memory>

#include <nlohmann/json.hpp>

#include "allocation/metrics_index.hpp"

namespace chitragupt::ecosystems::self_managed_kafka {

storage::IdentityRecord principal_identity(const IdentitySettings& identity,
                                           const std::string& principal, bool with_raw) {
  storage::IdentityRecord r;
  r.identity_id = principal;
  r.identity_type = "principal";
  const std::string team = identity.team_of(principal);
  r.display_name = team != identity.default_team ? team : principal;
  nlohmann::json meta = nlohmann::json::object();
  if (with_raw) meta["raw_principal"] = principal;
  meta["team"] = team;
  r.metadata_json = meta.dump();
  return r;
}

std::vector<storage::IdentityRecord> static_identities(const IdentitySettings& identity,
                                                       bool no_principals_found) {
  std::vector<storage::IdentityRecord> out;
  const bool wanted = identity.uses_static() || no_principals_found;
  if (!wanted) return out;
  for (const auto& s : identity.static_identities) {
    storage::IdentityRecord r;
    r.identity_id = s.identity_id;
    r.identity_type = s.identity_type;
    r.display_name = s.display_name.empty() ? s.identity_id : s.display_name;
    if (!s.team.empty()) r.metadata_json = nlohmann::json({{"team", s.team}}).dump();
    out.push_back(std::move(r));
  }
  return out;
}

allocation::Resolver principal_resolver(const IdentitySettings& identity, std::string ecosystem) {
  auto settings = std::make_shared<const IdentitySettings>(identity);
  auto name = std::make_shared<const std::string>(std::move(ecosystem));
  return [settings, name](const allocation::ResolveInputs& in) {
    allocation::IdentityResolution out;
    if (settings->uses_prometheus() && in.metrics != nullptr) {
      std::unique_ptr<allocation::MetricsIndex> own;
      const allocation::MetricsIndex* index = in.metrics_index;
      if (index == nullptr) {
        own = std::make_unique<allocation::MetricsIndex>(*in.metrics);
        index = own.get();
      }
      for (const auto& principal : index->principals()) {
        allocation::Identity i;
        i.ecosystem = *name;
        i.tenant_id = in.tenant_id;
        i.identity_id = principal;
        i.identity_type = "principal";
        i.display_name = principal;
        allocation::add_identity(out.metrics_derived, std::move(i));
      }
    }
    const bool statics =
        settings->uses_static() || (out.metrics_derived.empty() && settings->uses_prometheus());
    if (statics) {
      for (const auto& s : settings->static_identities) {
        allocation::Identity i;
        i.ecosystem = *name;
        i.tenant_id = in.tenant_id;
        i.identity_id = s.identity_id;
        i.identity_type = s.identity_type;
        i.display_name = s.display_name.empty() ? s.identity_id : s.display_name;
        allocation::add_identity(out.resource_active, std::move(i));
      }
    }
    return out;
  };
}

}  // namespace chitragupt::ecosystems::self_managed_kafka
