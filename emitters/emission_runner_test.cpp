// The emit stage on a real SQLite file and a real PostgreSQL database: CSV files read back sum
// exactly to the stored facts, appear only complete, each date is emitted once, failures are
// recorded and retried; the prometheus emitter's gauges pass promtool.

#include "emitters/emission_runner.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "allocation/money.hpp"
#include "emitters/prometheus_gauges.hpp"
#include "storage/billing_store.hpp"
#include "storage/chargeback_store.hpp"
#include "storage/emission_store.hpp"
#include "storage/engine_test_fixture.hpp"
#include "storage/inventory_store.hpp"
#include "storage/migrator.hpp"

namespace chitragupt::emitters {
namespace {

namespace fs = std::filesystem;
using storage::ChargebackFactRecord;

const std::vector<std::string> kDates = {"2026-01-30", "2026-01-31", "2026-02-01"};

class EmitStage : public storage::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (not_runnable()) return;
    db_ = open();
    ASSERT_NE(db_, nullptr);
    storage::Migrator m(*db_);
    ASSERT_TRUE(m.upgrade().is_ok());
    out_ = dir_.file("out");
    fs::create_directory(out_);
    storage::ChargebackStore store(*db_, "confluent_cloud", "t1");
    std::int64_t n = 0;
    for (const auto& date : kDates) {
      std::vector<ChargebackFactRecord> rows;
      for (int hour = 0; hour < 24; hour += 6) {
        for (const char* identity : {"sa-1", "sa,\"2\"", "UNALLOCATED"}) {
          ChargebackFactRecord r;
          r.timestamp = date + " " + (hour < 10 ? "0" : "") + std::to_string(hour) + ":00:00";
          r.resource_id = "lkc-1";
          r.product_category = "KAFKA";
          r.product_type = "KAFKA_NUM_CKU";
          r.identity_id = identity;
          r.cost_type = hour == 0 ? "shared" : "usage";
          r.allocation_method = hour == 12 ? "even_split" : "usage_ratio";
          r.allocation_detail = hour == 18 ? "detail" : "";
          r.env_id = "env-1";
          r.amount_units = 12'345 + 7 * ++n;  // odd amounts: 1.2352, ...
          rows.push_back(r);
        }
      }
      ASSERT_TRUE(store.replace_date(date, rows).is_ok());
      ASSERT_TRUE(db_->execute("INSERT INTO pipeline_state (ecosystem, tenant_id, tracking_date, "
                               "billing_gathered, chargeback_calculated) VALUES (?, ?, ?, 1, 1)",
                               {"confluent_cloud", "t1", date})
                      .is_ok());
    }
  }

  EmitTarget target() { return {*db_, "confluent_cloud", "t1", "tenant-one"}; }

  EmitterSpec csv(const std::string& dir, Aggregation a = Aggregation::daily) {
    EmitterSpec s;
    s.type = EmitterType::csv;
    s.name = "csv-out";
    s.aggregation = a;
    s.output_dir = dir;
    return s;
  }

  std::int64_t stored_units(const std::string& date) {
    storage::ChargebackStore store(*db_, "confluent_cloud", "t1");
    return *store.total_units_for_date(date);
  }

  // Sum of the amount column (9th), parsed exactly; handles the quoted identity field.
  static std::int64_t csv_units(const std::string& path, std::size_t* rows = nullptr) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line,
              "ecosystem,tenant_id,timestamp,resource_id,product_category,product_type,"
              "identity_id,cost_type,amount,allocation_method,allocation_detail");
    std::int64_t total = 0;
    std::size_t count = 0;
    while (std::getline(in, line)) {
      std::vector<std::string> cells;
      std::string cell;
      bool quoted = false;
      for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quoted) {
          if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            cell += '"';
            ++i;
          } else if (c == '"') {
            quoted = false;
          } else {
            cell += c;
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          cells.push_back(cell);
          cell.clear();
        } else {
          cell += c;
        }
      }
      cells.push_back(cell);
      EXPECT_EQ(cells.size(), 11u) << line;
      if (cells.size() != 11) continue;
      auto m = allocation::Money::parse(cells[8]);
      EXPECT_TRUE(m.is_ok()) << cells[8];
      if (m) total += m->units();
      ++count;
    }
    if (rows) *rows = count;
    return total;
  }

  std::vector<std::string> files(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

  std::unique_ptr<storage::Database> db_;
  std::string out_;
};

