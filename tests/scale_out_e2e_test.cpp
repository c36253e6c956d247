// Scale-out on PostgreSQL (issue 13 item 8): three engine processes share three tenants'
// databases. Each tenant's pipeline runs in exactly one process (the holder of its pipeline
// lease, shown per tenant in /health), and when that process is killed another one takes the
// tenant over within a refresh interval and finishes its work: the result equals a run of a
// single process.

#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <map>

#include <gtest/gtest.h>

#include "storage/database.hpp"
#include "storage/pg_test_env.hpp"
#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;
using storage::testing::PgScratchDatabase;

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

// How pipeline_runs.runner names an engine process: "<host name>:<pid>".
std::string runner_of(const EngineProcess& engine) {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(engine.pid());
}

// Facts with their dimensions and the dates' progress: what a run of the tenant computes.
std::vector<std::string> chargebacks(const std::string& url) {
  auto out = rows_of(url,
                     "SELECT f.timestamp, d.resource_id, d.product_type, d.identity_id, "
                     "d.cost_type, d.allocation_method, d.allocation_detail, f.amount FROM "
                     "chargeback_facts f JOIN chargeback_dimensions d ON d.dimension_id = "
                     "f.dimension_id ORDER BY 1, 2, 3, 4, 5, 6, 7");
  for (auto& r : rows_of(url,
                         "SELECT tracking_date, chargeback_calculated FROM pipeline_state "
                         "ORDER BY 1")) {
    out.push_back(r);
  }
  return out;
}

std::string tenant_yaml(const std::string& name, const std::string& url, const std::string& sim) {
  return "  " + name + ":\n    ecosystem: confluent_cloud\n    tenant_id: acme\n" +
         "    lookback_days: 4\n    cutoff_days: 1\n    storage:\n      connection_string: \"" +
         url + "\"\n    plugin_settings:\n      ccloud_api: { key: sim-key, secret: sim-secret, " +
         "base_url: \"" + sim + "\" }\n";
}

// The lease each process's /health shows for `tenant` ("" when it does not answer).
std::string lease_in(int port, const std::string& tenant) {
  auto h = http_get(port, "/health").json();
  if (!h.is_object() || !h.contains("tenants")) return "";
  for (const auto& t : h["tenants"]) {
    if (t["name"] == tenant) return t.value("lease", std::string("none"));
  }
  return "";
}

