#pragma once
// The gather stage: the tenant's ecosystem fetches its resources, identities and the billing
// of the window (ecosystems/), then they are written in ONE transaction — a gather commits whole or
// not at all. Resources and identities are upserted (created_at / deleted_at / last_seen_at),
// objects missing from a listing are marked deleted only for object types whose listing fully
// succeeded, billing lines are merged on their natural key, and every date of the window is
// marked gathered in pipeline_state (dates whose billing changed are queued for recalculation).

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "ecosystems/ecosystem.hpp"
#include "sources/civil_date.hpp"
#include "storage/database.hpp"

namespace chitragupt::pipeline {

using GatherWindow = ecosystems::DateWindow;

// [today − lookback_days, today − cutoff_days)
GatherWindow gather_window(ccloud::CivilDate today, int lookback_days, int cutoff_days);

struct GatherReport {
  int resources = 0;  // upserted
  int identities = 0;
  int resources_deleted = 0;
  int identities_deleted = 0;
  int billing_lines = 0;
  int billing_inserted = 0;
  int billing_revised = 0;
  int dates_gathered = 0;
  int dates_requeued = 0;
  // Listings that failed without failing the gather (their types skip deletion detection).
  std::vector<std::string> warnings;
};

struct GatherTarget {
  storage::Database& db;
  std::string ecosystem;
  std::string tenant_id;
  std::string tenant_name;  // for logs
};

// zero_gather_deletion_threshold, the original's guard against a listing that comes back empty
// (an outage, a credential that lost its role) marking every object of its type deleted: when a
// complete listing of a type returns nothing, its missing objects are marked deleted only once
// that has happened `threshold` gathers in a row (-1: never; 0: at once). The counts live as
// long as the tenant's collector, as in the original.
struct ZeroGatherGuard {
  int threshold = -1;
  std::map<std::string, int> empty_gathers;  // type -> consecutive complete-but-empty listings
};

// Of the types whose listing completed, those whose missing objects are marked deleted this
// time; counts the empty ones in `guard`.
std::set<std::string> zero_gather_deletable(const std::set<std::string>& complete,
                                            const std::set<std::string>& gathered_types,
                                            ZeroGatherGuard& guard);

// Fails (and writes nothing) when the ecosystem's gather fails or the write fails; listings
// that failed without failing the gather become warnings.
Result<GatherReport> gather_ecosystem(ecosystems::Ecosystem& ecosystem, const GatherTarget& target,
                                      const GatherWindow& window, ZeroGatherGuard* guard = nullptr);

}  // namespace chitragupt::pipeline
