// The emit stage inside a real pipeline run: gather and calculate against an in-process
// ccloud-sim over loopback HTTP, on a real SQLite file. An output_dir that cannot be created
// leaves the run `completed` with warnings and `failed` records; the next run emits those dates.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "allocation/money.hpp"
#include "pipeline/run.hpp"
#include "sim/sim_server.hpp"
#include "storage/chargeback_store.hpp"
#include "storage/migrator.hpp"
#include "storage/test_support.hpp"

namespace chitragupt::emitters {
namespace {

namespace fs = std::filesystem;

std::int64_t csv_amount_units(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  std::int64_t total = 0;
  while (std::getline(in, line)) {
    // amount is the 9th of 11 columns; simulator ids hold no commas or quotes.
    std::size_t pos = 0;
    for (int i = 0; i < 8; ++i) pos = line.find(',', pos) + 1;
    auto amount = allocation::Money::parse(line.substr(pos, line.find(',', pos) - pos));
    EXPECT_TRUE(amount.is_ok()) << line;
    if (amount) total += amount->units();
  }
  return total;
}

TEST(EmitInPipelineRun, an_unusable_dir_leaves_the_run_completed_and_the_next_run_emits) {
  ccloud_sim::SimOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.seed = 11;
  options.days = 6;
  ccloud_sim::SimServer sim(options);
  ASSERT_TRUE(sim.start());

  storage::testing::TempDir dir;
  // A plain file where output_dir's parent should be: the emitter cannot create it.
  const std::string blocker = dir.file("blocker");
  std::ofstream(blocker) << "x";
  const std::string out = blocker + "/csv";
  config::TenantConfig tenant;
  tenant.name = "sim";
  tenant.ecosystem = "confluent_cloud";
  tenant.tenant_id = "sim";
  tenant.lookback_days = 5;
  tenant.cutoff_days = 1;
  tenant.plugin_settings = {{"ccloud_api",
                             {{"key", options.api_key},
                              {"secret", options.api_secret},
                              {"base_url", "http://127.0.0.1:" + std::to_string(sim.port())}}},
                            {"emitters", {{{"type", "csv"}, {"params", {{"output_dir", out}}}}}}};

  auto db = storage::open_database(dir.sqlite_url("sim.db"));
  ASSERT_TRUE(db.is_ok()) << db.error();
  storage::Migrator migrator(**db);
  ASSERT_TRUE(migrator.upgrade().is_ok());

  pipeline::SourceCache sources(tenant);
  auto first = pipeline::run_pipeline(**db, tenant, sources, "manual", StopToken{});
  EXPECT_EQ(first.status, "completed") << first.error;
  ASSERT_GT(first.counts.dates_calculated, 0);
  EXPECT_EQ(first.dates_emitted, 0);
  ASSERT_FALSE(first.emit_warnings.empty());
  EXPECT_NE(first.emit_warnings.front().find("csv emitter 'csv'"), std::string::npos);
  EXPECT_NE(first.emit_warnings.front().find(out), std::string::npos) << first.emit_warnings[0];
  auto failed = (*db)->query("SELECT COUNT(*) FROM emission_records WHERE status = 'failed'");
  EXPECT_EQ(failed->front().get_int(0), first.counts.dates_calculated);

  fs::remove(blocker);  // now the emitter creates output_dir itself
  auto second = pipeline::run_pipeline(**db, tenant, sources, "manual", StopToken{});
  EXPECT_EQ(second.status, "completed") << second.error;
  EXPECT_TRUE(second.emit_warnings.empty());
  auto dates = (*db)->query(
      "SELECT date, attempt_count FROM emission_records WHERE status = 'emitted' ORDER BY date");
  ASSERT_TRUE(dates.is_ok());
  EXPECT_GE(static_cast<int>(dates->size()), first.counts.dates_calculated);
  storage::ChargebackStore store(**db, "confluent_cloud", "sim");
  for (const auto& row : *dates) {
    const std::string date = row.get_text(0);
    const std::string file = out + "/sim_" + date + ".csv";
    ASSERT_TRUE(fs::exists(file)) << file;
    EXPECT_EQ(csv_amount_units(file), *store.total_units_for_date(date)) << date;
  }
  EXPECT_EQ(dates->front().get_int(1), 2);  // failed once, then emitted
  auto runs = (*db)->query("SELECT status FROM pipeline_runs ORDER BY id");
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].get_text(0), "completed");
  EXPECT_EQ((*runs)[1].get_text(0), "completed");
}

}  // namespace
}  // namespace chitragupt::emitters
