#pragma once
// The collector: the periodic pipeline of one tenant (gather -> calculate -> emit), a child
// of the tenant actor. It runs on the scheduler; each run is a job on the blocking pool's run
// lane (at most features.max_parallel_tenants at once), and the collector handles nothing else
// until it ends, so runs of a tenant never overlap. The database is opened for a run and closed
// after it.
//
// What a run does is pipeline::run_pipeline's business; this actor owns the schedule, the
// database connection, the pipeline lease (storage/pipeline_lease.hpp), the clean-up of orphaned
// runs and the backoff after repeated gather
// failures (`gather_failure_threshold`).

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "config/config.hpp"
#include "pipeline/run.hpp"
#include "storage/database.hpp"

namespace chitragupt::actors {

struct CollectorOptions {
  bool run_once = false;
  bool periodic = true;
  std::chrono::seconds interval{1800};
  // Retry delay while the database cannot be reached: doubling from 1 s up to this.
  std::chrono::seconds unavailable_retry{30};
  StopToken stop;   // the tenant's: ends a run in progress at once
  caf::actor pool;  // actors/blocking_pool.hpp
};

// What a run uses; only the run's pool job touches it (runs never overlap).
struct CollectorWork {
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<pipeline::SourceCache> sources;
  bool orphans_checked = false;
  bool lease_held = false;  // this connection holds the tenant's pipeline lease (PostgreSQL)
  bool standby_logged = false;
  int gather_failures = 0;  // consecutive
};

struct CollectorState {
  std::shared_ptr<CollectorWork> work = std::make_shared<CollectorWork>();
  std::chrono::seconds retry_delay{0};  // grows while runs fail for want of a database
};

// Sends `run_atom, true` to `tenant` when a run starts and a RunOutcome when it ends, and
// `lease_atom, held` when it takes the tenant's pipeline lease or finds another process holding
// it (PostgreSQL; the lease is held for the run, with its connection).
// The backoff after `failures` consecutive gather failures (threshold reached): the refresh
// interval doubling per extra failure, capped at a day.
std::chrono::seconds gather_backoff(std::chrono::seconds interval, int failures, int threshold);

caf::behavior collector_actor(caf::stateful_actor<CollectorState>* self, caf::actor tenant,
                              config::TenantConfig config, CollectorOptions options);

}  // namespace chitragupt::actors
