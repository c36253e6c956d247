// Crash consistency of the pipeline (issue 13 item 2): the real binary is killed with SIGKILL
// at a random moment of a run (start-up and migration, gather, calculate), restarted, and the
// tables the pipeline writes must then equal, byte for byte, those of a run that was never
// interrupted. On SQLite and on the PostgreSQL test server.
//
// CHITRAGUPT_CRASH_TRIALS overrides the number of trials (20 SQLite, 5 PostgreSQL);
// CHITRAGUPT_CRASH_SEED replays a sequence of kill points (the seed is printed).

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "storage/database.hpp"
#include "storage/pg_test_env.hpp"
#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

int env_int(const char* name, int fallback) {
  const char* text = std::getenv(name);
  return text ? std::atoi(text) : fallback;
}

const std::string& sim_url() {
  static TempDir logs;
  static SimProcess sim({"--seed", "17", "--preset", "small", "--days", "5"}, logs.path());
  static const std::string url = sim.base_url();
  return url;
}

// The canonical content of what the pipeline writes: facts joined to their dimensions (ids
// are the database's business), billing, resources, identities and the dates' progress,
// without the columns that say when something was seen (a later run moves them forward).
std::vector<std::string> canonical_dump(const std::string& url) {
  auto db = storage::open_database(url);
  EXPECT_TRUE(db.is_ok()) << db.error();
  if (!db) return {};
  std::vector<std::string> out;
  for (const char* sql :
       {"SELECT f.timestamp, d.ecosystem, d.tenant_id, d.resource_id, d.product_category, "
        "d.product_type, d.identity_id, d.cost_type, d.allocation_method, d.allocation_detail, "
        "d.env_id, f.amount, f.tags_json FROM chargeback_facts f JOIN chargeback_dimensions d ON "
        "d.dimension_id = f.dimension_id ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11",
        "SELECT timestamp, env_id, resource_id, product_type, product_category, quantity, "
        "unit_price, total_cost, currency, granularity, allocation_attempts, metadata_json FROM "
        "ccloud_billing ORDER BY 1, 2, 3, 4, 5",
        "SELECT resource_id, resource_type, display_name, parent_id, owner_id, status, cloud, "
        "region, created_at, deleted_at, metadata_json FROM resources ORDER BY resource_id",
        "SELECT identity_id, identity_type, display_name, created_at, deleted_at, metadata_json "
        "FROM identities ORDER BY identity_id",
        "SELECT tracking_date, billing_gathered, resources_gathered, chargeback_calculated FROM "
        "pipeline_state ORDER BY tracking_date"}) {
    auto rows = (*db)->query(sql);
    EXPECT_TRUE(rows.is_ok()) << rows.error();
    if (!rows) return {};
    for (const auto& r : *rows) {
      std::string line;
      for (std::size_t i = 0; i < r.values.size(); ++i) line += (i ? "|" : "") + r.get_text(i);
      out.push_back(std::move(line));
    }
    out.push_back("--");
  }
  return out;
}

// What the killed run was doing, from its row in pipeline_runs ("startup" without one).
std::string killed_in(const std::string& url) {
  auto db = storage::open_database(url);
  if (!db) return "startup";
  auto rows = (*db)->query(
      "SELECT status, coalesce(stage, '') FROM pipeline_runs ORDER BY id DESC LIMIT 1");
  if (!rows || rows->empty()) return "startup";
  const auto& r = rows->front();
  return r.get_text(0) == "running" ? r.get_text(1) : "after the run (" + r.get_text(0) + ")";
}

class CrashE2E : public ::testing::Test {
 protected:
  TempDir dir_;

  void write_config(const std::string& path, const std::string& storage_url) {
    write_file(path,
               "logging:\n  level: WARNING\ntenants:\n  acme:\n    ecosystem: confluent_cloud\n"
               "    tenant_id: acme\n    lookback_days: 5\n    cutoff_days: 1\n"
               "    storage:\n      connection_string: \"" +
                   storage_url +
                   "\"\n    plugin_settings:\n      ccloud_api:\n        key: sim-key\n"
                   "        secret: sim-secret\n        base_url: \"" +
                   sim_url() + "\"\n      metrics:\n        url: \"" + sim_url() +
                   "\"\n        auth_type: basic\n        username: sim-key\n"
                   "        password: sim-secret\n");
  }

