#include "actors/tenant.hpp"

#include <cstdlib>

#include <spdlog/spdlog.h>
#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/collector.hpp"
#include "actors/migrator.hpp"
#include "actors/report_reader.hpp"
#include "pipeline/run.hpp"
#include "report/report.hpp"
#include "storage/pipeline_runs.hpp"

namespace chitragupt::actors {

using namespace messages;
using Self = caf::stateful_actor<TenantActorState>;

namespace {

void push(Self* self, const caf::actor& supervisor) {
  self->send(supervisor, tstate_atom::value, self->state.health);
}

void set_state(Self* self, const caf::actor& supervisor, TenantState s, std::string error = "") {
  self->state.health.state = s;
  self->state.health.error = std::move(error);
  push(self, supervisor);
}

// The tenant cannot run: report why, then quit so the supervisor restarts it with backoff.
void fail(Self* self, const caf::actor& supervisor, const std::string& error) {
  spdlog::error("tenant={} event=tenant_failed error={}", self->state.config.name, error);
  set_state(self, supervisor, TenantState::failed, error);
  self->quit(caf::make_error(caf::sec::runtime_error, error));
}

void start_collector(Self* self, const TenantOptions& options) {
  CollectorOptions co;
  co.run_once = options.run_once;
  co.periodic = options.periodic_refresh;
  co.interval = std::chrono::seconds(options.refresh_interval_s);
  co.stop = self->state.stop->token();
  // Linked: a crashed collector takes the tenant down with it, and the supervisor restarts both.
  self->state.collector = self->spawn<caf::detached + caf::linked>(
      collector_actor, caf::actor_cast<caf::actor>(self), self->state.config, co);
}

void on_migrated(Self* self, const caf::actor& supervisor, const TenantOptions& options,
                 const MigrationOutcome& outcome) {
  if (!outcome.ok) {
    fail(self, supervisor, outcome.error);
    return;
  }
  self->state.health.schema_version = outcome.schema_version;
  self->state.health.migrated = true;
  auto db = storage::open_database(self->state.config.storage.connection_string);
  if (!db) {
    fail(self, supervisor, db.error());
    return;
  }
  self->state.db = std::move(*db);
  if (auto last = storage::PipelineRunStore(*self->state.db).last(self->state.config.name);
      last && last->has_value()) {
    const auto& run = **last;
    self->state.health.last_run = LastRun{
        run.status, run.ended_at.empty() ? run.started_at : run.ended_at, run.error_message};
  }
  for (std::size_t i = 0; i < report_reader_count(); ++i) {
    self->state.readers.push_back(self->spawn<caf::detached + caf::linked>(
        report_reader, self->state.config.storage.connection_string));
  }
  set_state(self, supervisor, TenantState::ready);
  self->state.db_check_delay = options.db_check_interval;
  self->delayed_send(self, options.db_check_interval, tick_atom::value);
  if (options.mode != Mode::api) start_collector(self, options);
}

// Checks that the database still answers (reopening it if needed). While it does not, the
// tenant is `degraded` and checks again with a doubling delay; when it answers again, the
// tenant is back to `ready` without a restart.
void check_database(Self* self, const caf::actor& supervisor, const TenantOptions& options) {
  auto& st = self->state;
  Status status = Status::ok();
  if (!st.db) {
    auto db = storage::open_database(st.config.storage.connection_string);
    if (db) {
      st.db = std::move(*db);
    } else {
      status = db.status();
    }
  }
  if (status && st.db) {
    // Reads a real table: "SELECT 1" would not notice a lost or corrupted SQLite file.
    auto rows = st.db->query("SELECT max(version) FROM schema_migrations");
    if (!rows) status = rows.status();
  }
  if (!status) {
    st.db.reset();
    st.db_check_delay = st.db_down
                            ? std::min(st.db_check_delay * 2, options.db_check_max)
                            : std::min(std::chrono::milliseconds(1000), options.db_check_max);
    if (!st.db_down) {
      spdlog::warn("tenant={} event=database_unavailable error={}", st.config.name,
                   status.message());
    }
    st.db_down = true;
    set_state(self, supervisor, TenantState::degraded, "database unavailable: " + status.message());
  } else {
    if (st.db_down) {
      spdlog::info("tenant={} event=database_recovered", st.config.name);
      st.db_down = false;
      set_state(self, supervisor, TenantState::ready);
    }
    st.db_check_delay = options.db_check_interval;
  }
  self->delayed_send(self, st.db_check_delay, tick_atom::value);
}

bool pipeline_running(Self* self) {
  return self->state.run_requested || self->state.run_started.has_value();
}

// Rows per CSV export chunk: CHITRAGUPT_EXPORT_CHUNK_ROWS (1..1000000) when set, so the e2e
// tests can see an export cross several chunks; the report library's default otherwise.
int export_chunk_rows() {
  static const int rows = [] {
    const char* text = std::getenv("CHITRAGUPT_EXPORT_CHUNK_ROWS");
    int fallback = report::TenantContext{}.export_chunk_rows;
    if (!text) return fallback;
    char* end = nullptr;
    long n = std::strtol(text, &end, 10);
    return (end && *end == '\0' && n >= 1 && n <= 1000000) ? static_cast<int>(n) : fallback;
  }();
  return rows;
}

report::TenantContext report_context(Self* self) {
  const auto& cfg = self->state.config;
  report::TenantContext ctx;
  ctx.tenant_name = cfg.name;
  ctx.tenant_id = cfg.tenant_id;
  ctx.ecosystem = cfg.ecosystem;
  ctx.lookback_days = cfg.lookback_days;
  ctx.cutoff_days = cfg.cutoff_days;
  ctx.pipeline_running = pipeline_running(self);
  ctx.export_chunk_rows = export_chunk_rows();
  return ctx;
}

report::Response run_body(int status, const std::string& tenant, const std::string& word,
                          const std::string& message) {
  report::Response r;
  r.status = status;
  r.body = nlohmann::json{{"tenant_name", tenant}, {"status", word}, {"message", message}}.dump();
  return r;
}

// POST pipeline/run: the collector's own run message starts a run now (it does not move the
// periodic schedule).
report::Response request_run(Self* self, const TenantOptions& options) {
  const auto& name = self->state.config.name;
  if (options.mode == Mode::api || !self->state.collector) {
    return report::error_response(
        400, "bad_request",
        "pipeline runs need --mode both or worker: this engine runs with --mode api and has no "
        "collector");
  }
  if (pipeline_running(self)) {
    // 409, as the original and docs/api.md: our error body, plus the original's fields.
    auto refused = report::error_response(409, "already_running",
                                          "a pipeline run of this tenant is in progress");
    auto body = nlohmann::json::parse(refused.body);
    body["tenant_name"] = name;
    body["status"] = "already_running";
    refused.body = body.dump();
    return refused;
  }
  self->state.run_requested = true;
  self->send(self->state.collector, run_atom::value);
  spdlog::info("tenant={} event=pipeline_run_requested source=api", name);
  return run_body(202, name, "started", "pipeline run started");
}

report::Response answer_report(Self* self, const TenantOptions& options,
                               const report::Request& request) {
  if (request.method == "POST" && request.route == "/tenants/{tenant}/pipeline/run") {
    return request_run(self, options);
  }
  if (!self->state.db) {
    return report::error_response(503, "tenant_not_ready",
                                  "the tenant's database is unavailable; try again later");
  }
  if (focus::ExportJobs::is_focus_route(request.route)) {
    auto& jobs = self->state.focus_jobs;
    if (!jobs) jobs = std::make_shared<focus::ExportJobs>(self->state.config, options.preview);
    return jobs->handle(request);
  }
  return report::handle(*self->state.db, report_context(self), request);
}

TenantSummary summarize(Self* self) {
  const auto& cfg = self->state.config;
  TenantSummary s;
  s.tenant_name = cfg.name;
  s.tenant_id = cfg.tenant_id;
  s.ecosystem = cfg.ecosystem;
  s.state = to_string(self->state.health.state);
  s.error = self->state.health.error;
  if (self->state.db) {
    auto progress = storage::read_tenant_progress(*self->state.db, cfg.ecosystem, cfg.tenant_id);
    if (!progress) self->state.db.reset();  // reopened by the next database check
    if (progress) {
      s.dates_pending = progress->dates_pending;
      s.dates_calculated = progress->dates_calculated;
      s.last_calculated_date = progress->last_calculated_date;
    } else {
      s.error = progress.error();
    }
  }
  return s;
}

}  // namespace

caf::behavior tenant_actor(Self* self, caf::actor supervisor, config::TenantConfig config,
                           TenantOptions options) {
  self->state.config = config;
  self->state.health.name = config.name;
  self->state.stop = std::make_shared<StopSource>(options.stop);
  self->attach_functor(
      [stop = self->state.stop](const caf::error&) { stop->request_stop(pipeline::kStopTenant); });
  self->set_exception_handler([](caf::scheduled_actor* a, std::exception_ptr& e) -> caf::error {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      what = ex.what();
    } catch (...) {
    }
    spdlog::error("tenant={} event=tenant_crashed error={}",
                  static_cast<Self*>(a)->state.config.name, what);
    return caf::make_error(caf::sec::runtime_error, what);
  });
  push(self, supervisor);

