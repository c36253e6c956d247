#pragma once
// The collector: the periodic pipeline of one tenant (gather -> calculate -> emit), a child
// of the tenant actor, detached because it blocks on the network and the database.
//
// Until the Confluent Cloud collector issue lands, a run only records its pipeline_runs row
// (started, then completed with zero counts): the schedule, orphan clean-up, interruption and
// reporting are real; the gather/calculate/emit stages are not there yet.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "config/config.hpp"
#include "storage/database.hpp"

namespace chitragupt::actors {

struct CollectorOptions {
  bool run_once = false;
  bool periodic = true;
  std::chrono::seconds interval{1800};
  // Retry delay while the database cannot be reached: doubling from 1 s up to this.
  std::chrono::seconds unavailable_retry{30};
  std::shared_ptr<std::atomic<bool>> stopping;
};

struct CollectorState {
  std::unique_ptr<storage::Database> db;
  bool orphans_checked = false;
  std::chrono::seconds retry_delay{0};  // grows while runs fail for want of a database
};

// Sends `run_atom, true` to `tenant` when a run starts and a RunOutcome when it ends.
caf::behavior collector_actor(caf::stateful_actor<CollectorState>* self, caf::actor tenant,
                              config::TenantConfig config, CollectorOptions options);

}  // namespace chitragupt::actors
