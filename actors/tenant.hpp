#pragma once
// The tenant actor: one tenant's database and schedule. It starts a migrator child, and once the
// schema is at head it answers queries about the tenant and (worker/both modes) starts the
// collector child. Every state change is pushed to the supervisor as a TenantHealth.
// It answers the report API (report::handle) and starts a pipeline run on request
// (pipeline/run) when it has a collector.
// It quits with an error when the tenant cannot run (migration failed or refused, a child
// crashed): the supervisor then restarts it with backoff.
//
// It runs on the scheduler and never blocks (actors/README.md): each database use is a job on
// the blocking pool with one of the tenant's connections. The tenant has at most
// report_reader_count() connections (GETs use them side by side, issue 14; writes and FOCUS
// export routes one at a time), opens them when a use needs one and closes them all after
// `features.database_idle_timeout` without use, so an idle tenant holds no open database.
// Uses beyond the connections wait in the tenant, in order: a tenant whose database hangs
// occupies at most that many pool workers.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/engine_options.hpp"
#include "config/config.hpp"
#include "focus/jobs.hpp"
#include "messages/protocol.hpp"
#include "storage/database.hpp"

namespace chitragupt::actors {

struct TenantOptions {
  Mode mode = Mode::both;
  bool run_once = false;
  bool periodic_refresh = true;
  int refresh_interval_s = 1800;
  StopToken stop;  // the process's
  // The blocking pool (actors/blocking_pool.hpp) that runs the tenant's database work.
  caf::actor pool;
  // How often the tenant checks that its database still answers while it has connections open;
  // after a failure the check backs off (doubling) up to db_check_max while the tenant reports
  // `degraded`. An idle tenant (no open connection) checks every db_check_idle with a connection
  // it closes straight after.
  std::chrono::milliseconds db_check_interval{5000};
  std::chrono::milliseconds db_check_max{30000};
  std::chrono::milliseconds db_check_idle{60000};
  // features.database_idle_timeout: connections unused this long are closed.
  std::chrono::milliseconds db_idle_timeout{60000};
  config::PreviewConfig preview;  // where FOCUS exports go (focus/jobs.hpp)
};

// One of a tenant's database connections; opened by the pool job that first needs it.
struct TenantConnection {
  std::unique_ptr<storage::Database> db;
};

// A database use waiting for (or holding) a connection. `work` runs on a pool worker and
// returns its result; `done` gets it back in the actor (nullptr when the job threw or the pool
// failed, with the reason in the second argument).
struct TenantDbUse {
  bool exclusive = false;  // writes, FOCUS export routes: one at a time
  bool transient = false;  // close a connection this use had to open once it is done
  bool open = true;        // false: the work needs no database (FOCUS export files)
  std::function<std::shared_ptr<void>(TenantConnection&)> work;
  std::function<void(std::shared_ptr<void>, const std::string&)> done;
};

struct TenantActorState {
  config::TenantConfig config;
  messages::TenantHealth health;
  // FOCUS export jobs, created by the first use (on the pool: it reads their job files).
  std::shared_ptr<std::unique_ptr<focus::ExportJobs>> focus_jobs =
      std::make_shared<std::unique_ptr<focus::ExportJobs>>();
  caf::actor collector;
  // Connections not in use (open or not yet opened), how many are in use, the limit.
  std::vector<std::shared_ptr<TenantConnection>> free_connections;
  std::size_t connections_in_use = 0;
  std::size_t connection_limit = 1;
  bool exclusive_in_use = false;
  std::deque<TenantDbUse> waiting;
  std::uint64_t idle_epoch = 0;  // bumps on each use; an idle-close timer of an older epoch is void
  std::chrono::steady_clock::time_point last_check;
  bool migrated = false;
  // Requested when this actor ends (stopped, removed or restarted by a reload, failed): the
  // collector's run in progress is interrupted at once instead of running on.
  std::shared_ptr<StopSource> stop;
  std::chrono::milliseconds db_check_delay{0};  // current delay; grows while the db is down
  bool db_down = false;
  bool run_requested = false;  // pipeline/run sent the collector a run it has not finished
  std::optional<std::chrono::steady_clock::time_point> run_started;  // the run in progress
};

caf::behavior tenant_actor(caf::stateful_actor<TenantActorState>* self, caf::actor supervisor,
                           config::TenantConfig config, TenantOptions options);

}  // namespace chitragupt::actors
