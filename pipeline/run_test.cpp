// Tenant keys of the original that steer a run (issue 15 item 7), on a real SQLite file against
// an in-process ccloud-sim over loopback HTTP: min_refresh_gap_seconds,
// tenant_execution_timeout_seconds, zero_gather_deletion_threshold, and the process's run
// slots (features.max_parallel_tenants).

#include "pipeline/run.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "config/config.hpp"
#include "pipeline/gather.hpp"
#include "pipeline/plugins.hpp"
#include "pipeline/run_slots.hpp"
#include "sim/sim_server.hpp"
#include "storage/migrator.hpp"
#include "storage/test_support.hpp"

namespace chitragupt::pipeline {
namespace {

class RunKeys : public ::testing::Test {
 protected:
  void start_sim(int latency_ms = 0) {
    ccloud_sim::SimOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.seed = 5;
    options.days = 4;
    options.faults.latency_ms = latency_ms;
    sim_ = std::make_unique<ccloud_sim::SimServer>(options);
    ASSERT_TRUE(sim_->start());
    tenant_.name = "sim";
    tenant_.ecosystem = "confluent_cloud";
    tenant_.tenant_id = "sim";
    tenant_.lookback_days = 3;
    tenant_.cutoff_days = 1;
    tenant_.plugin_settings = {
        {"ccloud_api",
         {{"key", options.api_key},
          {"secret", options.api_secret},
          {"base_url", "http://127.0.0.1:" + std::to_string(sim_->port())}}}};
    auto db = storage::open_database(dir_.sqlite_url("sim.db"));
    ASSERT_TRUE(db.is_ok()) << db.error();
    db_ = std::move(*db);
    storage::Migrator migrator(*db_);
    ASSERT_TRUE(migrator.upgrade().is_ok());
  }

  storage::testing::TempDir dir_;
  std::unique_ptr<ccloud_sim::SimServer> sim_;
  std::unique_ptr<storage::Database> db_;
  config::TenantConfig tenant_;
};

TEST_F(RunKeys, a_run_within_min_refresh_gap_seconds_skips_the_gather) {
  start_sim();
  tenant_.plugin_settings["min_refresh_gap_seconds"] = 1800;
  SourceCache sources(tenant_);
  auto first = run_pipeline(*db_, tenant_, sources, "manual", StopToken{});
  ASSERT_EQ(first.status, "completed") << first.error;
  EXPECT_GT(first.counts.dates_gathered, 0);
  auto second = run_pipeline(*db_, tenant_, sources, "manual", StopToken{});
  ASSERT_EQ(second.status, "completed") << second.error;
  EXPECT_EQ(second.counts.dates_gathered, 0);  // skipped: the last gather was just now

  tenant_.plugin_settings["min_refresh_gap_seconds"] = 0;
  SourceCache no_gap(tenant_);
  ASSERT_EQ(run_pipeline(*db_, tenant_, no_gap, "manual", StopToken{}).status, "completed");
  auto again = run_pipeline(*db_, tenant_, no_gap, "manual", StopToken{});
  EXPECT_GT(again.counts.dates_gathered, 0);
}

// The collector keeps its SourceCache from run to run while each run's settings are a copy that
// goes with the run: the cache must not refer to them. (A cache that did read freed settings on
// its second run and hung making ~10^9 metrics clients.)
TEST_F(RunKeys, the_source_cache_keeps_its_own_settings_when_the_runs_settings_go) {
  start_sim();
  tenant_.plugin_settings["min_refresh_gap_seconds"] = 1800;  // run 2 goes straight to calculate
  tenant_.metrics_prefetch_workers = 3;
  auto run_settings = std::make_unique<config::TenantConfig>(tenant_);
  SourceCache sources(*run_settings);
  ASSERT_EQ(run_pipeline(*db_, *run_settings, sources, "manual", StopToken{}).status, "completed");
  run_settings->metrics_prefetch_workers = 1000000000;  // what freed memory may read
  run_settings->tenant_id = "someone-else";
  EXPECT_EQ(sources.tenant().metrics_prefetch_workers, 3);
  EXPECT_EQ(sources.tenant().tenant_id, tenant_.tenant_id);
  run_settings.reset();
  auto second = run_pipeline(*db_, tenant_, sources, "manual", StopToken{});
  EXPECT_EQ(second.status, "completed") << second.error;
  EXPECT_EQ(second.counts.dates_gathered, 0);
}

TEST_F(RunKeys, a_run_past_tenant_execution_timeout_seconds_is_interrupted_and_recorded_so) {
  start_sim(/*latency_ms=*/150);  // every request slow: the gather alone takes seconds
  tenant_.tenant_execution_timeout_seconds = 1;
  SourceCache sources(tenant_);
  auto run = run_pipeline(*db_, tenant_, sources, "manual", StopToken{});
  EXPECT_EQ(run.status, "interrupted") << run.error;
  EXPECT_NE(run.error.find("timed out after 1s"), std::string::npos) << run.error;
  auto rows = db_->query("SELECT status, error_message FROM pipeline_runs");
  ASSERT_TRUE(rows.is_ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].get_text(0), "interrupted");
  EXPECT_NE((*rows)[0].get_text(1).find("tenant_execution_timeout_seconds"), std::string::npos);
  EXPECT_EQ(run.counts.dates_calculated, 0);
}

TEST(ZeroGather, an_empty_listing_deletes_only_after_threshold_empty_gathers_in_a_row) {
  const std::set<std::string> complete = {"kafka_cluster", "connector"};
  ZeroGatherGuard never;  // -1, the original's default
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(zero_gather_deletable(complete, {"kafka_cluster"}, never),
              std::set<std::string>{"kafka_cluster"});
  }
  ZeroGatherGuard two;
  two.threshold = 2;
  EXPECT_EQ(zero_gather_deletable(complete, {"kafka_cluster"}, two),
            std::set<std::string>{"kafka_cluster"});
  EXPECT_EQ(zero_gather_deletable(complete, {"kafka_cluster"}, two), complete);  // 2nd empty
  EXPECT_EQ(zero_gather_deletable(complete, {"kafka_cluster", "connector"}, two), complete);
  EXPECT_EQ(zero_gather_deletable(complete, {"kafka_cluster"}, two),  // the count restarted
            std::set<std::string>{"kafka_cluster"});
  ZeroGatherGuard at_once;
  at_once.threshold = 0;
  EXPECT_EQ(zero_gather_deletable(complete, {}, at_once), complete);
}

