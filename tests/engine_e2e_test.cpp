// The real binary, real SQLite files, real HTTP on 127.0.0.1.

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "storage/database.hpp"
#include "storage/migrator.hpp"
#include "storage/pipeline_runs.hpp"
#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;

// The lifecycle tests' tenants read from one simulator, started once per test process, over a
// window of one day: a run gathers and calculates it in well under a second.
const std::string& sim_url() {
  static TempDir logs;
  static SimProcess sim({"--seed", "31", "--days", "3"}, logs.path());
  static const std::string url = sim.base_url();
  return url;
}

std::string tenant_yaml(const std::string& name, const std::string& db_path) {
  return "  " + name + ":\n    ecosystem: confluent_cloud\n    tenant_id: " + name +
         "\n    lookback_days: 2\n    cutoff_days: 1\n    storage:\n      connection_string: "
         "sqlite:///" +
         db_path +
         "\n    plugin_settings:\n      ccloud_api: { key: sim-key, secret: sim-secret, "
         "base_url: \"" +
         sim_url() + "\" }\n";
}

std::string config_yaml(int port, const std::vector<std::pair<std::string, std::string>>& tenants,
                        const std::string& extra_api = "",
                        const std::string& logging = "  level: INFO\n") {
  std::string y = "logging:\n" + logging +
                  "api:\n  host: 127.0.0.1\n  port: " + std::to_string(port) + "\n" + extra_api +
                  "tenants:\n";
  for (const auto& [name, db] : tenants) y += tenant_yaml(name, db);
  return y;
}

// The tenant's entry in a /health body, or null.
nlohmann::json tenant_in(const nlohmann::json& health, const std::string& name) {
  if (!health.is_object() || !health.contains("tenants")) return nullptr;
  for (const auto& t : health["tenants"]) {
    if (t["name"] == name) return t;
  }
  return nullptr;
}

class EngineE2E : public ::testing::Test {
 protected:
  TempDir dir_;
  int port_ = free_port();
  std::string config_path_ = dir_.file("config.yaml");

  std::unique_ptr<EngineProcess> start(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"--config-file", config_path_};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<EngineProcess>(args, dir_.path());
  }
  nlohmann::json health() { return http_get(port_, "/health").json(); }
  bool tenant_state_is(const std::string& name, const std::string& state) {
    auto h = health();
    auto t = tenant_in(h, name);
    return !t.is_null() && t["state"] == state;
  }
};

TEST_F(EngineE2E, two_tenants_become_ready_and_health_lists_both) {
  write_file(config_path_, config_yaml(port_, {{"alpha", dir_.file("alpha.db")},
                                               {"beta", dir_.file("beta.db")}}));
  // Hold beta's write lock so its migration has to wait: /ready must say 503 meanwhile.
  auto blocker = storage::open_database("sqlite:///" + dir_.file("beta.db"));
  ASSERT_TRUE(blocker.is_ok()) << blocker.error();
  ASSERT_TRUE((*blocker)->begin(storage::TxMode::immediate).is_ok());

  auto engine = start();
  ASSERT_TRUE(eventually([&] { return http_get(port_, "/health").status == 200; }))
      << engine->stderr_text();
  auto not_ready = http_get(port_, "/ready");
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_EQ(not_ready.json()["tenants"].size(), 2u);
  ASSERT_TRUE((*blocker)->rollback().is_ok());
  blocker->reset();

  ASSERT_TRUE(eventually([&] { return http_get(port_, "/ready").status == 200; }))
      << engine->stderr_text();
  auto h = health();
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["version"], "0.1.0");
  ASSERT_EQ(h["tenants"].size(), 2u);
  EXPECT_EQ(h["tenants"][0]["name"], "alpha");
  EXPECT_EQ(h["tenants"][1]["name"], "beta");
  for (const auto& t : h["tenants"]) {
    EXPECT_EQ(t["schema_version"], storage::head_version());
    EXPECT_TRUE(t["state"] == "ready" || t["state"] == "running") << t.dump();
  }
  EXPECT_EQ(h["config"]["path"], config_path_);

  auto tenants = http_get(port_, "/api/v1/tenants");
  ASSERT_EQ(tenants.status, 200);
  auto list = tenants.json()["tenants"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["tenant_name"], "alpha");
  EXPECT_EQ(list[0]["tenant_id"], "alpha");
  EXPECT_EQ(list[0]["ecosystem"], "confluent_cloud");
  EXPECT_TRUE(list[0]["dates_pending"].is_number_integer());

  EXPECT_EQ(http_get(port_, "/no/such/route").status, 404);
  engine->signal(SIGTERM);
  EXPECT_EQ(engine->wait_exit(30s), std::optional<int>(0));
}