TEST_P(EmitStage, daily_csv_files_sum_exactly_to_the_stored_facts_of_their_date) {
  auto report = run_emitters(target(), {csv(out_)}, "2026-02-03");
  EXPECT_TRUE(report.warnings.empty()) << report.warnings.front();
  EXPECT_EQ(report.dates_emitted, 3);
  // Only complete files: no temporary file is left in the directory.
  EXPECT_EQ(files(out_), (std::vector<std::string>{"t1_2026-01-30.csv", "t1_2026-01-31.csv",
                                                   "t1_2026-02-01.csv"}));
  for (const auto& date : kDates) {
    std::size_t rows = 0;
    EXPECT_EQ(csv_units(out_ + "/t1_" + date + ".csv", &rows), stored_units(date)) << date;
    // daily: one row per (resource, product, identity, cost type): 3 identities x 2 cost types
    EXPECT_EQ(rows, 6u);
  }
  std::ifstream in(out_ + "/t1_2026-01-30.csv");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("confluent_cloud,t1,2026-01-30T00:00:00+00:00,lkc-1,KAFKA,"
                            "KAFKA_NUM_CKU,\"sa,\"\"2\"\"\","),
            std::string::npos)
      << text.str();
}

TEST_P(EmitStage, each_date_is_emitted_once_across_runs) {
  ASSERT_EQ(run_emitters(target(), {csv(out_)}, "2026-02-03").dates_emitted, 3);
  fs::remove(out_ + "/t1_2026-01-30.csv");
  auto second = run_emitters(target(), {csv(out_)}, "2026-02-03");
  EXPECT_EQ(second.dates_emitted, 0);
  EXPECT_FALSE(fs::exists(out_ + "/t1_2026-01-30.csv"));
  // A newly calculated date is the only one emitted next.
  ASSERT_TRUE(db_->execute("INSERT INTO pipeline_state (ecosystem, tenant_id, tracking_date, "
                           "billing_gathered, chargeback_calculated) VALUES (?, ?, ?, 1, 1)",
                           {"confluent_cloud", "t1", "2026-02-02"})
                  .is_ok());
  auto third = run_emitters(target(), {csv(out_)}, "2026-02-03");
  EXPECT_EQ(third.dates_emitted, 1);
  EXPECT_TRUE(fs::exists(out_ + "/t1_2026-02-02.csv"));
  EXPECT_EQ(csv_units(out_ + "/t1_2026-02-02.csv"), 0);  // no facts: header only
}

// Issue 15 item 8: the csv emitter creates output_dir (parents too), as the original does.
TEST_P(EmitStage, a_missing_output_dir_is_created) {
  const std::string missing = dir_.file("not-yet/deeper");
  auto report = run_emitters(target(), {csv(missing)}, "2026-02-03");
  EXPECT_TRUE(report.warnings.empty()) << report.warnings.front();
  EXPECT_EQ(report.dates_emitted, 3);
  EXPECT_EQ(csv_units(missing + "/t1_2026-01-31.csv"), stored_units("2026-01-31"));
}

TEST_P(EmitStage, an_output_dir_that_cannot_be_made_fails_the_dates_which_are_retried) {
  const std::string blocker = dir_.file("blocker");
  std::ofstream(blocker) << "x";
  const std::string dir = blocker + "/csv";
  auto first = run_emitters(target(), {csv(dir)}, "2026-02-03");
  EXPECT_EQ(first.dates_emitted, 0);
  EXPECT_EQ(first.dates_failed, 3);
  ASSERT_FALSE(first.warnings.empty());
  EXPECT_NE(first.warnings.front().find("csv emitter 'csv-out'"), std::string::npos);
  EXPECT_NE(first.warnings.front().find(dir), std::string::npos) << first.warnings.front();
  storage::EmissionStore store(*db_, "confluent_cloud", "t1");
  EXPECT_EQ((*store.find("csv-out", "chargeback", "2026-01-30"))->status, "failed");

  fs::remove(blocker);
  auto second = run_emitters(target(), {csv(dir)}, "2026-02-03");
  EXPECT_TRUE(second.warnings.empty());
  EXPECT_EQ(second.dates_emitted, 3);
  auto record = *store.find("csv-out", "chargeback", "2026-01-30");
  EXPECT_EQ(record->status, "emitted");
  EXPECT_EQ(record->attempt_count, 2);
}

TEST_P(EmitStage, a_file_in_place_of_the_dir_is_a_clear_error) {
  const std::string file = dir_.file("plain-file");
  std::ofstream(file) << "x";
  auto report = run_emitters(target(), {csv(file)}, "2026-02-03");
  ASSERT_EQ(report.dates_failed, 3);
  EXPECT_NE(report.warnings.front().find("'" + file + "' is not a directory"), std::string::npos)
      << report.warnings.front();
}

TEST_P(EmitStage, monthly_aggregation_writes_one_file_per_month_named_by_its_first_day) {
  auto spec = csv(out_, Aggregation::monthly);
  spec.filename_template = "{tenant_name}-{date}.csv";
  auto report = run_emitters(target(), {spec}, "2026-02-03");
  EXPECT_EQ(report.dates_emitted, 3);
  EXPECT_EQ(files(out_),
            (std::vector<std::string>{"tenant-one-2026-01-01.csv", "tenant-one-2026-02-01.csv"}));
  EXPECT_EQ(csv_units(out_ + "/tenant-one-2026-01-01.csv"),
            stored_units("2026-01-30") + stored_units("2026-01-31"));
}

