#include "actors/supervisor.hpp"

#include <algorithm>
#include <memory>

#include <spdlog/spdlog.h>
#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/blocking_pool.hpp"
#include "actors/time_format.hpp"
#include "common/logging.hpp"
#include "pipeline/run_slots.hpp"
#include "topics/settings.hpp"

namespace chitragupt::actors {

using namespace messages;
using Self = caf::stateful_actor<SupervisorState>;
using Clock = std::chrono::steady_clock;

namespace {

// Something /health shows changed: the snapshot is rebuilt at the next request at least
// kHealthSnapshotMaxAge after the last build.
void health_changed(Self* self) { self->state.health_changed = true; }
// ... or at once (reload, stop): the next request gets a fresh one.
void health_changed_now(Self* self) {
  self->state.health_changed = true;
  self->state.health_snapshot.reset();
}

std::string slot_fingerprint(const config::TenantConfig& t, const config::FeaturesConfig& f) {
  return t.fingerprint() + "|" + (f.enable_periodic_refresh ? "1" : "0") + "|" +
         std::to_string(f.refresh_interval) + "|" + std::to_string(f.database_idle_timeout);
}

// The preview settings reach every tenant: a change restarts them (their export jobs).
std::string slot_fingerprint(const config::TenantConfig& t, const config::Config& c) {
  return slot_fingerprint(t, c.features) + "|" + c.preview.artifact_root + "|" +
         std::to_string(c.preview.retention_days);
}

TenantOptions tenant_options(const SupervisorState& st) {
  TenantOptions o;
  o.mode = st.options.mode;
  o.run_once = st.options.run_once;
  o.periodic_refresh = st.config.features.enable_periodic_refresh;
  o.refresh_interval_s = st.config.features.refresh_interval;
  o.stop = st.options.stop->token();
  o.preview = st.config.preview;
  o.pool = st.pool;
  o.db_idle_timeout = std::chrono::seconds(st.config.features.database_idle_timeout);
  return o;
}

void start_tenant(Self* self, TenantSlot& slot) {
  auto& st = self->state;
  slot.generation++;
  slot.restart_due.reset();
  slot.up_since = Clock::now();
  slot.run_once_done = false;
  int restarts = slot.health.restarts;
  slot.health = TenantHealth{};
  slot.health.name = slot.config.name;
  slot.health.restarts = restarts;
  slot.actor = st.factory(self->home_system(), caf::actor_cast<caf::actor>(self), slot.config,
                          tenant_options(st));
  self->monitor(slot.actor);
  health_changed(self);
  spdlog::info("tenant={} event=tenant_started generation={}", slot.config.name, slot.generation);
}

TenantSlot* slot_of(Self* self, const caf::actor_addr& addr) {
  for (auto& [name, slot] : self->state.slots) {
    if (slot.actor && slot.actor.address() == addr) return &slot;
  }
  return nullptr;
}

void check_run_once(Self* self) {
  auto& st = self->state;
  if (!st.options.run_once || st.run_once_reported || st.stopping) return;
  for (auto& [name, slot] : st.slots) {
    if (!slot.run_once_done) return;
  }
  st.run_once_reported = true;
  spdlog::info("event=run_once_complete tenants={}", st.slots.size());
  if (st.options.on_run_once_complete) st.options.on_run_once_complete();
}

void finish_stop_if_done(Self* self) {
  auto& st = self->state;
  for (auto& [name, slot] : st.slots) {
    if (slot.actor) return;
  }
  spdlog::info("event=supervisor_stopped");
  for (auto& p : st.stop_promises) p.deliver(ok_atom::value);
  st.stop_promises.clear();
  // The pool's workers end once their current job is done (the process waits for them).
  self->send_exit(st.pool, caf::exit_reason::user_shutdown);
  self->quit();
}

void on_tenant_down(Self* self, const caf::down_msg& msg) {
  auto& st = self->state;
  TenantSlot* slot = slot_of(self, msg.source);
  if (!slot) return;
  const std::string name = slot->config.name;
  slot->actor = nullptr;
  health_changed(self);
  if (st.stopping) {
    slot->health.state = TenantState::stopped;
    finish_stop_if_done(self);
    return;
  }
  if (slot->removing) {
    spdlog::info("tenant={} event=tenant_removed", name);
    st.slots.erase(name);
    st.tallies.erase(name);
    st.order.erase(std::remove(st.order.begin(), st.order.end(), name), st.order.end());
    check_run_once(self);
    return;
  }
  if (slot->replacement) {
    spdlog::info("tenant={} event=tenant_restarting reason=config_changed", name);
    slot->config = std::move(*slot->replacement);
    slot->replacement.reset();
    slot->failures = 0;
    start_tenant(self, *slot);
    return;
  }
  // An unexpected stop is a failure: keep what the tenant said, restart it with backoff.
  if (slot->health.state != TenantState::failed || slot->health.error.empty()) {
    slot->health.error = "tenant stopped unexpectedly: " + caf::to_string(msg.reason);
  }
  slot->health.state = TenantState::failed;
  slot->health.unresponsive = false;
  if (st.options.run_once) {  // a run-once process never waits for a retry
    slot->run_once_done = true;
    check_run_once(self);
    return;
  }
  if (slot->up_since && Clock::now() - *slot->up_since >= st.options.restart_reset_after) {
    slot->failures = 0;
  }
  slot->failures++;
  auto delay = restart_delay(slot->failures, st.options.restart_base, st.options.restart_max);
  slot->restart_due = Clock::now() + delay;
  spdlog::warn("tenant={} event=tenant_restart_scheduled in_ms={} failures={} error={}", name,
               delay.count(), slot->failures, slot->health.error);
  self->delayed_send(self, delay, restart_atom::value, name, slot->generation);
}

void on_reload(Self* self, config::Config next) {
  auto& st = self->state;
  if (next.api.host != st.config.api.host || next.api.port != st.config.api.port ||
      next.api.auth_token != st.config.api.auth_token) {
    spdlog::warn("event=config_reload_api_unchanged reason=api settings apply after a restart");
    next.api = st.config.api;
  }
  logging::setup(next.logging.level, next.logging.format, next.logging.per_module_levels,
                 next.logging.python_format);
  pipeline::RunSlots::instance().set_limit(next.features.max_parallel_tenants);
  self->send(st.pool, pool_limit_atom::value, Lane::run,
             static_cast<std::size_t>(next.features.max_parallel_tenants));

  std::vector<std::string> order;
  for (const auto& t : next.tenants) order.push_back(t.name);
  int added = 0, changed = 0, removed = 0, unchanged = 0;
  for (auto& [name, slot] : st.slots) {
    if (std::find(order.begin(), order.end(), name) != order.end() || slot.removing) continue;
    removed++;
    slot.removing = true;
    if (slot.actor) {
      self->send_exit(slot.actor, caf::exit_reason::user_shutdown);
    }
  }
  // Slots already down can go now; the others go when their down message arrives.
  for (auto it = st.slots.begin(); it != st.slots.end();) {
    if (it->second.removing && !it->second.actor) {
      st.tallies.erase(it->first);
      it = st.slots.erase(it);
    } else {
      ++it;
    }
  }
  st.config = std::move(next);
  for (const auto& t : st.config.tenants) {
    std::string fp = slot_fingerprint(t, st.config);
    auto it = st.slots.find(t.name);
    if (it == st.slots.end()) {
      added++;
      TenantSlot slot;
      slot.config = t;
      slot.fingerprint = fp;
      auto& placed = st.slots.emplace(t.name, std::move(slot)).first->second;
      start_tenant(self, placed);
      continue;
    }
    TenantSlot& slot = it->second;
    if (slot.fingerprint == fp && !slot.removing) {
      unchanged++;
      continue;
    }
    changed++;
    slot.fingerprint = fp;
    slot.removing = false;
    if (slot.actor) {
      slot.replacement = t;
      self->send_exit(slot.actor, caf::exit_reason::user_shutdown);
    } else {
      slot.config = t;
      slot.failures = 0;
      start_tenant(self, slot);
    }
  }
  // Removed tenants still stopping stay listed until they are down.
  for (const auto& name : st.order) {
    if (st.slots.count(name) && std::find(order.begin(), order.end(), name) == order.end()) {
      order.push_back(name);
    }
  }
  st.order = std::move(order);
  st.loaded_at = utc_now_iso();
  st.last_reload = ReloadStatus{st.loaded_at, true, ""};
  health_changed_now(self);
  spdlog::info("event=config_reloaded added={} changed={} removed={} unchanged={}", added, changed,
               removed, unchanged);
}

HealthReport make_report(Self* self) {
  auto& st = self->state;
  HealthReport r;
  r.config_path = st.config.source_path;
  r.loaded_at = st.loaded_at;
  r.last_reload = st.last_reload;
  auto now = Clock::now();
  for (const auto& name : st.order) {
    auto it = st.slots.find(name);
    if (it == st.slots.end()) continue;
    TenantHealth h = it->second.health;
    if (it->second.restart_due) {
      auto left = std::chrono::duration_cast<std::chrono::seconds>(*it->second.restart_due - now);
      h.next_restart_in_s = std::max<std::int64_t>(0, left.count());
    }
    r.tenants.push_back(std::move(h));
  }
  return r;
}

// The snapshot /health and /ready serve (see kHealthSnapshotMaxAge).
HealthSnapshot health_snapshot(Self* self) {
  auto& st = self->state;
  const auto now = Clock::now();
  const bool stale = st.health_changed || st.health_counting_down;
  if (!st.health_snapshot || (stale && now - st.health_built >= kHealthSnapshotMaxAge)) {
    auto report = std::make_shared<HealthReport>(make_report(self));
    st.health_counting_down = std::any_of(
        report->tenants.begin(), report->tenants.end(),
        [](const TenantHealth& t) { return t.next_restart_in_s.has_value(); });
    st.health_snapshot = std::move(report);
    st.health_version++;
    st.health_built = now;
    st.health_changed = false;
  }
  return HealthSnapshot{st.health_version, st.health_snapshot};
}

void heartbeat(Self* self) {
  for (auto& [name, slot] : self->state.slots) {
    if (!slot.actor) continue;
    auto gen = slot.generation;
    auto tenant = name;
    self->request(slot.actor, self->state.options.heartbeat_timeout, ping_atom::value)
        .then(
            [=](pong_atom) {
              auto it = self->state.slots.find(tenant);
              if (it != self->state.slots.end() && it->second.generation == gen &&
                  it->second.health.unresponsive) {
                it->second.health.unresponsive = false;
                health_changed(self);
              }
            },
            [=](caf::error&) {
              auto it = self->state.slots.find(tenant);
              if (it != self->state.slots.end() && it->second.generation == gen &&
                  it->second.actor && !it->second.health.unresponsive) {
                it->second.health.unresponsive = true;
                health_changed(self);
                spdlog::warn("tenant={} event=tenant_unresponsive", tenant);
              }
            });
  }
}

// Answers the tenants route: live, migrated tenants are asked (with a timeout); the others
// are described from what the supervisor knows.
void collect_summaries(Self* self, caf::response_promise rp) {
  auto& st = self->state;
  auto results = std::make_shared<TenantSummaries>();
  auto pending = std::make_shared<std::size_t>(0);
  for (const auto& name : st.order) {
    const auto& slot = st.slots.at(name);
    TenantSummary s;
    s.tenant_name = name;
    s.tenant_id = slot.config.tenant_id;
    s.ecosystem = slot.config.ecosystem;
    s.state = slot.health.unresponsive ? "unresponsive" : to_string(slot.health.state);
    s.error = slot.health.error;
    const auto ta = topics::attribution_status(slot.config.ecosystem, slot.config.plugin_settings);
    s.topic_attribution_status = ta.status;
    s.topic_attribution_error = ta.error;
    results->push_back(s);
    if (slot.actor && slot.health.migrated && !slot.health.unresponsive) ++*pending;
  }
  if (*pending == 0) {
    rp.deliver(*results);
    return;
  }
  auto timeout = std::min(st.options.heartbeat_timeout, std::chrono::milliseconds(800));
  for (std::size_t i = 0; i < results->size(); ++i) {
    const auto& slot = st.slots.at((*results)[i].tenant_name);
    if (!(slot.actor && slot.health.migrated && !slot.health.unresponsive)) continue;
    auto done = [=]() mutable {
      if (--*pending == 0) rp.deliver(*results);
    };
    self->request(slot.actor, timeout, summary_atom::value)
        .then(
            [=](TenantSummary& s) mutable {
              (*results)[i] = std::move(s);
              done();
            },
            [=](caf::error&) mutable {
              (*results)[i].state = "unresponsive";
              done();
            });
  }
}

void tally_run(RunTally& t, const RunFigures& run) {
  t.runs_by_status[run.status]++;
  const auto& bounds = run_duration_buckets();
  if (t.duration_buckets.size() != bounds.size()) t.duration_buckets.assign(bounds.size(), 0);
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (run.duration_s <= bounds[i]) {
      t.duration_buckets[i]++;
      break;
    }
  }
  t.duration_count++;
  t.duration_sum_s += run.duration_s;
  t.rows_written += run.rows_written;
  if (run.status == "completed") t.last_success_unix_s = run.ended_unix_s;
}

bool serving_state(TenantState s) {
  return s == TenantState::ready || s == TenantState::running || s == TenantState::degraded;
}

bool serving(const TenantSlot& slot) {
  return slot.actor && slot.health.migrated && !slot.health.unresponsive &&
         serving_state(slot.health.state);
}

EngineMetrics make_metrics(Self* self) {
  auto& st = self->state;
  EngineMetrics out;
  for (const auto& name : st.order) {
    auto it = st.slots.find(name);
    if (it == st.slots.end()) continue;
    TenantMetrics m;
    m.tenant = name;
    m.up = serving(it->second);
    m.duration_buckets.assign(run_duration_buckets().size(), 0);
    if (auto t = st.tallies.find(name); t != st.tallies.end()) {
      const RunTally& tally = t->second;
      m.runs_by_status.assign(tally.runs_by_status.begin(), tally.runs_by_status.end());
      if (!tally.duration_buckets.empty()) m.duration_buckets = tally.duration_buckets;
      m.duration_count = tally.duration_count;
      m.duration_sum_s = tally.duration_sum_s;
      m.last_success_unix_s = tally.last_success_unix_s;
      m.rows_written = tally.rows_written;
    }
    out.push_back(std::move(m));
  }
  return out;
}

std::string quoted_name(const std::string& name) {
  // Only a bounded, JSON-escaped excerpt of what the client sent goes back to it.
  constexpr std::size_t kMax = 64;
  std::string cut = name.size() > kMax ? name.substr(0, kMax) + "..." : name;
  return nlohmann::json(cut).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

// Routes a report request to the tenant that owns the database: 404 for a tenant not
// configured, 503 while it cannot answer (starting, migrating, failed, waiting for a restart).
caf::response_promise route_report(Self* self, const std::string& tenant,
                                   report::Request& request) {
  auto& st = self->state;
  auto rp = self->make_response_promise();
  auto it = st.slots.find(tenant);
  if (it == st.slots.end() || it->second.removing) {
    rp.deliver(
        report::error_response(404, "not_found", "tenant " + quoted_name(tenant) + " not found"));
    return rp;
  }
  const TenantSlot& slot = it->second;
  // A tenant that missed a heartbeat is usually busy answering earlier (slow) queries: its
  // request queues behind them, and the HTTP timeout (504) bounds the wait.
  if (!slot.actor || !slot.health.migrated || !serving_state(slot.health.state)) {
    std::string state = !slot.actor ? "restarting" : to_string(slot.health.state);
    rp.deliver(report::error_response(
        503, "tenant_not_ready",
        "tenant " + quoted_name(tenant) + " is " + state + "; try again later"));
    return rp;
  }
  rp.delegate(slot.actor, report_atom::value, std::move(request));
  return rp;
}

}  // namespace

std::chrono::milliseconds restart_delay(int failures, std::chrono::milliseconds base,
                                        std::chrono::milliseconds max) {
  auto delay = base;
  for (int i = 1; i < failures && delay < max; ++i) delay *= 2;
  return std::min(delay, max);
}

TenantFactory default_tenant_factory() {
  return [](caf::actor_system& sys, caf::actor supervisor, const config::TenantConfig& cfg,
            const TenantOptions& opts) { return sys.spawn(tenant_actor, supervisor, cfg, opts); };
}

caf::behavior supervisor_actor(Self* self, config::Config config, EngineOptions options,
                               TenantFactory factory) {
  auto& st = self->state;
  st.options = options;
  st.factory = factory ? factory : default_tenant_factory();
  st.loaded_at = utc_now_iso();
  st.config = config;
  pipeline::RunSlots::instance().set_limit(st.config.features.max_parallel_tenants);
  st.pool =
      self->spawn<caf::linked>(blocking_pool, default_io_workers(),
                               static_cast<std::size_t>(st.config.features.max_parallel_tenants));
  self->set_down_handler([=](caf::down_msg& msg) { on_tenant_down(self, msg); });
  for (const auto& t : st.config.tenants) {
    st.order.push_back(t.name);
    TenantSlot slot;
    slot.config = t;
    slot.fingerprint = slot_fingerprint(t, st.config);
    start_tenant(self, st.slots.emplace(t.name, std::move(slot)).first->second);
  }
  self->send(self, tick_atom::value);
  check_run_once(self);  // no tenants: nothing to wait for

  return {
      [=](tick_atom) {
        if (self->state.stopping) return;
        heartbeat(self);
        self->delayed_send(self, self->state.options.heartbeat_interval, tick_atom::value);
      },
      [=](tstate_atom, TenantHealth& h) {
        auto it = self->state.slots.find(h.name);
        if (it == self->state.slots.end()) return;
        auto& slot = it->second;
        if (!slot.actor || caf::actor_cast<caf::actor>(self->current_sender()) != slot.actor) {
          return;  // from an incarnation that is gone
        }
        h.restarts = slot.health.restarts;
        h.unresponsive = false;
        if (h.state == TenantState::ready && !slot.health.migrated && h.migrated) {
          spdlog::info("tenant={} event=tenant_ready schema_version={}", h.name, h.schema_version);
        }
        bool finished_run = h.runs_completed > slot.health.runs_completed;
        if (finished_run && h.finished_run) tally_run(self->state.tallies[h.name], *h.finished_run);
        slot.health = std::move(h);
        health_changed(self);
        if (self->state.options.run_once &&
            (finished_run || slot.health.state == TenantState::failed)) {
          slot.run_once_done = true;
          check_run_once(self);
        }
      },
      [=](restart_atom, const std::string& name, std::uint64_t generation) {
        auto it = self->state.slots.find(name);
        if (self->state.stopping || it == self->state.slots.end()) return;
        auto& slot = it->second;
        if (slot.generation != generation || slot.actor) return;  // superseded
        slot.health.restarts++;
        start_tenant(self, slot);
      },
      [=](health_atom) { return make_report(self); },
      [=](health_snapshot_atom) { return health_snapshot(self); },
      [=](metrics_atom) { return make_metrics(self); },
      [=](report_atom, const std::string& tenant, report::Request& request) {
        return route_report(self, tenant, request);
      },
      [=](tenants_atom) {
        auto rp = self->make_response_promise();
        collect_summaries(self, rp);
        return rp;
      },
      [=](reload_atom, config::Config& next) {
        if (!self->state.stopping) on_reload(self, std::move(next));
        return ok_atom::value;
      },
      [=](reload_fail_atom, const std::string& error) {
        self->state.last_reload = ReloadStatus{utc_now_iso(), false, error};
        health_changed_now(self);
        spdlog::error("event=config_reload_failed error={}", error);
        return ok_atom::value;
      },
      [=](stop_atom) {
        auto& s = self->state;
        auto rp = self->make_response_promise();
        s.stop_promises.push_back(rp);
        if (!s.stopping) {
          s.stopping = true;
          health_changed_now(self);
          spdlog::info("event=supervisor_stopping tenants={}", s.slots.size());
          for (auto& [name, slot] : s.slots) {
            if (slot.actor) self->send_exit(slot.actor, caf::exit_reason::user_shutdown);
          }
        }
        finish_stop_if_done(self);
        return rp;
      },
  };
}

caf::actor spawn_supervisor(caf::actor_system& system, config::Config config, EngineOptions options,
                            TenantFactory factory) {
  return system.spawn(supervisor_actor, std::move(config), std::move(options), std::move(factory));
}

}  // namespace chitragupt::actors