TEST_F(EngineE2E, garbage_database_fails_only_that_tenant) {
  write_file(dir_.file("broken.db"), std::string(8192, 'x'));
  write_file(config_path_, config_yaml(port_, {{"good", dir_.file("good.db")},
                                               {"broken", dir_.file("broken.db")}}));
  auto engine = start();
  ASSERT_TRUE(eventually([&] {
    return tenant_state_is("broken", "failed") &&
           (tenant_state_is("good", "ready") || tenant_state_is("good", "running"));
  })) << engine->stderr_text();
  auto reply = http_get(port_, "/health");
  EXPECT_EQ(reply.status, 200);
  auto h = reply.json();
  EXPECT_EQ(h["status"], "degraded");
  auto broken = tenant_in(h, "broken");
  ASSERT_FALSE(broken.is_null());
  EXPECT_NE(broken["error"].get<std::string>().find("not a database"), std::string::npos)
      << broken.dump();
  EXPECT_EQ(http_get(port_, "/ready").status, 503);
  // The garbage file is left as it was: nothing is overwritten.
  EXPECT_EQ(read_file(dir_.file("broken.db")), std::string(8192, 'x'));
  // The supervisor keeps retrying it with backoff.
  EXPECT_TRUE(eventually([&] {
    auto t = tenant_in(health(), "broken");
    return !t.is_null() && t["restarts"].get<int>() >= 1;
  }));
  engine->signal(SIGTERM);
  EXPECT_EQ(engine->wait_exit(30s), std::optional<int>(0));
}

TEST_F(EngineE2E, sighup_adds_a_tenant_without_restarting) {
  write_file(config_path_,
             config_yaml(port_, {{"one", dir_.file("one.db")}, {"two", dir_.file("two.db")}}));
  auto engine = start();
  ASSERT_TRUE(eventually([&] { return http_get(port_, "/ready").status == 200; }))
      << engine->stderr_text();
  pid_t pid_before = engine->pid();

  write_file(config_path_, config_yaml(port_, {{"one", dir_.file("one.db")},
                                               {"two", dir_.file("two.db")},
                                               {"three", dir_.file("three.db")}}));
  engine->signal(SIGHUP);
  ASSERT_TRUE(eventually(
      [&] {
        auto t = tenant_in(health(), "three");
        return !t.is_null() && t["schema_version"] == storage::head_version();
      },
      10s))
      << engine->stderr_text();
  auto h = health();
  EXPECT_EQ(h["tenants"].size(), 3u);
  EXPECT_EQ(h["config"]["last_reload"]["ok"], true);
  for (const auto& t : h["tenants"]) EXPECT_EQ(t["restarts"], 0) << t.dump();
  EXPECT_TRUE(engine->running());
  EXPECT_EQ(engine->pid(), pid_before);
  // The new tenant's database really was migrated.
  auto db = storage::open_database("sqlite:///" + dir_.file("three.db"));
  ASSERT_TRUE(db.is_ok());
  storage::Migrator m(**db);
  EXPECT_EQ(*m.current_version(), storage::head_version());

  // Removing a tenant stops it.
  write_file(config_path_,
             config_yaml(port_, {{"one", dir_.file("one.db")}, {"three", dir_.file("three.db")}}));
  engine->signal(SIGHUP);
  EXPECT_TRUE(eventually(
      [&] {
        auto h = health();
        return h.is_object() && h["tenants"].size() == 2;
      },
      10s));
  engine->signal(SIGTERM);
  EXPECT_EQ(engine->wait_exit(30s), std::optional<int>(0));
}

