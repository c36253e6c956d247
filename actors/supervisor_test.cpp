#include "actors/supervisor.hpp"

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "messages/protocol.hpp"

namespace chitragupt::actors {
namespace {

using namespace messages;
using namespace std::chrono_literals;

// What a fake tenant does, chosen by its tenant_id.
//   "ok"     -> reports ready (migrated) and answers pings
//   "fail"   -> reports failed and quits with an error
//   "stuck"  -> reports ready, then blocks its thread on the first ping for `stuck_for`
//   "runner" -> reports ready and one finished run
struct FakeWorld {
  std::mutex mu;
  std::map<std::string, int> spawns;  // tenant name -> times started
  std::chrono::milliseconds stuck_for{2500};
  std::map<std::string, caf::actor> actors;  // tenant name -> latest incarnation
  int spawn_count(const std::string& name) {
    std::lock_guard<std::mutex> lock(mu);
    return spawns[name];
  }
};

caf::behavior fake_tenant(caf::event_based_actor* self, caf::actor supervisor,
                          config::TenantConfig cfg, std::shared_ptr<FakeWorld> world) {
  TenantHealth h;
  h.name = cfg.name;
  if (cfg.tenant_id == "fail") {
    h.state = TenantState::failed;
    h.error = "database is broken";
    self->send(supervisor, tstate_atom::value, h);
    self->quit(caf::make_error(caf::sec::runtime_error, "database is broken"));
    return {};
  }
  h.state = TenantState::ready;
  h.migrated = true;
  h.schema_version = 2;
  if (cfg.tenant_id == "runner") {
    h.runs_completed = 1;
    h.last_run = LastRun{"completed", "2026-01-01T00:00:00Z", ""};
    h.finished_run = RunFigures{"completed", 2.0, 42, 1767225600.0};
  }
  self->send(supervisor, tstate_atom::value, h);
  auto stuck_once = std::make_shared<bool>(cfg.tenant_id == "stuck");
  return {
      [=](ping_atom) {
        if (*stuck_once) {
          *stuck_once = false;
          std::this_thread::sleep_for(world->stuck_for);
        }
        return pong_atom::value;
      },
      [=](report_atom, const report::Request& r) {
        report::Response resp;
        resp.body = "answered by " + cfg.name + " for " + r.route;
        return resp;
      },
      // The test's cue: a run failed, the tenant is degraded.
      [=](tick_atom) {
        TenantHealth degraded = h;
        degraded.state = TenantState::degraded;
        degraded.error = "last run failed";
        self->send(supervisor, tstate_atom::value, degraded);
      },
      [=](summary_atom) {
        TenantSummary s;
        s.tenant_name = cfg.name;
        s.tenant_id = cfg.tenant_id;
        s.ecosystem = cfg.ecosystem;
        s.state = "ready";
        s.dates_calculated = 7;
        return s;
      },
  };
}

TenantFactory fake_factory(std::shared_ptr<FakeWorld> world) {
  return [world](caf::actor_system& sys, caf::actor supervisor, const config::TenantConfig& cfg,
                 const TenantOptions&) {
    {
      std::lock_guard<std::mutex> lock(world->mu);
      world->spawns[cfg.name]++;
    }
    auto actor = sys.spawn<caf::detached>(fake_tenant, supervisor, cfg, world);
    std::lock_guard<std::mutex> lock(world->mu);
    world->actors[cfg.name] = actor;
    return actor;
  };
}

config::TenantConfig tenant(const std::string& name, const std::string& behaviour) {
  config::TenantConfig t;
  t.name = name;
  t.tenant_id = behaviour;
  t.ecosystem = "confluent_cloud";
  t.storage.connection_string = "sqlite:///" + name + ".db";
  return t;
}

EngineOptions fast_options() {
  EngineOptions o;
  o.heartbeat_interval = 100ms;
  o.heartbeat_timeout = 300ms;
  o.restart_base = 50ms;
  o.restart_max = 400ms;
  return o;
}

class SupervisorTest : public ::testing::Test {
 protected:
  caf::actor_system_config cfg_;
  caf::actor_system system_{cfg_};
  std::shared_ptr<FakeWorld> world_ = std::make_shared<FakeWorld>();
  caf::actor supervisor_;