  auto migrator = self->spawn<caf::detached + caf::monitored>(
      migrator_actor, config.name, config.storage.connection_string, self->state.stop->token());
  // The migrator quits after replying; its normal exit is not news.
  self->set_down_handler([](caf::down_msg&) {});
  set_state(self, supervisor, TenantState::migrating);
  self->request(migrator, caf::infinite, migrate_atom::value)
      .then([=](MigrationOutcome& outcome) { on_migrated(self, supervisor, options, outcome); },
            [=](caf::error& err) {
              fail(self, supervisor, "migrator stopped: " + caf::to_string(err));
            });

  return {
      [=](ping_atom) { return pong_atom::value; },
      [=](tick_atom) { check_database(self, supervisor, options); },
      [=](summary_atom) { return summarize(self); },
      [=](report_atom, const report::Request& request) -> caf::result<report::Response> {
        auto& st = self->state;
        if (st.db && !st.readers.empty() && reader_may_answer(request)) {
          auto promise = self->make_response_promise();
          promise.delegate(st.readers[st.next_reader++ % st.readers.size()], report_atom::value,
                           report_context(self), request);
          return promise;
        }
        return answer_report(self, options, request);
      },
      [=](lease_atom, bool held) {
        const char* lease = held ? "held" : "standby";
        if (self->state.health.lease == lease) return;
        self->state.health.lease = lease;
        push(self, supervisor);
      },
      [=](run_atom, bool /*started*/) {
        self->state.run_started = std::chrono::steady_clock::now();
        set_state(self, supervisor, TenantState::running);
      },
      [=](RunOutcome& outcome) {
        auto& st = self->state;
        RunFigures figures;
        figures.status = outcome.run.status;
        figures.rows_written = outcome.rows_written;
        if (st.run_started) {
          figures.duration_s =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - *st.run_started)
                  .count();
        }
        figures.ended_unix_s =
            std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        st.run_started.reset();
        st.run_requested = false;
        st.health.finished_run = figures;
        self->state.health.last_run = outcome.run;
        self->state.health.runs_completed++;
        if (outcome.run.status == "failed") {
          set_state(self, supervisor, TenantState::degraded, outcome.run.error);
        } else if (!self->state.db_down) {
          set_state(self, supervisor, TenantState::ready);
        }
      },
  };
}

}  // namespace chitragupt::actors
