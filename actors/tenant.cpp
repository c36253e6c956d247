#include "actors/tenant.hpp"

#include <algorithm>
#include <cstdlib>

#include <spdlog/spdlog.h>
#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/blocking_pool.hpp"
#include "actors/collector.hpp"
#include "actors/migrator.hpp"
#include "actors/report_reader.hpp"
#include "pipeline/run.hpp"
#include "report/report.hpp"
#include "storage/pipeline_runs.hpp"
#include "topics/settings.hpp"

namespace chitragupt::actors {

namespace {

// The reply of a tenant's database job: the work's result, or why the database did not open.
struct DbUseResult {
  std::shared_ptr<void> value;
  std::string error;
};

}  // namespace
}  // namespace chitragupt::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::actors::DbUseResult)

namespace chitragupt::actors {

using namespace messages;
using Self = caf::stateful_actor<TenantActorState>;
using Clock = std::chrono::steady_clock;

namespace {

using idle_close_atom = caf::atom_constant<caf::atom("idleclose")>;  // + idle epoch

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

bool any_open(const TenantActorState& st) {
  return st.connections_in_use > 0 ||
         std::any_of(st.free_connections.begin(), st.free_connections.end(),
                     [](const auto& c) { return c->db != nullptr; });
}

// ---- database uses: jobs on the blocking pool, one connection each ---------------------------

void pump(Self* self, const TenantOptions& options);

void launch(Self* self, const TenantOptions& options, TenantDbUse use) {
  auto& st = self->state;
  std::shared_ptr<TenantConnection> conn;
  // An open connection if there is one; otherwise one the job opens.
  auto open = std::find_if(st.free_connections.begin(), st.free_connections.end(),
                           [](const auto& c) { return c->db != nullptr; });
  if (open != st.free_connections.end()) {
    conn = std::move(*open);
    st.free_connections.erase(open);
  } else if (!st.free_connections.empty()) {
    conn = std::move(st.free_connections.back());
    st.free_connections.pop_back();
  } else {
    conn = std::make_shared<TenantConnection>();
  }
  st.connections_in_use++;
  st.idle_epoch++;
  const bool exclusive = use.exclusive;
  if (exclusive) st.exclusive_in_use = true;
  BlockingJob job;
  job.lane = Lane::io;
  job.work = [conn, work = std::move(use.work), transient = use.transient, needs_db = use.open,
              cs = st.config.storage.connection_string]() {
    const bool had = conn->db != nullptr;
    if (needs_db && !had) {
      auto db = storage::open_database(cs);
      if (!db) return caf::make_message(DbUseResult{nullptr, db.error()});
      conn->db = std::move(*db);
    }
    auto value = work(*conn);
    if (transient && !had) conn->db.reset();
    return caf::make_message(DbUseResult{std::move(value), ""});
  };
  auto done = std::move(use.done);
  auto finish = [=](std::shared_ptr<void> value, const std::string& error) {
    auto& s = self->state;
    s.connections_in_use--;
    if (exclusive) s.exclusive_in_use = false;
    s.free_connections.push_back(conn);
    if (s.connections_in_use == 0 && any_open(s)) {
      self->delayed_send(self, options.db_idle_timeout, idle_close_atom::value, s.idle_epoch);
    }
    done(std::move(value), error);
    pump(self, options);
  };
  self->request(options.pool, caf::infinite, job_atom::value, std::move(job))
      .then([=](DbUseResult& r) { finish(std::move(r.value), r.error); },
            [=](caf::error& err) { finish(nullptr, caf::to_string(err)); });
}

// Starts the waiting uses that may go now: while connections are left, in order, except that
// an exclusive use waits for the one before it (reads may pass it).
void pump(Self* self, const TenantOptions& options) {
  auto& st = self->state;
  for (auto it = st.waiting.begin();
       it != st.waiting.end() && st.connections_in_use < st.connection_limit;) {
    if (it->exclusive && st.exclusive_in_use) {
      ++it;
      continue;
    }
    TenantDbUse use = std::move(*it);
    it = st.waiting.erase(it);
    launch(self, options, std::move(use));
  }
}

// Runs `work(connection)` (-> R) on the pool with an open connection of the tenant and then
// `done(std::optional<R>, error)` in the actor; nullopt when the database did not open or the
// work failed.
template <class R, class Work, class Done>
void use_database(Self* self, const TenantOptions& options, TenantDbUse use, Work work, Done done) {
  use.work = [work = std::move(work)](TenantConnection& c) -> std::shared_ptr<void> {
    return std::make_shared<R>(work(c));
  };
  use.done = [done = std::move(done)](std::shared_ptr<void> value,
                                      const std::string& error) mutable {
    if (value) {
      done(std::optional<R>(std::move(*std::static_pointer_cast<R>(value))), error);
    } else {
      done(std::optional<R>(), error);
    }
  };
  self->state.waiting.push_back(std::move(use));
  pump(self, options);
}

// Closes the tenant's connections once it has not used them for db_idle_timeout (on the pool:
// closing a SQLite database checkpoints its WAL).
void close_idle(Self* self, const TenantOptions& options, std::uint64_t epoch) {
  auto& st = self->state;
  if (epoch != st.idle_epoch || st.connections_in_use > 0 || !any_open(st)) return;
  BlockingJob job;
  job.lane = Lane::io;
  job.work = [closing = std::move(st.free_connections)]() mutable {
    for (auto& c : closing) c->db.reset();
    return caf::message{};
  };
  st.free_connections.clear();
  caf::anon_send(options.pool, job_atom::value, std::move(job));
}

void start_collector(Self* self, const TenantOptions& options) {
  CollectorOptions co;
  co.run_once = options.run_once;
  co.periodic = options.periodic_refresh;
  co.interval = std::chrono::seconds(options.refresh_interval_s);
  co.stop = self->state.stop->token();
  co.pool = options.pool;
  // Linked: a crashed collector takes the tenant down with it, and the supervisor restarts both.
  self->state.collector = self->spawn<caf::linked>(
      collector_actor, caf::actor_cast<caf::actor>(self), self->state.config, co);
}

void schedule_check(Self* self) {
  self->delayed_send(self, self->state.db_check_delay, tick_atom::value);
}

// The schema is at head: read the last run for /health (with a connection closed straight
// after), then the tenant is ready.
void on_migrated(Self* self, const caf::actor& supervisor, const TenantOptions& options,
                 const MigrationOutcome& outcome) {
  if (!outcome.ok) {
    fail(self, supervisor, outcome.error);
    return;
  }
  self->state.health.schema_version = outcome.schema_version;
  self->state.health.migrated = true;
  auto become_ready = [=] {
    self->state.migrated = true;
    self->state.last_check = Clock::now();
    set_state(self, supervisor, TenantState::ready);
    self->state.db_check_delay = options.db_check_interval;
    schedule_check(self);
    if (options.mode != Mode::api) start_collector(self, options);
  };
  if (outcome.from_version == 0 && !outcome.applied.empty() && outcome.applied.front() == 1) {
    // A database this migration created from nothing has no run to show: ready without
    // opening it again (a thousand fresh tenants are ready in half the io jobs).
    become_ready();
    return;
  }
  TenantDbUse use;
  use.transient = true;
  const std::string name = self->state.config.name;
  use_database<std::optional<LastRun>>(
      self, options, std::move(use),
      [name](TenantConnection& c) -> std::optional<LastRun> {
        auto last = storage::PipelineRunStore(*c.db).last(name);
        if (!last || !last->has_value()) return std::nullopt;
        const auto& run = **last;
        return LastRun{run.status, run.ended_at.empty() ? run.started_at : run.ended_at,
                       run.error_message};
      },
      [=](std::optional<std::optional<LastRun>> last, const std::string& error) {
        if (!last) {
          fail(self, supervisor, error);
          return;
        }
        if (*last) self->state.health.last_run = **last;
        become_ready();
      });
}

void on_checked(Self* self, const caf::actor& supervisor, const TenantOptions& options,
                const Status& status) {
  auto& st = self->state;
  if (!status) {
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
  schedule_check(self);
}

// Checks that the database still answers (reopening it if needed). While it does not, the
// tenant is `degraded` and checks again with a doubling delay; when it answers again, the
// tenant is back to `ready` without a restart. An idle tenant checks less often, with a
// connection it closes again, so it keeps no file open.
void check_database(Self* self, const caf::actor& supervisor, const TenantOptions& options) {
  auto& st = self->state;
  const auto now = Clock::now();
  const bool idle = !any_open(st);
  if ((!st.db_down && idle && now - st.last_check < options.db_check_idle) ||
      st.connections_in_use >= st.connection_limit) {
    schedule_check(self);  // nothing due, or every connection busy (the database answers)
    return;
  }
  st.last_check = now;
  TenantDbUse use;
  use.transient = true;
  use_database<Status>(
      self, options, std::move(use),
      [](TenantConnection& c) {
        // Reads a real table: "SELECT 1" would not notice a lost or corrupted SQLite file.
        auto rows = c.db->query("SELECT max(version) FROM schema_migrations");
        if (!rows) {
          c.db.reset();
          return rows.status();
        }
        return Status::ok();
      },
      [=](std::optional<Status> status, const std::string& error) {
        on_checked(self, supervisor, options, status ? *status : Status::error(error));
      });
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
  const auto ta = topics::attribution_status(cfg.ecosystem, cfg.plugin_settings);
  ctx.topic_attribution_status = ta.status;
  ctx.topic_attribution_error = ta.error;
  return ctx;
}

report::Response run_body(int status, const std::string& tenant, const std::string& word,
                          const std::string& message) {
  report::Response r;
  r.status = status;
  r.body = nlohmann::json{{"tenant_name", tenant}, {"status", word}, {"message", message}}.dump();
  return r;
}

report::Response unavailable() {
  return report::error_response(503, "tenant_not_ready",
                                "the tenant's database is unavailable; try again later");
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

// A report request: GETs on a connection of their own side by side, each in one read
// transaction (actors/report_reader.hpp); writes and the FOCUS export routes one at a time.
caf::response_promise answer_report(Self* self, const TenantOptions& options,
                                    report::Request request) {
  auto rp = self->make_response_promise();
  if (request.method == "POST" && request.route == "/tenants/{tenant}/pipeline/run") {
    rp.deliver(request_run(self, options));
    return rp;
  }
  if (self->state.db_down) {
    rp.deliver(unavailable());
    return rp;
  }
  TenantDbUse use;
  use.exclusive = !reader_may_answer(request);
  auto deliver = [rp](std::optional<report::Response> r, const std::string&) mutable {
    rp.deliver(r ? std::move(*r) : unavailable());
  };
  if (focus::ExportJobs::is_focus_route(request.route)) {
    use.open = false;
    use_database<report::Response>(
        self, options, std::move(use),
        [jobs = self->state.focus_jobs, cfg = self->state.config, preview = options.preview,
         request](TenantConnection&) {
          if (!*jobs) *jobs = std::make_unique<focus::ExportJobs>(cfg, preview);
          return (*jobs)->handle(request);
        },
        deliver);
    return rp;
  }
  const bool read = !use.exclusive;
  use_database<report::Response>(
      self, options, std::move(use),
      [ctx = report_context(self), request, read](TenantConnection& c) {
        report::Response response =
            read ? answer_in_snapshot(*c.db, ctx, request) : report::handle(*c.db, ctx, request);
        if (response.status == 503) c.db.reset();  // reopened by the next use
        return response;
      },
      deliver);
  return rp;
}

// The tenant's progress for GET /tenants, read with a connection closed again if the tenant
// was idle (the route asks every tenant at once).
caf::response_promise summarize(Self* self, const TenantOptions& options) {
  auto rp = self->make_response_promise();
  const auto& cfg = self->state.config;
  TenantSummary s;
  s.tenant_name = cfg.name;
  s.tenant_id = cfg.tenant_id;
  s.ecosystem = cfg.ecosystem;
  s.state = to_string(self->state.health.state);
  s.error = self->state.health.error;
  const auto ta = topics::attribution_status(cfg.ecosystem, cfg.plugin_settings);
  s.topic_attribution_status = ta.status;
  s.topic_attribution_error = ta.error;
  if (self->state.db_down) {
    rp.deliver(s);
    return rp;
  }
  TenantDbUse use;
  use.transient = true;
  use_database<Result<storage::TenantProgress>>(
      self, options, std::move(use),
      [cfg](TenantConnection& c) {
        auto progress = storage::read_tenant_progress(*c.db, cfg.ecosystem, cfg.tenant_id);
        if (!progress) c.db.reset();  // reopened by the next use
        return progress;
      },
      [rp, s](std::optional<Result<storage::TenantProgress>> progress,
              const std::string& error) mutable {
        if (progress && *progress) {
          s.dates_pending = (*progress)->dates_pending;
          s.dates_calculated = (*progress)->dates_calculated;
          s.last_calculated_date = (*progress)->last_calculated_date;
        } else {
          s.error = progress ? progress->error() : error;
        }
        rp.deliver(s);
      });
  return rp;
}

}  // namespace

caf::behavior tenant_actor(Self* self, caf::actor supervisor, config::TenantConfig config,
                           TenantOptions options) {
  self->state.config = config;
  self->state.health.name = config.name;
  self->state.connection_limit = std::max<std::size_t>(1, report_reader_count());
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

  auto migrator =
      self->spawn<caf::monitored>(migrator_actor, config.name, config.storage.connection_string,
                                  options.pool, self->state.stop->token());
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
      [=](idle_close_atom, std::uint64_t epoch) { close_idle(self, options, epoch); },
      [=](summary_atom) { return summarize(self, options); },
      [=](report_atom, report::Request& request) {
        return answer_report(self, options, std::move(request));
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
