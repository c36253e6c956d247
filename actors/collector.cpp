#include "actors/collector.hpp"

#include <ctime>
#include <functional>

#include <spdlog/spdlog.h>
#include <caf/all.hpp>

#include "actors/blocking_pool.hpp"
#include "actors/time_format.hpp"
#include "messages/protocol.hpp"
#include "pipeline/run_slots.hpp"
#include "storage/pipeline_lease.hpp"
#include "storage/pipeline_runs.hpp"
#include "storage/retention.hpp"

namespace chitragupt::actors {

using namespace messages;

namespace {

// Opens the database and takes the tenant's pipeline lease (storage/pipeline_lease.hpp); once
// it holds it, fails the runs a dead process left `running` (only the lease holder may: a run
// another process has in progress is not an orphan).
Status ensure_database(CollectorWork& st, const config::TenantConfig& cfg) {
  if (!st.db) {
    auto db = storage::open_database(cfg.storage.connection_string);
    if (!db) return db.status();
    st.db = std::move(*db);
    st.lease_held = false;  // a lease goes with its connection
  }
  if (!st.lease_held) {
    auto taken = storage::take_pipeline_lease(*st.db);
    if (!taken) return taken.status();
    if (*taken) {
      spdlog::info("tenant={} event=lease_taken", cfg.name);
    } else if (!st.standby_logged) {
      spdlog::info("tenant={} event=lease_standby note=another engine process runs the pipeline",
                   cfg.name);
    }
    st.lease_held = *taken;
    st.standby_logged = !*taken;
    if (!*taken) return Status::ok();
  }
  if (!st.orphans_checked) {
    auto n = storage::PipelineRunStore(*st.db).fail_orphaned(cfg.name);
    if (!n) return n.status();
    if (*n > 0) spdlog::warn("tenant={} event=orphaned_runs_failed count={}", cfg.name, *n);
    st.orphans_checked = true;
  }
  return Status::ok();
}

// `scheduled`: a run of the collector's own schedule, not one asked for through the API.
// `started` is called once the run has its slot, just before it begins.
RunOutcome run_once(CollectorWork& st, const config::TenantConfig& cfg,
                    const CollectorOptions& options, bool scheduled, const caf::actor& tenant,
                    const std::function<void()>& started) {
  RunOutcome out;
  auto fail = [&](const std::string& error) {
    out.run = LastRun{"failed", utc_now_iso(), error};
    out.database_unavailable = true;
    st.db.reset();  // reopen next time: the connection may be what broke
    // A run cut off by the lost connection is still `running` in the database: the next
    // connection finds and fails it like any run a dead process left behind.
    st.orphans_checked = false;
    st.lease_held = false;  // the lease went with the connection
    return out;
  };
  if (auto s = ensure_database(st, cfg); !s) return fail(s.message());
  const bool postgres = st.db->dialect() == Dialect::postgresql;
  if (postgres) caf::anon_send(tenant, lease_atom::value, st.lease_held);  // SQLite has none
  if (!st.lease_held) {
    // Another engine process runs this tenant's pipeline: an asked-for run says so.
    if (!scheduled || options.run_once) {
      out.run = LastRun{"failed", utc_now_iso(),
                        "another engine process runs this tenant's pipeline (it holds the "
                        "pipeline lease)"};
    }
    return out;  // no run: a scheduled one leaves out.run empty
  }
  if (!st.sources) st.sources = std::make_unique<pipeline::SourceCache>(cfg);
  // pipeline_runs.trigger: what started the run (a run asked for through the API is "manual").
  const char* trigger = options.run_once ? "run_once" : scheduled ? "periodic" : "manual";
  // features.max_parallel_tenants: wait for one of the process's run slots.
  auto slot = pipeline::RunSlots::instance().acquire(options.stop);
  if (!slot) {
    out.run = LastRun{"interrupted", utc_now_iso(), "Interrupted by shutdown"};
    return out;
  }
  started();
  auto result = pipeline::run_pipeline(*st.db, cfg, *st.sources, trigger, options.stop);
  if (result.database_unavailable) return fail(result.error);
  st.gather_failures = result.gather_failed ? st.gather_failures + 1 : 0;
  // Retention follows each periodic cycle, as in the original; never under --run-once, with
  // periodic refresh off or after an API run. A failed clean-up deletes nothing and is tried
  // again next cycle.
  const bool stopping = options.stop.stop_requested();
  if (scheduled && !options.run_once && options.periodic && !stopping) {
    auto cleanup = storage::cleanup_retention(*st.db, cfg.ecosystem, cfg.tenant_id,
                                              cfg.retention_days, std::time(nullptr));
    if (cleanup) {
      spdlog::info("tenant={} event=retention_cleanup deleted={} before={} {}", cfg.name,
                   cleanup->deleted.total(), cleanup->cutoff.day, cleanup->deleted.to_fields());
    } else {
      spdlog::error("tenant={} event=retention_failed error={}", cfg.name, cleanup.error());
    }
  }
  out.run = LastRun{result.status, utc_now_iso(), result.error};
  out.rows_written = result.counts.rows_written;
  return out;
}

}  // namespace

std::chrono::seconds gather_backoff(std::chrono::seconds interval, int failures, int threshold) {
  constexpr std::chrono::seconds kMax{86400};
  auto delay = interval;
  for (int i = threshold; i < failures && delay < kMax; ++i) delay *= 2;
  return std::min(delay, kMax);
}

namespace {

void after_run(caf::stateful_actor<CollectorState>* self, const caf::actor& tenant,
               const config::TenantConfig& config, const CollectorOptions& options, bool requested,
               RunOutcome out) {
  auto delay = options.interval;
  auto& retry = self->state.retry_delay;
  if (out.database_unavailable) {
    // Reconnect soon, with a doubling delay, rather than waiting a whole interval.
    retry = std::min(retry.count() == 0 ? std::chrono::seconds(1) : retry * 2,
                     options.unavailable_retry);
    delay = std::min(options.interval, retry);
  } else {
    retry = std::chrono::seconds(0);
  }
  const int failures = self->state.work->gather_failures;
  if (failures >= config.gather_failure_threshold) {
    delay = gather_backoff(options.interval, failures, config.gather_failure_threshold);
    out.run.error =
        "gather failed " + std::to_string(failures) + " times in a row (gather_failure_threshold " +
        std::to_string(config.gather_failure_threshold) + "), backing off: next attempt in " +
        std::to_string(delay.count()) + " s. Last error: " + out.run.error;
    spdlog::error("tenant={} event=gather_backoff failures={} next_in_s={}", config.name, failures,
                  delay.count());
  }
  if (!out.run.status.empty()) self->send(tenant, out);  // empty: standby, nothing ran
  // A run asked for through the API (the tenant sends it) leaves the schedule as it was.
  if (options.run_once || !options.periodic || requested) return;
  self->delayed_send(self, delay, run_atom::value);
}

}  // namespace

caf::behavior collector_actor(caf::stateful_actor<CollectorState>* self, caf::actor tenant,
                              config::TenantConfig config, CollectorOptions options) {
  self->send(self, run_atom::value);
  return {
      [=](run_atom) {
        if (options.stop.stop_requested()) return;
        const bool requested = caf::actor_cast<caf::actor>(self->current_sender()) == tenant;
        BlockingJob job;
        job.lane = Lane::run;
        job.work = [work = self->state.work, config, options, requested, tenant] {
          // The tenant is `running` from when the run has its slot (a run waiting for one of
          // the max_parallel_tenants slots is not running yet).
          RunOutcome out = run_once(*work, config, options, !requested, tenant,
                                    [tenant] { caf::anon_send(tenant, run_atom::value, true); });
          // An idle tenant keeps no database open, except the PostgreSQL connection that holds
          // the tenant's pipeline lease (storage/pipeline_lease.hpp): the lease is the session's,
          // and this process stays the tenant's runner while it keeps it.
          const bool keeps_lease =
              work->db && work->lease_held && work->db->dialect() == Dialect::postgresql;
          if (!keeps_lease) work->db.reset();
          return caf::make_message(std::move(out));
        };
        // await: nothing else is handled until the run ends (a run due meanwhile waits).
        self->request(options.pool, caf::infinite, job_atom::value, std::move(job))
            .await(
                [=](RunOutcome& out) {
                  after_run(self, tenant, config, options, requested, std::move(out));
                },
                [=](caf::error& err) {
                  RunOutcome out;
                  out.run = LastRun{"failed", utc_now_iso(),
                                    "pipeline run failed: " + caf::to_string(err)};
                  after_run(self, tenant, config, options, requested, std::move(out));
                });
      },
  };
}

}  // namespace chitragupt::actors