TEST_P(EmitStage, hourly_aggregation_keeps_every_fact) {
  std::size_t rows = 0;
  ASSERT_EQ(run_emitters(target(), {csv(out_, Aggregation::hourly)}, "2026-02-03").dates_emitted,
            3);
  EXPECT_EQ(csv_units(out_ + "/t1_2026-02-01.csv", &rows), stored_units("2026-02-01"));
  EXPECT_EQ(rows, 12u);
}

// Issue 15 item 8: an emitter without aggregation writes the rows as stored.
TEST_P(EmitStage, no_aggregation_passes_every_stored_row_through) {
  std::size_t rows = 0;
  ASSERT_EQ(run_emitters(target(), {csv(out_, Aggregation::none)}, "2026-02-03").dates_emitted, 3);
  EXPECT_EQ(csv_units(out_ + "/t1_2026-02-01.csv", &rows), stored_units("2026-02-01"));
  EXPECT_EQ(rows, 12u);
}

TEST_P(EmitStage, lookback_days_bounds_the_pending_dates) {
  auto spec = csv(out_);
  spec.lookback_days = 2;  // today 2026-02-02: from 2026-01-31
  EXPECT_EQ(run_emitters(target(), {spec}, "2026-02-02").dates_emitted, 2);
  EXPECT_FALSE(fs::exists(out_ + "/t1_2026-01-30.csv"));
}

TEST_P(EmitStage, prometheus_gauges_hold_the_latest_date_and_pass_promtool) {
  clear_gauges();
  storage::InventoryStore inv(*db_, "confluent_cloud", "t1");
  storage::ResourceRecord cluster;
  cluster.resource_id = "lkc-1";
  cluster.resource_type = "kafka_cluster";
  cluster.created_at = "2025-01-01 00:00:00";
  ASSERT_TRUE(inv.upsert_resources({cluster}, "2026-02-10 00:00:00").is_ok());
  ASSERT_TRUE(
      inv.upsert_identities({{"sa-1", "service_account", "x", "2025-01-01 00:00:00", "", "", ""}},
                            "2026-02-10 00:00:00")
          .is_ok());
  storage::BillingStore billing(*db_, "confluent_cloud", "t1");
  storage::BillingRecord line;
  line.timestamp = "2026-02-01 00:00:00";
  line.env_id = "env-1";
  line.resource_id = "lkc-1";
  line.product_type = "KAFKA_NUM_CKU";
  line.product_category = "KAFKA";
  line.quantity = "1";
  line.unit_price = "9.87654";
  line.total_cost = "9.87654";
  ASSERT_TRUE(billing.upsert({line}).is_ok());

  EmitterSpec spec;
  spec.type = EmitterType::prometheus;
  spec.name = "prometheus";
  auto report = run_emitters(target(), {spec}, "2026-02-03");
  EXPECT_TRUE(report.warnings.empty()) << report.warnings.front();
  EXPECT_EQ(report.dates_emitted, 3);
  const std::string text = render_gauges();
  // 2026-02-01T00:00:00Z in ms; the billed amount exact to 0.0001.
  EXPECT_NE(text.find("chitragupta_billing_amount{tenant_id=\"t1\",ecosystem=\"confluent_cloud\","
                      "resource_id=\"lkc-1\",product_type=\"KAFKA_NUM_CKU\",product_category="
                      "\"KAFKA\"} 9.8765 1769904000000\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("identity_id=\"sa,\\\"2\\\"\""), std::string::npos) << text;
  EXPECT_NE(text.find("chitragupta_resource_active{"), std::string::npos);
  EXPECT_NE(text.find("chitragupta_identity_active{"), std::string::npos);
  EXPECT_EQ(text.find("1769817600000"), std::string::npos) << "an older date's samples remain";
  // The chargeback gauges of the date sum to the stored facts.
  allocation::Money sum;
  std::istringstream lines(text);
  for (std::string l; std::getline(lines, l);) {
    if (l.rfind("chitragupta_chargeback_amount{", 0) != 0) continue;
    auto end = l.rfind(' ');
    auto start = l.rfind(' ', end - 1);
    sum += *allocation::Money::parse(l.substr(start + 1, end - start - 1));
  }
  EXPECT_EQ(sum.units(), stored_units("2026-02-01"));

  storage::testing::TempDir tmp;
  std::ofstream(tmp.file("m.txt")) << text;
  const std::string cmd = "/usr/bin/promtool check metrics < " + tmp.file("m.txt") + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[512];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << out;
  EXPECT_EQ(out, "");

  // A restarted process (empty registry) gets the newest emitted date back without a record.
  clear_gauges();
  auto again = run_emitters(target(), {spec}, "2026-02-03");
  EXPECT_EQ(again.dates_emitted, 0);
  EXPECT_NE(render_gauges().find("1769904000000"), std::string::npos);
  clear_gauges();
}

CHITRAGUPT_ON_BOTH_ENGINES(EmitStage);

}  // namespace
}  // namespace chitragupt::emitters