  // One run to completion; the exit code.
  int run_to_completion(const std::string& config) {
    EngineProcess engine({"--config-file", config, "--mode", "worker", "--run-once"}, dir_.path());
    auto code = engine.wait_exit(120s);
    if (code != 0) std::cerr << engine.stderr_text();
    return code.value_or(-1);
  }

  // `trials` runs killed at a random point, each restarted; every result must equal the
  // uninterrupted run's. `fresh_url` gives each trial an empty database.
  void kill_and_restart(int trials, const std::function<std::string(int)>& fresh_url) {
    ASSERT_FALSE(sim_url().empty());
    const std::string reference_url = fresh_url(-1);
    const std::string reference_config = dir_.file("reference.yaml");
    write_config(reference_config, reference_url);
    const auto t0 = Clock::now();
    ASSERT_EQ(run_to_completion(reference_config), 0);
    const auto run_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    const auto reference = canonical_dump(reference_url);
    ASSERT_GT(reference.size(), 10u);

    const unsigned seed =
        static_cast<unsigned>(env_int("CHITRAGUPT_CRASH_SEED", std::random_device{}()));
    std::mt19937 rng(seed);
    std::uniform_int_distribution<long> kill_after(0, std::max<long>(run_ms, 200));
    std::cout << "[figure] uninterrupted run " << run_ms << " ms; kill seed " << seed << "\n";
    std::map<std::string, int> by_stage;
    int passed = 0;
    for (int trial = 0; trial < trials; ++trial) {
      const std::string url = fresh_url(trial);
      const std::string config = dir_.file("trial" + std::to_string(trial) + ".yaml");
      write_config(config, url);
      const long after_ms = kill_after(rng);
      {
        EngineProcess engine({"--config-file", config, "--mode", "worker", "--run-once"},
                             dir_.path());
        std::this_thread::sleep_for(std::chrono::milliseconds(after_ms));
        engine.signal(SIGKILL);
        engine.wait_exit(10s);
      }
      const std::string stage = killed_in(url);
      by_stage[stage]++;
      ASSERT_EQ(run_to_completion(config), 0) << "trial " << trial;
      const auto got = canonical_dump(url);
      ASSERT_EQ(got.size(), reference.size())
          << "trial " << trial << " killed after " << after_ms << " ms (" << stage << ")";
      for (std::size_t i = 0; i < got.size(); ++i) {
        ASSERT_EQ(got[i], reference[i]) << "trial " << trial << " killed after " << after_ms
                                        << " ms (" << stage << "), row " << i;
      }
      passed++;
    }
    std::cout << "[figure] kill/restart trials passed: " << passed << "/" << trials
              << "; killed in:";
    for (const auto& [stage, n] : by_stage) std::cout << " " << stage << "=" << n;
    std::cout << "\n";
  }
};

TEST_F(CrashE2E, sqlite_sigkill_at_random_points_then_restart_equals_an_uninterrupted_run) {
  kill_and_restart(env_int("CHITRAGUPT_CRASH_TRIALS", 20), [&](int trial) {
    return "sqlite:///" + dir_.file("t" + std::to_string(trial + 1) + ".db");
  });
}

TEST_F(CrashE2E, postgresql_sigkill_at_random_points_then_restart_equals_an_uninterrupted_run) {
  CHITRAGUPT_REQUIRE_POSTGRESQL();
  std::vector<std::unique_ptr<storage::testing::PgScratchDatabase>> databases;
  kill_and_restart(env_int("CHITRAGUPT_CRASH_TRIALS", 5), [&](int) {
    databases.push_back(std::make_unique<storage::testing::PgScratchDatabase>());
    EXPECT_TRUE(databases.back()->status().is_ok()) << databases.back()->status().message();
    return databases.back()->url();
  });
}

}  // namespace
}  // namespace chitragupt::testing
