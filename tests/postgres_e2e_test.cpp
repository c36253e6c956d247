// The real binary on a real PostgreSQL server (scripts/pg-test-cluster.sh), over real HTTP.
// Without the server these tests print a loud SKIPPED line (and fail under CI=true).

#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "storage/database.hpp"
#include "storage/migrator.hpp"
#include "storage/pg_test_env.hpp"
#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;
using storage::testing::PgScratchDatabase;
using storage::testing::PgServer;

struct TenantSpec {
  std::string name;
  std::string connection_string;
};

// One simulator per test process; the tenants' window is one day, so a run is quick.
const std::string& sim_url() {
  static TempDir logs;
  static SimProcess sim({"--seed", "32", "--days", "3"}, logs.path());
  static const std::string url = sim.base_url();
  return url;
}

std::string config_yaml(int port, const std::vector<TenantSpec>& tenants,
                        const std::string& features = "") {
  std::string y = "logging:\n  level: INFO\n" + features +
                  "api:\n  host: 127.0.0.1\n  port: " + std::to_string(port) + "\ntenants:\n";
  for (const auto& t : tenants) {
    y += "  " + t.name + ":\n    ecosystem: confluent_cloud\n    tenant_id: " + t.name +
         "\n    lookback_days: 2\n    cutoff_days: 1\n    storage:\n      connection_string: \"" +
         t.connection_string +
         "\"\n    plugin_settings:\n      ccloud_api: { key: sim-key, secret: sim-secret, "
         "base_url: \"" +
         sim_url() + "\" }\n";
  }
  return y;
}

nlohmann::json health_of(int port) { return http_get(port, "/health").json(); }

nlohmann::json tenant_in(const nlohmann::json& health, const std::string& name) {
  if (!health.is_object() || !health.contains("tenants")) return nullptr;
  for (const auto& t : health["tenants"]) {
    if (t["name"] == name) return t;
  }
  return nullptr;
}

std::string state_of(int port, const std::string& tenant) {
  auto t = tenant_in(health_of(port), tenant);
  return t.is_null() ? "" : t["state"].get<std::string>();
}

std::string error_of(int port, const std::string& tenant) {
  auto t = tenant_in(health_of(port), tenant);
  return t.is_null() || t["error"].is_null() ? "" : t["error"].get<std::string>();
}

std::unique_ptr<storage::Database> open_ok(const std::string& url) {
  auto db = storage::open_database(url);
  EXPECT_TRUE(db) << db.error();
  return db ? std::move(*db) : nullptr;
}