TEST_F(EngineE2E, sighup_with_a_broken_file_keeps_tenants_running) {
  write_file(config_path_, config_yaml(port_, {{"one", dir_.file("one.db")}}));
  auto engine = start();
  ASSERT_TRUE(eventually([&] { return http_get(port_, "/ready").status == 200; }))
      << engine->stderr_text();
  write_file(config_path_,
             "tenants:\n  one:\n    ecosystem: confluent_cloud\n    tenant_id: one\n"
             "    lookback_days: 2\n    cutoff_days: 9\n");
  engine->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] {
    auto h = health();
    return h.contains("config") && h["config"]["last_reload"].is_object() &&
           h["config"]["last_reload"]["ok"] == false;
  })) << engine->stderr_text();
  auto h = health();
  EXPECT_NE(h["config"]["last_reload"]["error"].get<std::string>().find("lookback_days"),
            std::string::npos);
  ASSERT_EQ(h["tenants"].size(), 1u);
  EXPECT_EQ(h["tenants"][0]["restarts"], 0);
  EXPECT_EQ(http_get(port_, "/ready").status, 200);
  EXPECT_NE(engine->stderr_text().find("config_reload_failed"), std::string::npos);
  engine->signal(SIGTERM);
  EXPECT_EQ(engine->wait_exit(30s), std::optional<int>(0));
}

TEST_F(EngineE2E, sigterm_exits_zero_promptly) {
  write_file(config_path_, config_yaml(port_, {{"one", dir_.file("one.db")}}));
  auto engine = start();
  ASSERT_TRUE(eventually([&] { return http_get(port_, "/ready").status == 200; }))
      << engine->stderr_text();
  engine->signal(SIGTERM);
  EXPECT_EQ(engine->wait_exit(30s), std::optional<int>(0)) << engine->stderr_text();
  EXPECT_NE(engine->stderr_text().find("engine_stopped"), std::string::npos);
}

TEST_F(EngineE2E, sigint_exits_zero_too) {
  write_file(config_path_, config_yaml(port_, {{"one", dir_.file("one.db")}}));
  auto engine = start();
  ASSERT_TRUE(eventually([&] { return http_get(port_, "/ready").status == 200; }));
  engine->signal(SIGINT);
  EXPECT_EQ(engine->wait_exit(30s), std::optional<int>(0));
}

TEST_F(EngineE2E, newer_schema_is_refused_for_that_tenant_only) {
  {
    auto db = storage::open_database("sqlite:///" + dir_.file("future.db"));
    ASSERT_TRUE(db.is_ok());
    storage::Migrator m(**db);
    ASSERT_TRUE(m.upgrade().is_ok());
    ASSERT_TRUE((*db)
                    ->execute("INSERT INTO schema_migrations(version, name, checksum, applied_at) "
                              "VALUES (?, 'from_the_future', 'x', '2030-01-01 00:00:00')",
                              {std::int64_t{999}})
                    .is_ok());
  }
  write_file(config_path_, config_yaml(port_, {{"now", dir_.file("now.db")},
                                               {"future", dir_.file("future.db")}}));
  auto engine = start();
  ASSERT_TRUE(eventually([&] {
    return tenant_state_is("future", "failed") &&
           (tenant_state_is("now", "ready") || tenant_state_is("now", "running"));
  })) << engine->stderr_text();
  auto t = tenant_in(health(), "future");
  ASSERT_FALSE(t.is_null());
  EXPECT_NE(t["error"].get<std::string>().find("newer"), std::string::npos) << t.dump();
  engine->signal(SIGTERM);
  EXPECT_EQ(engine->wait_exit(30s), std::optional<int>(0));
}

TEST_F(EngineE2E, run_once_in_worker_mode_records_a_run_per_tenant_and_exits) {
  // A run left `running` by a dead process is failed at start-up.
  {
    auto db = storage::open_database("sqlite:///" + dir_.file("a.db"));
    ASSERT_TRUE(db.is_ok());
    storage::Migrator m(**db);
    ASSERT_TRUE(m.upgrade().is_ok());
    ASSERT_TRUE(storage::PipelineRunStore(**db).start("a", "periodic").is_ok());
  }
  write_file(config_path_,
             config_yaml(port_, {{"a", dir_.file("a.db")}, {"b", dir_.file("b.db")}}));
  auto engine = start({"--mode", "worker", "--run-once"});
  EXPECT_EQ(engine->wait_exit(30s), std::optional<int>(0)) << engine->stderr_text();
  EXPECT_EQ(http_get(port_, "/health").status, 0);  // worker mode serves no HTTP

  for (const std::string name : {"a", "b"}) {
    auto db = storage::open_database("sqlite:///" + dir_.file(name + ".db"));
    ASSERT_TRUE(db.is_ok());
    auto rows = (*db)->query(
        "SELECT status, trigger, error_message FROM pipeline_runs WHERE tenant_name = ? "
        "ORDER BY id",
        {name});
    ASSERT_TRUE(rows.is_ok()) << rows.error();
    if (name == "a") {
      ASSERT_EQ(rows->size(), 2u);
      EXPECT_EQ((*rows)[0].get_text(0), "failed");
      EXPECT_NE((*rows)[0].get_text(2).find("Orphaned"), std::string::npos);
      EXPECT_EQ((*rows)[1].get_text(0), "completed");
      EXPECT_EQ((*rows)[1].get_text(1), "run_once");
    } else {
      ASSERT_EQ(rows->size(), 1u);
      EXPECT_EQ((*rows)[0].get_text(0), "completed");
    }
  }
}