// Issue 21: every ecosystem the binary knows validates its own plugin_settings (an empty one
// names what is missing), and an ecosystem it does not know fails validation.
TEST(PluginValidators, each_known_ecosystem_validates_its_settings_and_unknown_ones_fail) {
  register_plugin_validators();
  auto smk =
      config::parse_config("tenants:\n  t:\n    ecosystem: self_managed_kafka\n    tenant_id: t\n",
                           config::Environment::from_map({}));
  ASSERT_FALSE(smk.ok());
  EXPECT_NE(smk.error_text().find("tenants.t.plugin_settings.cluster_id: required"),
            std::string::npos)
      << smk.error_text();
  auto generic = config::parse_config(
      "tenants:\n  t:\n    ecosystem: generic_metrics_only\n    tenant_id: t\n",
      config::Environment::from_map({}));
  ASSERT_FALSE(generic.ok());
  EXPECT_NE(generic.error_text().find("tenants.t.plugin_settings.cost_types: required"),
            std::string::npos)
      << generic.error_text();
  auto unknown = config::parse_config("tenants:\n  t:\n    ecosystem: aws_msk\n    tenant_id: t\n",
                                      config::Environment::from_map({}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error_text().find("ecosystem must be one of"), std::string::npos);
  auto ccloud = config::parse_config(
      "tenants:\n  t:\n    ecosystem: confluent_cloud\n    tenant_id: t\n    plugin_settings:\n"
      "      ccloud_api: { key: k, secret: s }\n",
      config::Environment::from_map({}));
  EXPECT_TRUE(ccloud.ok()) << ccloud.error_text();
}

TEST(RunSlotsTest, no_more_runs_than_the_limit_at_once) {
  RunSlots& slots = RunSlots::instance();
  const int before = slots.limit();
  slots.set_limit(2);
  std::atomic<int> now{0}, most{0};
  std::vector<std::thread> runs;
  for (int i = 0; i < 6; ++i) {
    runs.emplace_back([&] {
      auto slot = slots.acquire(StopToken{});
      ASSERT_TRUE(static_cast<bool>(slot));
      int n = ++now;
      for (int m = most.load(); n > m && !most.compare_exchange_weak(m, n);) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      --now;
    });
  }
  for (auto& t : runs) t.join();
  EXPECT_LE(most.load(), 2);
  EXPECT_GE(most.load(), 1);
  EXPECT_EQ(slots.in_use(), 0);
  // A stop request ends the wait for a slot.
  slots.set_limit(1);
  auto held = slots.acquire(StopToken{});
  StopSource stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stop.request_stop();
  });
  EXPECT_FALSE(static_cast<bool>(slots.acquire(stop.token())));
  stopper.join();
  slots.set_limit(before);
}

}  // namespace
}  // namespace chitragupt::pipeline
