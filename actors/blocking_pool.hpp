#pragma once
// The blocking pool: the only threads of the actor tree that may block. Tenant, migrator and
// collector work that waits on a database, the network or the disk is handed to it as a closure
// (BlockingJob); the pool runs it on one of its workers and the closure's result is the reply to
// the request, so the asking actor goes on with `.then(...)` and never blocks its scheduler
// thread. See actors/README.md for the whole threading model.
//
// Two lanes, each with its own bound:
//   io  — database calls of the report API, summaries, health checks, migrations and closing
//         idle connections: `io_workers` at once (from the cores);
//   run — pipeline runs (upstream HTTP, calculate, emit): `features.max_parallel_tenants` at
//         once, so a run never waits for a slot while holding a worker.
// Jobs beyond a lane's bound wait in order. Workers are started on demand and kept; a hung job
// holds one worker and nothing else.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/behavior.hpp>
#include <caf/message.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

namespace chitragupt::actors {

enum class Lane : std::uint8_t { io = 0, run = 1 };

struct BlockingJob {
  Lane lane = Lane::io;
  // Runs on a pool worker; what it returns is the reply (caf::make_message(...)). An exception
  // becomes an error reply.
  std::function<caf::message()> work;
};

using job_atom = caf::atom_constant<caf::atom("job")>;            // + BlockingJob -> its result
using pool_limit_atom = caf::atom_constant<caf::atom("plimit")>;  // + Lane, size_t
using pool_stats_atom = caf::atom_constant<caf::atom("pstats")>;  // -> PoolStats

struct PoolStats {
  std::size_t workers = 0;  // started so far (both lanes)
  std::size_t busy = 0;
  std::size_t waiting = 0;
  std::size_t peak_busy[2] = {0, 0};  // per lane
};

struct BlockingPoolState {
  struct Waiting {
    BlockingJob job;
    caf::response_promise promise;
  };
  std::size_t limit[2] = {0, 0};
  std::size_t busy[2] = {0, 0};
  std::size_t peak[2] = {0, 0};
  std::deque<Waiting> waiting[2];
  std::vector<caf::actor> idle[2];
  std::size_t workers = 0;
};

// Workers of the io lane: twice the cores, at least 8, at most 32.
std::size_t default_io_workers();

caf::behavior blocking_pool(caf::stateful_actor<BlockingPoolState>* self, std::size_t io_workers,
                            std::size_t run_workers);

caf::actor spawn_blocking_pool(caf::actor_system& system, std::size_t io_workers,
                               std::size_t run_workers);

}  // namespace chitragupt::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::actors::BlockingJob)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::actors::Lane)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::actors::PoolStats)
