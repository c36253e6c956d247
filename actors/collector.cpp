#include "actors/collector.hpp"

#include <spdlog/spdlog.h>
#include <caf/all.hpp>

#include "actors/time_format.hpp"
#include "messages/protocol.hpp"
#include "storage/pipeline_runs.hpp"

namespace chitragupt::actors {

using namespace messages;

namespace {

// Opens the database and, once per collector, fails the runs a dead process left `running`.
Status ensure_database(CollectorState& st, const config::TenantConfig& cfg) {
  if (!st.db) {
    auto db = storage::open_database(cfg.storage.connection_string);
    if (!db) return db.status();
    st.db = std::move(*db);
  }
  if (!st.orphans_checked) {
    auto n = storage::PipelineRunStore(*st.db).fail_orphaned(cfg.name);
    if (!n) return n.status();
    if (*n > 0) spdlog::warn("tenant={} event=orphaned_runs_failed count={}", cfg.name, *n);
    st.orphans_checked = true;
  }
  return Status::ok();
}

RunOutcome run_pipeline(CollectorState& st, const config::TenantConfig& cfg,
                        const CollectorOptions& options) {
  RunOutcome out;
  auto fail = [&](const std::string& error, bool unavailable) {
    out.run = LastRun{"failed", utc_now_iso(), error};
    out.database_unavailable = unavailable;
    st.db.reset();  // reopen next time: the connection may be what broke
    return out;
  };
  if (auto s = ensure_database(st, cfg); !s) return fail(s.message(), true);

  storage::PipelineRunStore runs(*st.db);
  auto id = runs.start(cfg.name, options.run_once ? "run_once" : "periodic");
  if (!id) return fail(id.error(), true);
  spdlog::info("tenant={} event=pipeline_run_started run_id={}", cfg.name, *id);

  // The gather, calculate and emit stages are added by the collector and allocation issues;
  // each will check options.stopping between dates and end the run as interrupted.
  storage::RunCounts counts;
  const bool interrupted = options.stopping && options.stopping->load();
  const std::string status = interrupted ? "interrupted" : "completed";
  if (auto s = runs.finish(*id, status, counts, interrupted ? "Interrupted by shutdown" : ""); !s) {
    return fail(s.message(), true);
  }
  spdlog::info(
      "tenant={} event=pipeline_run_{} run_id={} dates_gathered={} dates_calculated={} "
      "rows={}",
      cfg.name, status, *id, counts.dates_gathered, counts.dates_calculated, counts.rows_written);
  out.run = LastRun{status, utc_now_iso(), ""};
  out.rows_written = counts.rows_written;
  return out;
}

}  // namespace

caf::behavior collector_actor(caf::stateful_actor<CollectorState>* self, caf::actor tenant,
                              config::TenantConfig config, CollectorOptions options) {
  self->send(self, run_atom::value);
  return {
      [=](run_atom) {
        if (options.stopping && options.stopping->load()) return;
        self->send(tenant, run_atom::value, true);
        RunOutcome out = run_pipeline(self->state, config, options);
        self->send(tenant, out);
        if (out.run.status == "failed") {
          spdlog::error("tenant={} event=pipeline_run_failed error={}", config.name, out.run.error);
        }
        if (options.run_once || !options.periodic) return;
        auto& retry = self->state.retry_delay;
        retry = out.database_unavailable
                    ? std::min(retry.count() == 0 ? std::chrono::seconds(1) : retry * 2,
                               options.unavailable_retry)
                    : std::chrono::seconds(0);
        auto delay =
            out.database_unavailable ? std::min(options.interval, retry) : options.interval;
        self->delayed_send(self, delay, run_atom::value);
      },
  };
}

}  // namespace chitragupt::actors
