#pragma once
// Principals as identities, for self_managed_kafka and generic_metrics_only alike (reference
// §4.3, §4.5, §5.2, §5.4): who the gather records, and who a line's allocation may charge.

#include <string>
#include <vector>

#include "allocation/registry.hpp"
#include "ecosystems/self_managed_kafka/settings.hpp"
#include "storage/records.hpp"

namespace chitragupt::ecosystems::self_managed_kafka {

// A principal seen in the metrics: type `principal`, team from principal_to_team (else
// default_team), display name the team when it is not the default, else the principal;
// metadata {raw_principal (when `with_raw`), team}.
storage::IdentityRecord principal_identity(const IdentitySettings& identity,
                                           const std::string& principal, bool with_raw);

// The configured static identities when the source includes them, or (source prometheus) when
// no principal was found and some are configured; display name defaulting to the id, metadata
// {team} when a team is given.
std::vector<storage::IdentityRecord> static_identities(const IdentitySettings& identity,
                                                       bool no_principals_found);

// The identities of a line: metrics_derived = every principal of the line's metrics (value 0
// included) when the source includes Prometheus; resource_active = the static identities when
// the source includes them, or when no principal was measured and some are configured.
allocation::Resolver principal_resolver(const IdentitySettings& identity, std::string ecosystem);

}  // namespace chitragupt::ecosystems::self_managed_kafka
