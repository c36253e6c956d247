#pragma once
// The tenant actor: owns one tenant's database. It starts a migrator child, and once the
// schema is at head it answers queries about the tenant and (worker/both modes) starts the
// collector child. Every state change is pushed to the supervisor as a TenantHealth.
// It answers the report API (report::handle on its own connection) and starts a pipeline run
// on request (pipeline/run) when it has a collector.
// It quits with an error when the tenant cannot run (migration failed or refused, a child
// crashed): the supervisor then restarts it with backoff. It runs detached, so a slow
// database query stalls only this tenant.

#include <chrono>
#include <memory>
#include <optional>
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
  // How often the tenant checks that its database still answers; after a failure the check
  // backs off (doubling) up to db_check_max while the tenant reports `degraded`.
  std::chrono::milliseconds db_check_interval{5000};
  std::chrono::milliseconds db_check_max{30000};
  config::PreviewConfig preview;  // where FOCUS exports go (focus/jobs.hpp)
};

struct TenantActorState {
  config::TenantConfig config;
  messages::TenantHealth health;
  std::unique_ptr<storage::Database> db;  // for queries, opened after migration
  // FOCUS export jobs, created on first use.
  std::shared_ptr<focus::ExportJobs> focus_jobs;
  caf::actor collector;
  // Requested when this actor ends (stopped, removed or restarted by a reload, failed): the
  // collector's run in progress is interrupted at once instead of running on.
  std::shared_ptr<StopSource> stop;
  std::vector<caf::actor> readers;  // report readers (actors/report_reader.hpp), linked
  std::size_t next_reader = 0;
  std::chrono::milliseconds db_check_delay{0};  // current delay; grows while the db is down
  bool db_down = false;
  bool run_requested = false;  // pipeline/run sent the collector a run it has not finished
  std::optional<std::chrono::steady_clock::time_point> run_started;  // the run in progress
};

caf::behavior tenant_actor(caf::stateful_actor<TenantActorState>* self, caf::actor supervisor,
                           config::TenantConfig config, TenantOptions options);

}  // namespace chitragupt::actors