TEST_F(EngineE2E, auth_token_guards_api_routes_but_not_probes) {
  write_file(config_path_,
             config_yaml(port_, {{"a", dir_.file("a.db")}}, "  auth_token: ${TEST_TOKEN}\n"));
  write_file(dir_.file(".env"), "TEST_TOKEN=tok-S3CRET-value\n");
  auto engine = start();
  ASSERT_TRUE(eventually([&] { return http_get(port_, "/ready").status == 200; }))
      << engine->stderr_text();
  EXPECT_EQ(http_get(port_, "/health").status, 200);
  EXPECT_EQ(http_get(port_, "/api/v1/tenants").status, 401);
  EXPECT_EQ(http_get(port_, "/api/v1/tenants", "wrong").status, 401);
  EXPECT_EQ(http_get(port_, "/api/v1/tenants", "tok-S3CRET-value").status, 200);
  engine->signal(SIGTERM);
  EXPECT_EQ(engine->wait_exit(30s), std::optional<int>(0));
  EXPECT_EQ(engine->stderr_text().find("tok-S3CRET-value"), std::string::npos);
  EXPECT_EQ(engine->stdout_text().find("tok-S3CRET-value"), std::string::npos);
}

TEST_F(EngineE2E, json_log_format_writes_one_json_object_per_line) {
  write_file(config_path_, config_yaml(port_, {{"a", dir_.file("a.db")}}, "", "  format: json\n"));
  auto engine = start({"--mode", "worker", "--run-once"});
  ASSERT_EQ(engine->wait_exit(30s), std::optional<int>(0)) << engine->stderr_text();
  std::istringstream lines(engine->stderr_text());
  std::string line;
  int parsed = 0;
  bool tenant_named = false;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    ASSERT_TRUE(j.contains("msg") && j.contains("level") && j.contains("ts"));
    tenant_named =
        tenant_named || j["msg"].get<std::string>().find("tenant=a ") != std::string::npos;
    parsed++;
  }
  EXPECT_GT(parsed, 3);
  EXPECT_TRUE(tenant_named);
}

TEST_F(EngineE2E, port_in_use_is_a_fatal_start_up_error) {
  write_file(config_path_, config_yaml(port_, {{"a", dir_.file("a.db")}}));
  auto first = start();
  ASSERT_TRUE(eventually([&] { return http_get(port_, "/health").status == 200; }));
  auto second = run_binary({"--config-file", config_path_, "--mode", "api"});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("cannot listen on 127.0.0.1:" + std::to_string(port_)),
            std::string::npos)
      << second.err;
  first->signal(SIGTERM);
  EXPECT_EQ(first->wait_exit(30s), std::optional<int>(0));
}

// ---- command line --------------------------------------------------------------------------

TEST(EngineCli, version_and_help_exit_zero) {
  auto v = run_binary({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out, "chitragupt 0.1.0\n");
  auto h = run_binary({"--help"});
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("--config-file"), std::string::npos);
}

TEST(EngineCli, usage_errors_exit_two) {
  auto none = run_binary({});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("--config-file is required"), std::string::npos);
  EXPECT_EQ(run_binary({"--config-file", "x.yaml", "--bogus"}).exit_code, 2);
  EXPECT_EQ(run_binary({"--config-file", "x.yaml", "--mode", "sideways"}).exit_code, 2);
  EXPECT_EQ(run_binary({"--config-file"}).exit_code, 2);
  EXPECT_EQ(run_binary({"db"}).exit_code, 2);
}