int occurrences(const std::string& text, const std::string& part) {
  int n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

class PostgresE2E : public ::testing::Test {
 protected:
  void SetUp() override { CHITRAGUPT_REQUIRE_POSTGRESQL(); }

  std::unique_ptr<EngineProcess> start(const std::string& config_text, const std::string& name) {
    const std::string sub = dir_.file(name);
    std::filesystem::create_directories(sub);
    write_file(sub + "/config.yaml", config_text);
    return std::make_unique<EngineProcess>(
        std::vector<std::string>{"--config-file", sub + "/config.yaml"}, sub);
  }

  TempDir dir_;
};

TEST_F(PostgresE2E, two_engines_started_together_apply_each_migration_once_and_both_get_ready) {
  PgScratchDatabase scratch;
  ASSERT_TRUE(scratch.status()) << scratch.status().message();
  const int port_a = free_port();
  const int port_b = free_port();
  ASSERT_NE(port_a, port_b);
  const std::vector<TenantSpec> tenants = {{"shared", scratch.url()}};
  write_file(dir_.file("a.yaml"), config_yaml(port_a, tenants));
  write_file(dir_.file("b.yaml"), config_yaml(port_b, tenants));
  std::filesystem::create_directories(dir_.file("a"));
  std::filesystem::create_directories(dir_.file("b"));
  // Started back to back, before either has had time to connect.
  EngineProcess a({"--config-file", dir_.file("a.yaml")}, dir_.file("a"));
  // b serves the API only: both migrate, but only a runs the pipeline (two engines
  // calculating one database at once is not what this test is about).
  EngineProcess b({"--config-file", dir_.file("b.yaml"), "--mode", "api"}, dir_.file("b"));

  ASSERT_TRUE(eventually(
      [&] {
        return state_of(port_a, "shared") == "ready" && state_of(port_b, "shared") == "ready";
      },
      30s))
      << health_of(port_a).dump() << "\n"
      << health_of(port_b).dump() << "\n"
      << a.stderr_text() << b.stderr_text();
  EXPECT_EQ(http_get(port_a, "/ready").status, 200);
  EXPECT_EQ(http_get(port_b, "/ready").status, 200);
  for (int port : {port_a, port_b}) {
    auto t = tenant_in(health_of(port), "shared");
    EXPECT_EQ(t["schema_version"], storage::head_version()) << t.dump();
  }

  auto db = open_ok(scratch.url());
  ASSERT_TRUE(db);
  auto rows =
      db->query("SELECT version, count(*) FROM schema_migrations GROUP BY version ORDER BY 1");
  ASSERT_TRUE(rows) << rows.error();
  ASSERT_EQ(static_cast<int>(rows->size()), storage::head_version());
  for (int i = 0; i < storage::head_version(); ++i) {
    EXPECT_EQ((*rows)[static_cast<std::size_t>(i)].get_int(0), i + 1);
    EXPECT_EQ((*rows)[static_cast<std::size_t>(i)].get_int(1), 1) << "version " << i + 1;
  }
  // One engine applied each migration; the other found it done.
  const std::string logs = a.stderr_text() + b.stderr_text();
  for (const auto& m : storage::known_migrations(Dialect::postgresql)) {
    EXPECT_EQ(occurrences(logs, "applying " + storage::version_label(m.version) + " "), 1) << logs;
  }

  a.signal(SIGTERM);
  b.signal(SIGTERM);
  EXPECT_EQ(a.wait_exit(30s), std::optional<int>(0)) << a.stderr_text();
  EXPECT_EQ(b.wait_exit(30s), std::optional<int>(0)) << b.stderr_text();
}

// A PostgreSQL server of this test's own (scripts/pg-test-cluster.sh in a temporary directory),
// so stopping it disturbs no other test running beside this one.
class OwnCluster {
 public:
  OwnCluster() {
    char tmpl[] = "/tmp/chitragupt-pgr-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return;
    dir_ = tmpl;
    if (script("start") != 0) return;
    std::ifstream env(dir_ + "/env");
    for (std::string line; std::getline(env, line);) {
      const std::string prefix = "export CHITRAGUPT_TEST_PG_URL='";
      if (line.rfind(prefix, 0) == 0)
        url_ = line.substr(prefix.size(), line.size() - 1 - prefix.size());
    }
  }
  ~OwnCluster() {
    if (dir_.empty()) return;
    script("stop");
    std::error_code ec;
    std::filesystem::remove(dir_ + ".log", ec);
    std::filesystem::remove_all(dir_, ec);  // if start failed before the script owned it
  }
  OwnCluster(const OwnCluster&) = delete;
  OwnCluster& operator=(const OwnCluster&) = delete;

  bool ok() const { return !url_.empty(); }
  const std::string& url() const { return url_; }  // the admin's, on database postgres
  int script(const std::string& command) const {
    const std::string line = "timeout 120 bash " + std::string(CHITRAGUPT_SOURCE_DIR) +
                             "/scripts/pg-test-cluster.sh " + command + " '" + dir_ + "' >> '" +
                             dir_ + ".log' 2>&1";
    return std::system(line.c_str());
  }
  std::string log() const { return read_file(dir_ + ".log"); }

 private:
  std::string dir_;
  std::string url_;
};

struct RunRow {
  std::int64_t id = 0;
  std::string status, started_at, ended_at, trigger;
  bool operator==(const RunRow& o) const {
    return id == o.id && status == o.status && started_at == o.started_at &&
           ended_at == o.ended_at && trigger == o.trigger;
  }
};

std::vector<RunRow> runs_in(const std::string& url) {
  std::vector<RunRow> out;
  auto db = storage::open_database(url);
  if (!db) return out;
  auto rows = (*db)->query(
      "SELECT id, status, started_at, ended_at, \"trigger\" FROM pipeline_runs ORDER BY id");
  if (!rows) return out;
  for (const auto& r : *rows) {
    out.push_back({r.get_int(0), r.get_text(1), r.get_text(2), r.get_text(3), r.get_text(4)});
  }
  return out;
}

TEST_F(PostgresE2E, a_postgresql_restart_degrades_the_tenant_which_recovers_without_a_restart) {
  OwnCluster cluster;
  ASSERT_TRUE(cluster.ok()) << cluster.log();
  std::string url;
  {
    auto admin = open_ok(cluster.url());
    ASSERT_TRUE(admin);
    ASSERT_TRUE(admin->execute("CREATE DATABASE restart_test"));
    url = cluster.url().substr(0, cluster.url().rfind('/')) + "/restart_test";
  }
  const std::string password = [&] {
    auto parsed = parse_database_url(url);
    return parsed ? parsed->password : std::string();
  }();
  ASSERT_FALSE(password.empty());

  const int port = free_port();
  // A run every second, so the outage shows in the runs as well as in the health check.
  auto engine = start(config_yaml(port, {{"pg", url}},
                                  "features:\n  enable_periodic_refresh: true\n"
                                  "  refresh_interval: 1\n"),
                      "engine");
  ASSERT_TRUE(eventually(
      [&] {
        const std::string s = state_of(port, "pg");
        return (s == "ready" || s == "running") && runs_in(url).size() >= 3;
      },
      30s))
      << health_of(port).dump() << engine->stderr_text();
  const pid_t pid = engine->pid();

  const std::vector<RunRow> before = runs_in(url);
  ASSERT_GE(before.size(), 3u);
  ASSERT_EQ(cluster.script("server-stop"), 0) << cluster.log();
  const bool saw_degraded = eventually([&] { return state_of(port, "pg") == "degraded"; }, 20s);
  const std::string outage_error = error_of(port, "pg");
  std::this_thread::sleep_for(2s);  // a real outage, not a blip
  ASSERT_EQ(cluster.script("server-start"), 0) << cluster.log();
  EXPECT_TRUE(saw_degraded) << health_of(port).dump();
  EXPECT_FALSE(outage_error.empty());
  EXPECT_EQ(outage_error.find(password), std::string::npos) << outage_error;

  // Back to ready, and runs are recorded again.
  std::vector<RunRow> after;
  ASSERT_TRUE(eventually(
      [&] {
        if (state_of(port, "pg") != "ready") return false;
        after = runs_in(url);
        return std::count_if(after.begin(), after.end(), [&](const RunRow& r) {
                 return r.id > before.back().id + 1 && r.status == "completed";
               }) >= 2;
      },
      60s))
      << health_of(port).dump() << engine->stderr_text();
  // Nothing lost or doubled: the rows from before the restart are there as they were (one
  // still running then may have finished since), and every other row is a new one after them.
  std::map<std::int64_t, RunRow> by_id;
  for (const auto& r : after) by_id[r.id] = r;
  EXPECT_EQ(by_id.size(), after.size());
  for (const auto& old_row : before) {
    auto it = by_id.find(old_row.id);
    ASSERT_NE(it, by_id.end()) << "run " << old_row.id << " was lost";
    if (old_row.status != "running") {
      EXPECT_TRUE(it->second == old_row) << "run " << old_row.id << " changed";
    } else {
      EXPECT_EQ(it->second.started_at, old_row.started_at);
    }
  }
  for (const auto& r : after) {
    const bool old_one =
        std::any_of(before.begin(), before.end(), [&](const RunRow& b) { return b.id == r.id; });
    if (!old_one) {
      EXPECT_GT(r.id, before.back().id) << "run " << r.id;
    }
  }

  auto t = tenant_in(health_of(port), "pg");
  EXPECT_EQ(t["restarts"], 0) << t.dump();
  EXPECT_TRUE(engine->running());
  EXPECT_EQ(engine->pid(), pid);
  EXPECT_EQ(engine->stderr_text().find(password), std::string::npos);
  EXPECT_EQ(engine->stdout_text().find(password), std::string::npos);
  engine->signal(SIGTERM);
  EXPECT_EQ(engine->wait_exit(30s), std::optional<int>(0)) << engine->stderr_text();
}

TEST_F(PostgresE2E, a_wrong_password_fails_the_tenant_without_showing_the_password) {
  PgScratchDatabase scratch;
  ASSERT_TRUE(scratch.status()) << scratch.status().message();
  const auto& server = PgServer::get();
  const std::string password = "Wr0ng-E2E-Secret-991";
  const int port = free_port();
  auto engine = start(
      config_yaml(port, {{"pg", server.url_as(server.admin().user, password, scratch.name())}}),
      "engine");
  ASSERT_TRUE(eventually([&] { return state_of(port, "pg") == "failed"; }, 20s))
      << health_of(port).dump() << engine->stderr_text();
  const std::string error = error_of(port, "pg");
  EXPECT_NE(error.find("password authentication failed"), std::string::npos) << error;
  EXPECT_EQ(error.find(password), std::string::npos) << error;
  EXPECT_EQ(http_get(port, "/ready").status, 503);
  EXPECT_EQ(http_get(port, "/health").body.find(password), std::string::npos);
  engine->signal(SIGTERM);
  EXPECT_EQ(engine->wait_exit(30s), std::optional<int>(0));
  EXPECT_NE(engine->stderr_text().find("password authentication failed"), std::string::npos);
  EXPECT_EQ(engine->stderr_text().find(password), std::string::npos) << engine->stderr_text();
  EXPECT_EQ(engine->stdout_text().find(password), std::string::npos);
}

TEST_F(PostgresE2E, a_missing_database_fails_the_tenant_naming_host_and_database_only) {
  const auto& server = PgServer::get();
  const std::string name = storage::testing::unique_pg_name("missing_db_");
  const int port = free_port();
  auto engine = start(config_yaml(port, {{"pg", server.url_for(name)}}), "engine");
  ASSERT_TRUE(eventually([&] { return state_of(port, "pg") == "failed"; }, 20s))
      << health_of(port).dump() << engine->stderr_text();
  const std::string error = error_of(port, "pg");
  EXPECT_EQ(error, "postgresql://" + server.host() + ":" + std::to_string(server.port()) + "/" +
                       name + ": cannot connect: database \"" + name + "\" does not exist");
  EXPECT_EQ(error.find(server.admin().user), std::string::npos) << error;
  EXPECT_EQ(error.find(server.admin().password), std::string::npos) << error;
  engine->signal(SIGTERM);
  EXPECT_EQ(engine->wait_exit(30s), std::optional<int>(0));
  EXPECT_EQ(engine->stderr_text().find(server.admin().password), std::string::npos);
}

TEST_F(PostgresE2E, a_sqlite_tenant_and_a_postgresql_tenant_are_both_ready) {
  PgScratchDatabase scratch;
  ASSERT_TRUE(scratch.status()) << scratch.status().message();
  const int port = free_port();
  auto engine = start(
      config_yaml(port, {{"lite", "sqlite:///" + dir_.file("lite.db")}, {"pg", scratch.url()}}),
      "engine");
  ASSERT_TRUE(eventually([&] { return http_get(port, "/ready").status == 200; }, 30s))
      << health_of(port).dump() << engine->stderr_text();
  ASSERT_TRUE(eventually(
      [&] { return state_of(port, "lite") == "ready" && state_of(port, "pg") == "ready"; }, 30s))
      << health_of(port).dump();
  auto h = health_of(port);
  EXPECT_EQ(h["status"], "ok");
  for (const std::string name : {"lite", "pg"}) {
    EXPECT_EQ(tenant_in(h, name)["schema_version"], storage::head_version());
  }
  // Each tenant's run went to its own database.
  auto pg = open_ok(scratch.url());
  ASSERT_TRUE(pg);
  EXPECT_GE(
      pg->query("SELECT count(*) FROM pipeline_runs WHERE tenant_name = 'pg'")->front().get_int(0),
      1);
  EXPECT_EQ(pg->query("SELECT count(*) FROM pipeline_runs WHERE tenant_name = 'lite'")
                ->front()
                .get_int(0),
            0);
  engine->signal(SIGTERM);
  EXPECT_EQ(engine->wait_exit(30s), std::optional<int>(0));
}

TEST_F(PostgresE2E, db_commands_of_the_binary_work_on_a_postgresql_url) {
  PgScratchDatabase scratch;
  ASSERT_TRUE(scratch.status()) << scratch.status().message();
  const std::string url = scratch.url();
  const std::string password = PgServer::get().admin().password;
  auto up = run_binary({"db", "upgrade", "--database-url", url});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  auto cur = run_binary({"db", "current", "--database-url", url});
  EXPECT_EQ(cur.exit_code, 0) << cur.err;
  EXPECT_NE(cur.out.find("— head"), std::string::npos) << cur.out;
  auto backup = run_binary({"db", "backup", "--database-url", url});
  EXPECT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_NE(backup.out.find("pg_dump --format=custom"), std::string::npos) << backup.out;
  EXPECT_NE(backup.out.find("--dbname=" + scratch.name()), std::string::npos) << backup.out;
  auto down = run_binary({"db", "downgrade", "0", "--database-url", url});
  EXPECT_EQ(down.exit_code, 0) << down.err;
  for (const auto* r : {&up, &cur, &backup, &down}) {
    EXPECT_EQ(r->out.find(password), std::string::npos) << r->out;
    EXPECT_EQ(r->err.find(password), std::string::npos) << r->err;
  }
}

}  // namespace
}  // namespace chitragupt::testing