TEST(ScaleOutE2E, three_processes_run_each_tenant_once_and_take_over_from_a_killed_holder) {
  CHITRAGUPT_REQUIRE_POSTGRESQL();
  TempDir dir;
  SimProcess sim({"--seed", "37", "--preset", "small", "--days", "4"}, dir.path());
  ASSERT_GT(sim.port(), 0) << sim.stderr_text();
  const std::vector<std::string> names = {"t0", "t1", "t2"};
  std::vector<std::unique_ptr<PgScratchDatabase>> dbs;
  for (int i = 0; i < 4; ++i) {
    dbs.push_back(std::make_unique<PgScratchDatabase>());
    ASSERT_TRUE(dbs.back()->status().is_ok()) << dbs.back()->status().message();
  }
  // The single-process result: t0's data computed by one engine alone.
  const std::string reference_config = dir.file("reference.yaml");
  write_file(reference_config, "logging:\n  level: WARNING\ntenants:\n" +
                                   tenant_yaml("t0", dbs[3]->url(), sim.base_url()));
  {
    EngineProcess single({"--config-file", reference_config, "--mode", "worker", "--run-once"},
                         dir.path(), CHITRAGUPT_BINARY, "single");
    ASSERT_EQ(single.wait_exit(120s), 0) << single.stderr_text();
  }
  const auto reference = chargebacks(dbs[3]->url());
  ASSERT_GT(reference.size(), 5u);

  std::vector<int> ports;
  std::vector<std::unique_ptr<EngineProcess>> engines;
  for (int p = 0; p < 3; ++p) {
    ports.push_back(free_port());
    std::string tenants;
    for (int t = 0; t < 3; ++t) tenants += tenant_yaml(names[t], dbs[t]->url(), sim.base_url());
    const std::string config = dir.file("engine" + std::to_string(p) + ".yaml");
    write_file(config, "logging:\n  level: INFO\napi:\n  host: 127.0.0.1\n  port: " +
                           std::to_string(ports[p]) +
                           "\nfeatures:\n  refresh_interval: 2\ntenants:\n" + tenants);
    engines.push_back(std::make_unique<EngineProcess>(
        std::vector<std::string>{"--config-file", config, "--mode", "both"}, dir.path(),
        CHITRAGUPT_BINARY, "engine" + std::to_string(p)));
  }
  // Every tenant has one holder, and the others stand by.
  std::map<std::string, int> holder;
  ASSERT_TRUE(eventually(
      [&] {
        holder.clear();
        for (const auto& name : names) {
          int held = 0, standby = 0;
          for (int p = 0; p < 3; ++p) {
            const auto lease = lease_in(ports[p], name);
            if (lease == "held") {
              held++;
              holder[name] = p;
            }
            standby += lease == "standby";
          }
          if (held != 1 || standby != 2) return false;
        }
        return true;
      },
      60s))
      << engines[0]->stderr_text();
  // Each tenant's dates are calculated, every run by its holder alone.
  for (int t = 0; t < 3; ++t) {
    ASSERT_TRUE(eventually(
        [&] {
          return !rows_of(dbs[t]->url(), "SELECT id FROM pipeline_runs WHERE status = 'completed'")
                      .empty();
        },
        60s));
    for (int p = 0; p < 3; ++p) {
      const bool ran =
          engines[p]->stderr_text().find("tenant=" + names[t] + " event=pipeline_run_started") !=
          std::string::npos;
      EXPECT_EQ(ran, holder[names[t]] == p) << names[t] << " in engine " << p;
    }
    // pipeline_runs names one runner per run, the holder ("<host name>:<pid>").
    for (const auto& runner : rows_of(dbs[t]->url(), "SELECT runner FROM pipeline_runs")) {
      EXPECT_EQ(runner, runner_of(*engines[holder[names[t]]])) << names[t];
    }
  }

  // The holder of t0 dies (whatever it was doing); dates become pending again so that the next
  // holder has work to finish.
  const int dead = holder["t0"];
  engines[dead]->signal(SIGKILL);
  engines[dead]->wait_exit(10s);
  {
    auto db = storage::open_database(dbs[0]->url());
    ASSERT_TRUE(db.is_ok());
    ASSERT_TRUE((*db)->execute("UPDATE pipeline_state SET chargeback_calculated = 0"));
  }
  const auto killed_at = std::chrono::steady_clock::now();
  int next = -1;
  ASSERT_TRUE(eventually(
      [&] {
        for (int p = 0; p < 3; ++p) {
          if (p != dead && lease_in(ports[p], "t0") == "held") next = p;
        }
        return next >= 0;
      },
      30s));
  const auto takeover_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::steady_clock::now() - killed_at)
                               .count();
  std::cout << "[figure] t0 taken over by engine " << next << " after " << takeover_ms
            << " ms (refresh_interval 2 s)\n";
  ASSERT_TRUE(eventually(
      [&] {
        return rows_of(dbs[0]->url(),
                       "SELECT count(*) FROM pipeline_state WHERE chargeback_calculated = 0") ==
               std::vector<std::string>{"0"};
      },
      60s))
      << engines[next]->stderr_text();
  EXPECT_EQ(chargebacks(dbs[0]->url()), reference);
  // The dead holder's runs name it, every later one the new holder.
  for (const auto& run : rows_of(dbs[0]->url(), "SELECT runner FROM pipeline_runs ORDER BY id")) {
    EXPECT_TRUE(run == runner_of(*engines[dead]) || run == runner_of(*engines[next])) << run;
  }
  EXPECT_EQ(rows_of(dbs[0]->url(), "SELECT runner FROM pipeline_runs ORDER BY id DESC LIMIT 1"),
            std::vector<std::string>{runner_of(*engines[next])});
  // The run the dead holder left `running` was failed by the new holder, not by a standby.
  EXPECT_NE(engines[next]->stderr_text().find("tenant=t0 event=lease_taken"), std::string::npos);
  for (int p = 0; p < 3; ++p) {
    if (p == dead) continue;
    engines[p]->signal(SIGTERM);
    EXPECT_EQ(engines[p]->wait_exit(30s), 0) << engines[p]->stderr_text();
  }
}

}  // namespace
}  // namespace chitragupt::testing