  void start(config::Config config, EngineOptions options = fast_options()) {
    supervisor_ = spawn_supervisor(system_, std::move(config), options, fake_factory(world_));
  }
  void TearDown() override {
    if (!supervisor_) return;
    caf::scoped_actor self{system_};
    self->request(supervisor_, 10s, stop_atom::value)
        .receive([](ok_atom) {}, [](caf::error& e) { FAIL() << caf::to_string(e); });
  }
  HealthReport health() {
    caf::scoped_actor self{system_};
    HealthReport out;
    self->request(supervisor_, 1s, health_atom::value)
        .receive([&](HealthReport& r) { out = std::move(r); },
                 [&](caf::error& e) { ADD_FAILURE() << caf::to_string(e); });
    return out;
  }
  HealthSnapshot snapshot() {
    caf::scoped_actor self{system_};
    HealthSnapshot out;
    self->request(supervisor_, 1s, health_snapshot_atom::value)
        .receive([&](HealthSnapshot& s) { out = std::move(s); },
                 [&](caf::error& e) { ADD_FAILURE() << caf::to_string(e); });
    return out;
  }
  const TenantHealth* find(const HealthReport& r, const std::string& name) {
    for (const auto& t : r.tenants) {
      if (t.name == name) return &t;
    }
    return nullptr;
  }
  report::Response report(const std::string& tenant_name, const std::string& route) {
    caf::scoped_actor self{system_};
    report::Request r;
    r.method = "GET";
    r.route = route;
    report::Response out;
    out.status = 0;
    self->request(supervisor_, 2s, report_atom::value, tenant_name, r)
        .receive([&](report::Response& resp) { out = std::move(resp); },
                 [&](caf::error& e) { ADD_FAILURE() << caf::to_string(e); });
    return out;
  }
  EngineMetrics metrics() {
    caf::scoped_actor self{system_};
    EngineMetrics out;
    self->request(supervisor_, 1s, metrics_atom::value)
        .receive([&](EngineMetrics& m) { out = std::move(m); },
                 [&](caf::error& e) { ADD_FAILURE() << caf::to_string(e); });
    return out;
  }
  // Polls the health report (bounded) until `pred` holds.
  bool eventually(const std::function<bool(const HealthReport&)>& pred,
                  std::chrono::milliseconds limit = 5s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (pred(health())) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
};

TEST(RestartDelay, doubles_from_one_second_and_caps_at_five_minutes) {
  using std::chrono::milliseconds;
  EXPECT_EQ(restart_delay(1, 1000ms, 300000ms), milliseconds(1000));
  EXPECT_EQ(restart_delay(2, 1000ms, 300000ms), milliseconds(2000));
  EXPECT_EQ(restart_delay(3, 1000ms, 300000ms), milliseconds(4000));
  EXPECT_EQ(restart_delay(9, 1000ms, 300000ms), milliseconds(256000));
  EXPECT_EQ(restart_delay(10, 1000ms, 300000ms), milliseconds(300000));
  EXPECT_EQ(restart_delay(60, 1000ms, 300000ms), milliseconds(300000));
}

TEST_F(SupervisorTest, failed_tenant_is_restarted_with_backoff_and_others_stay_ready) {
  config::Config c;
  c.tenants = {tenant("good", "ok"), tenant("bad", "fail")};
  start(c);
  // Checked on one report seen while the bad tenant is down between restarts: a later report
  // may catch it starting again (state starting, no error yet).
  HealthReport r;
  ASSERT_TRUE(eventually([&](const HealthReport& seen) {
    auto* bad = find(seen, "bad");
    if (!bad || bad->restarts < 3 || bad->state != TenantState::failed) return false;
    r = seen;
    return true;
  })) << "the failing tenant was not restarted repeatedly";
  const auto* good = find(r, "good");
  const auto* bad = find(r, "bad");
  ASSERT_TRUE(good && bad);
  EXPECT_EQ(good->state, TenantState::ready);
  EXPECT_EQ(bad->state, TenantState::failed);
  EXPECT_EQ(bad->error, "database is broken");
  EXPECT_EQ(world_->spawn_count("good"), 1);
  EXPECT_GE(world_->spawn_count("bad"), 4);
  ASSERT_EQ(r.tenants.size(), 2u);
  EXPECT_EQ(r.tenants[0].name, "good");  // config order is kept
}

TEST_F(SupervisorTest, backoff_grows_between_restarts) {
  config::Config c;
  c.tenants = {tenant("bad", "fail")};
  auto o = fast_options();
  o.restart_base = 100ms;
  o.restart_max = 60s;
  start(c, o);
  // Restarts at ~100, 300, 700, 1500 ms: after 1.1 s at most 4 spawns (1 + 3 restarts).
  std::this_thread::sleep_for(1100ms);
  int spawns = world_->spawn_count("bad");
  EXPECT_GE(spawns, 3);
  EXPECT_LE(spawns, 4);
  const auto report = health();  // find() points into it
  auto* bad = find(report, "bad");
  ASSERT_TRUE(bad);
  ASSERT_TRUE(bad->next_restart_in_s.has_value());
}

TEST_F(SupervisorTest, stuck_tenant_shows_unresponsive_while_health_answers_quickly) {
  config::Config c;
  c.tenants = {tenant("stuck", "stuck"), tenant("fine", "ok")};
  start(c);
  ASSERT_TRUE(eventually([&](const HealthReport& r) {
    auto* s = find(r, "stuck");
    return s && s->unresponsive;
  }));
  // Each health request answered from the snapshot, not by asking the stuck tenant.
  auto before = std::chrono::steady_clock::now();
  auto r = health();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
  EXPECT_FALSE(find(r, "fine")->unresponsive);
  // Once the tenant answers again, the flag clears.
  EXPECT_TRUE(
      eventually([&](const HealthReport& rep) { return !find(rep, "stuck")->unresponsive; }, 5s));
}

TEST_F(SupervisorTest, reload_starts_new_stops_removed_restarts_changed_and_keeps_unchanged) {
  config::Config c;
  c.tenants = {tenant("keep", "ok"), tenant("change", "ok"), tenant("drop", "ok")};
  start(c);
  ASSERT_TRUE(eventually([&](const HealthReport& r) {
    return r.tenants.size() == 3 && find(r, "drop") && find(r, "drop")->migrated;
  }));
  config::Config next = c;
  next.tenants = {tenant("keep", "ok"), tenant("change", "ok"), tenant("new", "ok")};
  next.tenants[1].lookback_days = 90;  // a changed tenant
  caf::scoped_actor self{system_};
  self->request(supervisor_, 1s, reload_atom::value, next)
      .receive([](ok_atom) {}, [](caf::error& e) { FAIL() << caf::to_string(e); });
  ASSERT_TRUE(eventually([&](const HealthReport& r) {
    return r.tenants.size() == 3 && find(r, "new") && find(r, "new")->migrated &&
           !find(r, "drop") && find(r, "change")->migrated;
  }));
  EXPECT_EQ(world_->spawn_count("keep"), 1);
  EXPECT_EQ(world_->spawn_count("change"), 2);
  EXPECT_EQ(world_->spawn_count("new"), 1);
  auto r = health();
  ASSERT_TRUE(r.last_reload.has_value());
  EXPECT_TRUE(r.last_reload->ok);
}

TEST_F(SupervisorTest, failed_reload_is_recorded_and_changes_nothing) {
  config::Config c;
  c.tenants = {tenant("a", "ok")};
  start(c);
  ASSERT_TRUE(eventually([&](const HealthReport& r) { return find(r, "a")->migrated; }));
  caf::anon_send(supervisor_, reload_fail_atom::value, std::string("tenants.a.port: bad"));
  ASSERT_TRUE(eventually([&](const HealthReport& r) {
    return r.last_reload && !r.last_reload->ok && r.last_reload->error == "tenants.a.port: bad";
  }));
  EXPECT_EQ(world_->spawn_count("a"), 1);
  EXPECT_EQ(find(health(), "a")->state, TenantState::ready);
}

TEST_F(SupervisorTest, tenants_route_asks_each_live_tenant) {
  config::Config c;
  c.tenants = {tenant("a", "ok"), tenant("b", "fail")};
  start(c);
  ASSERT_TRUE(eventually([&](const HealthReport& r) { return find(r, "a")->migrated; }));
  caf::scoped_actor self{system_};
  TenantSummaries out;
  self->request(supervisor_, 2s, tenants_atom::value)
      .receive([&](TenantSummaries& s) { out = std::move(s); },
               [](caf::error& e) { FAIL() << caf::to_string(e); });
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].tenant_name, "a");
  EXPECT_EQ(out[0].dates_calculated, 7);  // answered by the tenant itself
  EXPECT_EQ(out[1].tenant_name, "b");
  EXPECT_EQ(out[1].state, "failed");
}

TEST_F(SupervisorTest, run_once_completes_when_every_tenant_has_run_or_failed) {
  std::atomic<int> completions{0};
  config::Config c;
  c.tenants = {tenant("r1", "runner"), tenant("r2", "runner"), tenant("bad", "fail")};
  auto o = fast_options();
  o.run_once = true;
  o.on_run_once_complete = [&] { completions++; };
  start(c, o);
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (completions == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(completions.load(), 1);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(completions.load(), 1);
  EXPECT_EQ(world_->spawn_count("bad"), 1);  // run-once never waits for a restart
}

TEST_F(SupervisorTest, stop_ends_every_tenant_and_replies) {
  config::Config c;
  c.tenants = {tenant("a", "ok"), tenant("b", "ok")};
  start(c);
  ASSERT_TRUE(eventually(
      [&](const HealthReport& r) { return find(r, "a")->migrated && find(r, "b")->migrated; }));
  caf::scoped_actor self{system_};
  bool stopped = false;
  self->request(supervisor_, 5s, stop_atom::value)
      .receive([&](ok_atom) { stopped = true; },
               [](caf::error& e) { FAIL() << caf::to_string(e); });
  EXPECT_TRUE(stopped);
  supervisor_ = nullptr;  // already stopped
}

TEST_F(SupervisorTest, report_for_an_unknown_tenant_is_404_and_the_name_is_json_escaped) {
  config::Config c;
  c.tenants = {tenant("good", "ok")};
  start(c);
  auto r = report("<b>\"evil\"</b>", "/tenants/{tenant}/billing");
  EXPECT_EQ(r.status, 404);
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << r.body;
  EXPECT_EQ(body["error"]["code"], "not_found");
  const std::string message = body["error"]["message"];
  EXPECT_NE(message.find("\\\"evil\\\""), std::string::npos) << message;
}

TEST_F(SupervisorTest, report_for_a_failed_tenant_is_503_and_a_ready_one_answers_itself) {
  config::Config c;
  c.tenants = {tenant("good", "ok"), tenant("bad", "fail")};
  start(c);
  ASSERT_TRUE(eventually([&](const HealthReport& h) {
    auto* good = find(h, "good");
    return good && good->migrated;
  }));
  auto bad = report("bad", "/tenants/{tenant}/billing");
  EXPECT_EQ(bad.status, 503);
  EXPECT_NE(bad.body.find("tenant_not_ready"), std::string::npos) << bad.body;
  auto good = report("good", "/tenants/{tenant}/billing");
  EXPECT_EQ(good.status, 200);
  EXPECT_EQ(good.body, "answered by good for /tenants/{tenant}/billing");
}

TEST_F(SupervisorTest, metrics_tally_each_finished_run_and_say_which_tenants_are_up) {
  config::Config c;
  c.tenants = {tenant("runner", "runner"), tenant("bad", "fail")};
  start(c);
  EngineMetrics m;
  ASSERT_TRUE(eventually([&](const HealthReport&) {
    m = metrics();
    return m.size() == 2 && m[0].duration_count == 1;
  }));
  EXPECT_EQ(m[0].tenant, "runner");
  EXPECT_TRUE(m[0].up);
  ASSERT_EQ(m[0].runs_by_status.size(), 1u);
  EXPECT_EQ(m[0].runs_by_status[0], (std::pair<std::string, std::int64_t>{"completed", 1}));
  EXPECT_EQ(m[0].rows_written, 42);
  EXPECT_DOUBLE_EQ(m[0].duration_sum_s, 2.0);
  ASSERT_TRUE(m[0].last_success_unix_s.has_value());
  EXPECT_DOUBLE_EQ(*m[0].last_success_unix_s, 1767225600.0);
  // 2 s falls in the 5 s bucket (the second), not the 1 s one.
  ASSERT_EQ(m[0].duration_buckets.size(), run_duration_buckets().size());
  EXPECT_EQ(m[0].duration_buckets[0], 0);
  EXPECT_EQ(m[0].duration_buckets[1], 1);
  EXPECT_EQ(m[1].tenant, "bad");
  EXPECT_FALSE(m[1].up);
  EXPECT_EQ(m[1].duration_count, 0);
}

}  // namespace
}  // namespace chitragupt::actors

