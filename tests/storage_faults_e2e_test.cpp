// Storage faults (issue 13 item 4), SQLite side: the disk refuses the engine's writes (a file
// size limit on the running process, RLIMIT_FSIZE, with SIGXFSZ ignored, as a full disk
// would): the date being written fails with an error that names the tenant and the cause, the
// dates already calculated stay as they were, the tenant is `degraded`, and once the limit is
// lifted the next run completes and the tenant is `ready` again. (The PostgreSQL side, a server
// stopped and started again, is postgres_e2e_test's
// a_postgresql_restart_degrades_the_tenant_which_recovers_without_a_restart.)

#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <gtest/gtest.h>

#include "storage/database.hpp"
#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> rows_of(const std::string& url, const std::string& sql) {
  std::vector<std::string> out;
  auto db = storage::open_database(url);
  if (!db) return {"no database: " + db.error()};
  auto rows = (*db)->query(sql);
  if (!rows) return {"query failed: " + rows.error()};
  for (const auto& r : *rows) {
    std::string line;
    for (std::size_t i = 0; i < r.values.size(); ++i) line += (i ? "|" : "") + r.get_text(i);
    out.push_back(std::move(line));
  }
  return out;
}

nlohmann::json tenant_health(int port) {
  auto h = http_get(port, "/health").json();
  if (!h.is_object() || !h.contains("tenants")) return nullptr;
  for (const auto& t : h["tenants"]) {
    if (t["name"] == "acme") return t;
  }
  return nullptr;
}

TEST(StorageFaultsE2E, sqlite_disk_full_fails_the_date_degrades_the_tenant_and_recovers) {
  TempDir dir;
  SimProcess sim({"--seed", "29", "--preset", "small", "--days", "6"}, dir.path());
  ASSERT_GT(sim.port(), 0) << sim.stderr_text();
  const int port = free_port();
  const std::string db_url = "sqlite:///" + dir.file("acme.db");
  const std::string config = dir.file("config.yaml");
  write_file(config,
             "logging:\n  level: INFO\napi:\n  host: 127.0.0.1\n  port: " + std::to_string(port) +
                 "\nfeatures:\n  enable_periodic_refresh: false\ntenants:\n  acme:\n"
                 "    ecosystem: confluent_cloud\n    tenant_id: acme\n    lookback_days: 6\n"
                 "    cutoff_days: 1\n    storage:\n      connection_string: " +
                 db_url +
                 "\n    plugin_settings:\n"
                 "      ccloud_api: { key: sim-key, secret: sim-secret, base_url: \"" +
                 sim.base_url() + "\" }\n");
  // `trap '' XFSZ` survives the exec: a write past the limit then fails with EFBIG, as a full
  // disk fails with ENOSPC, instead of killing the process.
  EngineProcess engine({"-c", "trap '' XFSZ; exec \"$0\" \"$@\"", CHITRAGUPT_BINARY,
                        "--config-file", config, "--mode", "both"},
                       dir.path(), "/bin/sh");
  auto last_status = [&] {
    auto t = tenant_health(port);
    return t.is_object() && t["state"] != "running" && t["last_run"].is_object()
               ? t["last_run"]["status"].get<std::string>()
               : std::string();
  };
  ASSERT_TRUE(eventually([&] { return last_status() == "completed"; }, 60s))
      << engine.stderr_text();

  // Every date but the first becomes pending again; the first is what must survive.
  const auto dates = rows_of(db_url, "SELECT tracking_date FROM pipeline_state ORDER BY 1");
  ASSERT_GE(dates.size(), 4u);
  const std::string split = dates[1];
  const std::string pending = std::to_string(dates.size() - 1);
  const std::string facts_sql =
      "SELECT timestamp, dimension_id, amount FROM chargeback_facts ORDER BY 1, 2";
  const auto facts_before = rows_of(db_url, facts_sql);
  {
    auto db = storage::open_database(db_url);
    ASSERT_TRUE(db.is_ok());
    ASSERT_TRUE((*db)->execute(
        "UPDATE pipeline_state SET chargeback_calculated = 0 WHERE tracking_date >= ?", {split}));
  }

  // Room for recording the run (a few WAL pages), not for the dates' facts. (A run the disk
  // refuses even to record fails the same way, only earlier.)
  const std::string pid = std::to_string(engine.pid());
  std::error_code ec;
  const auto wal = std::filesystem::file_size(dir.file("acme.db-wal"), ec);
  const auto limit = std::to_string((ec ? 0 : wal) + 96 * 1024);
  ASSERT_EQ(std::system(("prlimit --pid " + pid + " --fsize=" + limit + ":unlimited").c_str()), 0);
  auto run = http_send(port, "POST", "/api/v1/tenants/acme/pipeline/run");
  ASSERT_EQ(run.status, 202) << run.body;
  ASSERT_TRUE(eventually([&] { return last_status() == "failed"; }, 60s)) << engine.stderr_text();
  auto t = tenant_health(port);
  std::cout << "[figure] disk-full error shown for tenant acme: " << t["error"] << "\n";
  EXPECT_EQ(t["state"], "degraded");
  const std::string error = t["error"].get<std::string>();
  EXPECT_NE(error.find("writing chargebacks of "), std::string::npos) << error;
  EXPECT_NE(error.find("disk full or file size limit"), std::string::npos) << error;

  // Nothing was lost: the first date intact, the failed date still pending with its old rows.
  ASSERT_EQ(std::system(("prlimit --pid " + pid + " --fsize=unlimited").c_str()), 0);
  // (A date that still fitted was recalculated to the same rows; the one that did not, and the
  // later ones, are still pending.)
  EXPECT_EQ(rows_of(db_url, facts_sql), facts_before);
  const auto still_pending =
      rows_of(db_url, "SELECT count(*) FROM pipeline_state WHERE chargeback_calculated = 0");
  ASSERT_EQ(still_pending.size(), 1u);
  EXPECT_GE(std::stoi(still_pending.front()), 1);
  EXPECT_LE(std::stoi(still_pending.front()), std::stoi(pending));

  // Space is back: the next run completes and the tenant is ready again.
  run = http_send(port, "POST", "/api/v1/tenants/acme/pipeline/run");
  ASSERT_EQ(run.status, 202) << run.body;
  ASSERT_TRUE(eventually([&] { return last_status() == "completed"; }, 60s))
      << engine.stderr_text();
  EXPECT_EQ(tenant_health(port)["state"], "ready");
  EXPECT_EQ(rows_of(db_url, "SELECT count(*) FROM pipeline_state WHERE chargeback_calculated = 0"),
            std::vector<std::string>{"0"});
  EXPECT_EQ(rows_of(db_url, facts_sql), facts_before);  // the same dates, calculated again

  engine.signal(SIGTERM);
  EXPECT_EQ(engine.wait_exit(30s), 0);
}

}  // namespace
}  // namespace chitragupt::testing
