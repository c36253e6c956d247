// Upstream faults converge (issue 13 item 3): against a ccloud-sim that fails 20 % of requests,
// truncates 10 % of bodies and rate-limits to 5 requests/s, each run either completes or fails
// without committing its gather, and repeated runs end with exactly the chargebacks (and
// billing, resources, identities) of a fault-free run on the same seed.

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
  EXPECT_TRUE(db.is_ok()) << db.error();
  if (!db) return out;
  auto rows = (*db)->query(sql);
  EXPECT_TRUE(rows.is_ok()) << rows.error();
  if (!rows) return out;
  for (const auto& r : *rows) {
    std::string line;
    for (std::size_t i = 0; i < r.values.size(); ++i) line += (i ? "|" : "") + r.get_text(i);
    out.push_back(std::move(line));
  }
  return out;
}

// The chargebacks (facts with their dimensions), billing without its attempt counters,
// resources and identities without when they were last seen.
std::vector<std::string> chargeback_dump(const std::string& url) {
  std::vector<std::string> out;
  for (const char* sql :
       {"SELECT f.timestamp, d.resource_id, d.product_category, d.product_type, d.identity_id, "
        "d.cost_type, d.allocation_method, d.allocation_detail, d.env_id, f.amount FROM "
        "chargeback_facts f JOIN chargeback_dimensions d ON d.dimension_id = f.dimension_id "
        "ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
        "SELECT timestamp, env_id, resource_id, product_type, product_category, quantity, "
        "unit_price, total_cost, currency, granularity, metadata_json FROM ccloud_billing ORDER "
        "BY 1, 2, 3, 4, 5",
        "SELECT resource_id, resource_type, display_name, parent_id, owner_id, status, cloud, "
        "region, created_at, deleted_at, metadata_json FROM resources ORDER BY resource_id",
        "SELECT identity_id, identity_type, display_name, created_at, deleted_at, metadata_json "
        "FROM identities ORDER BY identity_id",
        "SELECT tracking_date, chargeback_calculated FROM pipeline_state ORDER BY 1"}) {
    auto rows = rows_of(url, sql);
    out.insert(out.end(), rows.begin(), rows.end());
    out.push_back("--");
  }
  return out;
}

class FaultsE2E : public ::testing::Test {
 protected:
  TempDir dir_;

  // `max_retries`: fewer than the default, so that some runs do fail against the faulty upstream.
  std::string config_for(const SimProcess& sim, const std::string& db_url, int max_retries = 5) {
    const std::string path = dir_.file("config-" + std::to_string(sim.port()) + "-" +
                                       std::to_string(max_retries) + ".yaml");
    write_file(path,
               "logging:\n  level: WARNING\ntenants:\n  acme:\n    ecosystem: confluent_cloud\n"
               "    tenant_id: acme\n    lookback_days: 3\n    cutoff_days: 1\n"
               "    storage:\n      connection_string: \"" +
                   db_url +
                   "\"\n    plugin_settings:\n      ccloud_api:\n        key: sim-key\n"
                   "        secret: sim-secret\n        base_url: \"" +
                   sim.base_url() + "\"\n        max_retries: " + std::to_string(max_retries) +
                   "\n      metrics:\n        url: \"" + sim.base_url() +
                   "\"\n        auth_type: basic\n        username: sim-key\n"
                   "        password: sim-secret\n");
    return path;
  }

  int run_once(const std::string& config, std::string* log = nullptr) {
    EngineProcess engine({"--config-file", config, "--mode", "worker", "--run-once"}, dir_.path());
    auto code = engine.wait_exit(240s);
    if (log) *log = engine.stderr_text();
    return code.value_or(-1);
  }
};

TEST_F(FaultsE2E, runs_against_a_faulty_upstream_converge_to_the_fault_free_chargebacks) {
  const std::vector<std::string> data = {"--seed", "23", "--preset", "small", "--days", "3"};
  SimProcess clean(data, dir_.path());
  ASSERT_GT(clean.port(), 0) << clean.stderr_text();
  const std::string reference_url = "sqlite:///" + dir_.file("reference.db");
  ASSERT_EQ(run_once(config_for(clean, reference_url)), 0);
  const auto reference = chargeback_dump(reference_url);
  ASSERT_GT(reference.size(), 10u);

  auto faulty_args = data;
  for (const char* a : {"--fail-rate", "0.2", "--truncate-rate", "0.1", "--rate-limit", "5"}) {
    faulty_args.push_back(a);
  }
  SimProcess faulty(faulty_args, dir_.path());
  ASSERT_GT(faulty.port(), 0) << faulty.stderr_text();
  const std::string url = "sqlite:///" + dir_.file("faulty.db");
  const std::string config = config_for(faulty, url, 2);
  int runs = 0, failed = 0;
  std::string last_status;
  for (; runs < 12 && last_status != "completed"; ++runs) {
    // Before the first run there is no database: its tables are empty.
    const auto before = runs == 0 ? std::vector<std::string>(5, "--") : chargeback_dump(url);
    std::string log;
    ASSERT_EQ(run_once(config, &log), 0) << log;
    auto last = rows_of(url,
                        "SELECT status, coalesce(error_message, ''), coalesce(dates_gathered, 0) "
                        "FROM pipeline_runs ORDER BY id DESC LIMIT 1");
    ASSERT_EQ(last.size(), 1u);
    last_status = last.front().substr(0, last.front().find('|'));
    ASSERT_TRUE(last_status == "completed" || last_status == "failed") << last.front();
    if (last_status == "failed") {
      failed++;
      std::cout << "run " << runs + 1 << " failed: " << last.front() << "\n";
      // A failed gather committed nothing.
      if (last.front().find("|gather: ") != std::string::npos) {
        EXPECT_EQ(chargeback_dump(url), before) << last.front();
      }
    }
  }
  std::cout << "[figure] faulty upstream: " << runs << " runs to converge, " << failed
            << " failed\n";
  ASSERT_EQ(last_status, "completed");
  // Once a run has completed, further runs change nothing either.
  ASSERT_EQ(run_once(config), 0);
  const auto got = chargeback_dump(url);
  ASSERT_EQ(got.size(), reference.size());
  for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], reference[i]) << "row " << i;
}

TEST_F(FaultsE2E, a_listing_whose_retries_run_out_fails_the_gather_whole) {
  // The API-key listing fails on every try (after the organisation, clusters, service accounts
  // and users were listed): nothing of the gather may be committed.
  SimProcess sim(
      {"--seed", "23", "--preset", "small", "--days", "3", "--fail-path", "/iam/v2/api-keys"},
      dir_.path());
  ASSERT_GT(sim.port(), 0) << sim.stderr_text();
  const std::string url = "sqlite:///" + dir_.file("partial.db");
  std::string log;
  ASSERT_EQ(run_once(config_for(sim, url, 1), &log), 0) << log;
  auto last = rows_of(url, "SELECT status, error_message FROM pipeline_runs");
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last.front().rfind("failed|gather: API keys: GET /iam/v2/api-keys failed after 2 "
                               "attempts",
                               0),
            0u)
      << last.front();
  EXPECT_EQ(chargeback_dump(url), std::vector<std::string>(5, "--"));
}

}  // namespace
}  // namespace chitragupt::testing