TEST(EngineCli, invalid_config_exits_one_with_a_single_line) {
  TempDir dir;
  write_file(dir.file("c.yaml"),
             "tenants:\n  a:\n    ecosystem: confluent_cloud\n    tenant_id: a\n"
             "    lookback_days: 3\n    cutoff_days: 5\n    storage:\n"
             "      conection_string: sqlite:///x.db\n");
  auto r = run_binary({"--config-file", dir.file("c.yaml")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("lookback_days"), std::string::npos);
  EXPECT_NE(r.err.find("did you mean connection_string?"), std::string::npos);

  auto v = run_binary({"--config-file", dir.file("c.yaml"), "--validate"});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.err.find("Config validation failed:"), std::string::npos);
  EXPECT_NE(v.err.find("tenants.a.storage.conection_string"), std::string::npos);

  auto missing = run_binary({"--config-file", dir.file("nope.yaml")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nope.yaml"), std::string::npos);
}

TEST(EngineCli, validate_and_show_config_mask_secrets) {
  TempDir dir;
  write_file(dir.file("c.yaml"),
             "api:\n  auth_token: tok-Hidden-1\ntenants:\n  a:\n    ecosystem: confluent_cloud\n"
             "    tenant_id: a\n    storage:\n      connection_string: "
             "postgresql://u:PgPass-Hidden-2@db:5432/a\n    plugin_settings:\n      ccloud_api:\n"
             "        key: KEY\n        secret: ${CC_SECRET}\n");
  write_file(dir.file(".env"), "CC_SECRET=Api-Hidden-3\n");
  auto v = run_binary({"--config-file", dir.file("c.yaml"), "--validate"});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_EQ(v.out, "Config is valid.\n");
  auto s = run_binary({"--config-file", dir.file("c.yaml"), "--show-config"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  for (const char* secret : {"tok-Hidden-1", "PgPass-Hidden-2", "Api-Hidden-3"}) {
    EXPECT_EQ(s.out.find(secret), std::string::npos) << secret;
  }
  auto j = nlohmann::json::parse(s.out);
  EXPECT_EQ(j["api"]["auth_token"], "**********");
  EXPECT_EQ(j["tenants"]["a"]["storage"]["connection_string"], "**********");
  EXPECT_EQ(j["tenants"]["a"]["plugin_settings"]["ccloud_api"]["secret"], "**********");
  EXPECT_EQ(j["tenants"]["a"]["plugin_settings"]["ccloud_api"]["key"], "KEY");
}

}  // namespace
}  // namespace chitragupt::testing

namespace chitragupt::testing {
namespace {

TEST(ShippedConfig, example_config_is_valid) {
  auto r = run_binary(
      {"--config-file", std::string(CHITRAGUPT_SOURCE_DIR) + "/config/example.yaml", "--validate"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Config is valid.\n");
}

}  // namespace
}  // namespace chitragupt::testing

namespace chitragupt::testing {
namespace {

TEST(DbCommand, upgrade_then_current_and_history_through_the_binary) {
  TempDir dir;
  const std::string url = "sqlite:///" + dir.file("t.db");
  auto up = run_binary({"db", "upgrade", "--database-url", url});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  auto cur = run_binary({"db", "current", "--database-url", url});
  EXPECT_EQ(cur.exit_code, 0) << cur.err;
  EXPECT_NE(cur.out.find("head"), std::string::npos) << cur.out;
  auto hist = run_binary({"db", "history", "--database-url", url});
  EXPECT_EQ(hist.exit_code, 0);
  EXPECT_NE(hist.out.find("0001"), std::string::npos);
  EXPECT_NE(hist.out.find("0002"), std::string::npos);
  EXPECT_EQ(hist.out.find("pending"), std::string::npos) << hist.out;
  auto down = run_binary({"db", "downgrade", "1", "--database-url", url});
  EXPECT_EQ(down.exit_code, 0) << down.err;
  hist = run_binary({"db", "history", "--database-url", url});
  EXPECT_NE(hist.out.find("pending"), std::string::npos) << hist.out;
  auto backup = run_binary({"db", "backup", dir.file("copy.db"), "--database-url", url});
  EXPECT_EQ(backup.exit_code, 0) << backup.err;
  auto copy = storage::open_database("sqlite:///" + dir.file("copy.db"));
  ASSERT_TRUE(copy.is_ok());
  storage::Migrator m(**copy);
  EXPECT_EQ(*m.current_version(), 1);
}

}  // namespace
}  // namespace chitragupt::testing
