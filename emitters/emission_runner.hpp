#pragma once
// The emit stage: for each emitter spec of a tenant, the calculated dates not yet emitted
// (emission_records), emitted once each. A failure is recorded `failed` for the date (retried
// on the next run, attempt_count counting) and reported as a warning: emitters never fail the
// pipeline run (as in the original).

#include <string>
#include <vector>

#include "emitters/emitter_spec.hpp"
#include "storage/database.hpp"

namespace chitragupt::emitters {

struct EmitTarget {
  storage::Database& db;
  std::string ecosystem;
  std::string tenant_id;
  std::string tenant_name;
};

struct EmitReport {
  int dates_emitted = 0;
  int dates_failed = 0;
  std::vector<std::string> warnings;  // "emitter 'x': ...", never a secret
};

// `today` is the UTC date ("YYYY-MM-DD") lookback_days count back from.
EmitReport run_emitters(const EmitTarget& target, const std::vector<EmitterSpec>& specs,
                        const std::string& today);

// Serves render_gauges() at http://host:port/metrics from a background thread, once per
// process and port (later calls for a running port are no-ops). Port 0 picks a free port.
// Returns the bound port.
Result<int> ensure_gauge_listener(const std::string& host, int port);

}  // namespace chitragupt::emitters
