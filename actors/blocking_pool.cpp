#include "actors/blocking_pool.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <thread>

#include <spdlog/spdlog.h>
#include <caf/all.hpp>

namespace chitragupt::actors {

namespace {

using run_job_atom = caf::atom_constant<caf::atom("runjob")>;  // pool -> worker
using idle_atom = caf::atom_constant<caf::atom("idle")>;       // worker -> pool

using Self = caf::stateful_actor<BlockingPoolState>;

std::size_t index(Lane lane) { return static_cast<std::size_t>(lane); }

// A worker: a detached actor (its own thread) that runs one job at a time and tells the pool
// when it is free again. Linked to the pool, so it ends with it (after its current job).
caf::behavior pool_worker(caf::event_based_actor* self, caf::actor pool, Lane lane) {
  return {
      [=](run_job_atom, BlockingJob& job) -> caf::message {
        caf::message out;
        try {
          out = job.work();
        } catch (const std::exception& e) {
          out = caf::make_message(caf::make_error(caf::sec::runtime_error, e.what()));
        } catch (...) {
          out = caf::make_message(caf::make_error(caf::sec::runtime_error, "unknown exception"));
        }
        self->send(pool, idle_atom::value, lane);
        return out;
      },
  };
}

void dispatch(Self* self, Lane lane) {
  auto& st = self->state;
  const auto l = index(lane);
  while (!st.waiting[l].empty() && st.busy[l] < st.limit[l]) {
    caf::actor worker;
    if (!st.idle[l].empty()) {
      worker = std::move(st.idle[l].back());
      st.idle[l].pop_back();
    } else {
      worker = self->spawn<caf::detached + caf::linked>(pool_worker,
                                                        caf::actor_cast<caf::actor>(self), lane);
      st.workers++;
    }
    auto next = std::move(st.waiting[l].front());
    st.waiting[l].pop_front();
    st.busy[l]++;
    st.peak[l] = std::max(st.peak[l], st.busy[l]);
    // The worker's reply goes straight to whoever asked.
    next.promise.delegate(worker, run_job_atom::value, std::move(next.job));
  }
}

}  // namespace

std::size_t default_io_workers() {
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return std::clamp<std::size_t>(2 * cores, 8, 32);
}

caf::behavior blocking_pool(Self* self, std::size_t io_workers, std::size_t run_workers) {
  self->state.limit[index(Lane::io)] = std::max<std::size_t>(1, io_workers);
  self->state.limit[index(Lane::run)] = std::max<std::size_t>(1, run_workers);
  return {
      [=](job_atom, BlockingJob& job) {
        auto rp = self->make_response_promise();
        const Lane lane = job.lane;
        self->state.waiting[index(lane)].push_back({std::move(job), rp});
        dispatch(self, lane);
        return rp;
      },
      [=](idle_atom, Lane lane) {
        auto& st = self->state;
        const auto l = index(lane);
        st.busy[l]--;
        auto worker = caf::actor_cast<caf::actor>(self->current_sender());
        // A lane made smaller (reload) lets its extra workers go as they finish.
        if (st.idle[l].size() + st.busy[l] >= st.limit[l]) {
          self->unlink_from(worker);
          self->send_exit(worker, caf::exit_reason::user_shutdown);
          st.workers--;
        } else {
          st.idle[l].push_back(std::move(worker));
        }
        dispatch(self, lane);
      },
      [=](pool_limit_atom, Lane lane, std::size_t limit) {
        self->state.limit[index(lane)] = std::max<std::size_t>(1, limit);
        dispatch(self, lane);
      },
      [=](pool_stats_atom) {
        auto& st = self->state;
        PoolStats s;
        s.workers = st.workers;
        s.busy = st.busy[0] + st.busy[1];
        s.waiting = st.waiting[0].size() + st.waiting[1].size();
        s.peak_busy[0] = st.peak[0];
        s.peak_busy[1] = st.peak[1];
        return s;
      },
  };
}

caf::actor spawn_blocking_pool(caf::actor_system& system, std::size_t io_workers,
                               std::size_t run_workers) {
  return system.spawn(blocking_pool, io_workers, run_workers);
}

}  // namespace chitragupt::actors