namespace chitragupt::actors {
namespace {

// /health and /ready serve the supervisor's shared snapshot: the same one while nothing changes,
// and a change (a tenant going degraded) shows in it once kHealthSnapshotMaxAge has passed since
// the last one was taken.
TEST_F(SupervisorTest, the_health_snapshot_is_shared_until_a_change_and_shows_it_within_its_bound) {
  config::Config c;
  c.tenants = {tenant("a", "ok"), tenant("b", "ok")};
  start(c);
  ASSERT_TRUE(eventually([&](const HealthReport& r) {
    return r.tenants.size() == 2 && r.tenants[0].state == TenantState::ready &&
           r.tenants[1].state == TenantState::ready;
  }));
  std::this_thread::sleep_for(kHealthSnapshotMaxAge);
  HealthSnapshot first = snapshot();
  ASSERT_TRUE(first.report);
  ASSERT_EQ(first.report->tenants.size(), 2u);
  EXPECT_EQ(first.report->tenants[1].state, TenantState::ready);
  // Nothing changed (heartbeats answered): the same snapshot, not a copy.
  std::this_thread::sleep_for(kHealthSnapshotMaxAge + 150ms);
  HealthSnapshot same = snapshot();
  EXPECT_EQ(same.version, first.version);
  EXPECT_EQ(same.report, first.report);

  caf::actor b;
  {
    std::lock_guard<std::mutex> lock(world_->mu);
    b = world_->actors["b"];
  }
  caf::anon_send(b, tick_atom::value);
  // Once the supervisor has the change, a snapshot taken kHealthSnapshotMaxAge later shows it.
  ASSERT_TRUE(eventually([&](const HealthReport& r) {
    return find(r, "b") && find(r, "b")->state == TenantState::degraded;
  }));
  std::this_thread::sleep_for(kHealthSnapshotMaxAge);
  HealthSnapshot after = snapshot();
  ASSERT_TRUE(after.report);
  EXPECT_GT(after.version, first.version);
  const TenantHealth* shown = find(*after.report, "b");
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->state, TenantState::degraded);
  EXPECT_EQ(shown->error, "last run failed");
  EXPECT_EQ(find(*after.report, "a")->state, TenantState::ready);
}

// A reload shows at once (no wait for the bound): the new tenant is listed by the next request.
TEST_F(SupervisorTest, a_reload_shows_in_the_next_health_snapshot) {
  config::Config c;
  c.tenants = {tenant("a", "ok")};
  start(c);
  HealthSnapshot before = snapshot();
  ASSERT_TRUE(before.report);
  EXPECT_EQ(before.report->tenants.size(), 1u);
  config::Config next = c;
  next.tenants.push_back(tenant("n", "ok"));
  {
    caf::scoped_actor self{system_};
    self->request(supervisor_, 2s, reload_atom::value, next)
        .receive([](ok_atom) {}, [](caf::error& e) { FAIL() << caf::to_string(e); });
  }
  HealthSnapshot after = snapshot();
  ASSERT_TRUE(after.report);
  EXPECT_EQ(after.report->tenants.size(), 2u);
  EXPECT_TRUE(after.report->last_reload.has_value());
}

}  // namespace
}  // namespace chitragupt::actors
