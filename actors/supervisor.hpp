#pragma once
// The supervisor: the root of the actor tree. It spawns one tenant actor per configured
// tenant, keeps an up-to-date snapshot of their health (tenants push changes; a heartbeat
// finds stuck ones), restarts a failed tenant with exponential backoff (1 s doubling to
// 5 min), applies config reloads (new tenants started, removed ones stopped, changed ones
// restarted, unchanged ones untouched), and answers the HTTP front end's questions without
// ever blocking on a tenant: report requests are delegated to the tenant actor that owns the
// database (or answered 404/503 here), and the per-tenant run figures for /metrics are kept here,
// so they survive tenant restarts. It owns the blocking pool (actors/blocking_pool.hpp) that runs
// every tenant's blocking work, sized from the cores and features.max_parallel_tenants.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/engine_options.hpp"
#include "actors/tenant.hpp"
#include "config/config.hpp"
#include "messages/protocol.hpp"

namespace chitragupt::actors {

// How tenant actors are created; tests substitute their own.
using TenantFactory = std::function<caf::actor(caf::actor_system&, caf::actor supervisor,
                                               const config::TenantConfig&, const TenantOptions&)>;
TenantFactory default_tenant_factory();

struct TenantSlot {
  config::TenantConfig config;
  std::string fingerprint;  // tenant config + the features that shape its collector
  caf::actor actor;         // empty while waiting for a restart
  messages::TenantHealth health;
  std::uint64_t generation = 0;  // bumps on every (re)start; stale timers and replies are ignored
  int failures = 0;              // consecutive failures, for the backoff
  std::optional<std::chrono::steady_clock::time_point> up_since;
  std::optional<std::chrono::steady_clock::time_point> restart_due;
  std::optional<config::TenantConfig> replacement;  // reload: start once the old one is down
  bool removing = false;
  bool run_once_done = false;
};

// A tenant's pipeline figures, accumulated from the RunFigures its actor pushes.
struct RunTally {
  std::map<std::string, std::int64_t> runs_by_status;
  std::vector<std::int64_t> duration_buckets;  // per messages::run_duration_buckets()
  std::int64_t duration_count = 0;
  double duration_sum_s = 0;
  std::optional<double> last_success_unix_s;
  std::int64_t rows_written = 0;
};

// How old the /health snapshot may be when a tenant's state has changed since it was taken: a
// change shows in /health and /ready within this time (a reload, a failed reload and the stop at
// once). Rebuilding at most this often keeps /health cheap with thousands of tenants changing.
inline constexpr std::chrono::milliseconds kHealthSnapshotMaxAge{100};

struct SupervisorState {
  config::Config config;
  EngineOptions options;
  TenantFactory factory;
  std::vector<std::string> order;  // config order
  std::map<std::string, TenantSlot> slots;
  std::map<std::string, RunTally> tallies;  // by tenant name; dropped with the tenant
  caf::actor pool;                          // the blocking pool, linked; ends with the stop
  std::string loaded_at;
  std::optional<messages::ReloadStatus> last_reload;
  bool stopping = false;
  std::vector<caf::response_promise> stop_promises;
  bool run_once_reported = false;
  // The shared health snapshot (health_snapshot_atom): rebuilt on a request when something
  // changed (or a restart countdown runs) and it is older than kHealthSnapshotMaxAge; reset to
  // force a rebuild at the next request.
  std::shared_ptr<const messages::HealthReport> health_snapshot;
  std::uint64_t health_version = 0;
  std::chrono::steady_clock::time_point health_built;
  bool health_changed = true;
  bool health_counting_down = false;  // a tenant waits for a restart: next_restart_in_s moves
};

caf::behavior supervisor_actor(caf::stateful_actor<SupervisorState>* self, config::Config config,
                               EngineOptions options, TenantFactory factory);

// Spawns the supervisor (with the default tenant factory unless one is given).
caf::actor spawn_supervisor(caf::actor_system& system, config::Config config, EngineOptions options,
                            TenantFactory factory = {});

// The backoff before restart number `failures` (1-based): base * 2^(failures-1), capped.
std::chrono::milliseconds restart_delay(int failures, std::chrono::milliseconds base,
                                        std::chrono::milliseconds max);

}  // namespace chitragupt::actors
