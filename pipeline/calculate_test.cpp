// The calculate stage on a real SQLite file and a real PostgreSQL database, with the same
// expectations (so the same input gives the same rows on both): conservation per date,
// idempotency, metrics use, the retry limit and ALLOCATION_FAILED rows.

#include "pipeline/calculate.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "allocation/money.hpp"
#include "storage/billing_store.hpp"
#include "storage/chargeback_store.hpp"
#include "storage/engine_test_fixture.hpp"
#include "storage/inventory_store.hpp"
#include "storage/migrator.hpp"

namespace chitragupt::pipeline {
namespace {

using storage::BillingRecord;

class CalculateStage : public storage::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (not_runnable()) return;
    db_ = open();
    ASSERT_NE(db_, nullptr);
    storage::Migrator m(*db_);
    ASSERT_TRUE(m.upgrade().is_ok());
    tenant_.name = "t";
    tenant_.ecosystem = "confluent_cloud";
    tenant_.tenant_id = "t";
    tenant_.allocation_retry_limit = 2;

    storage::InventoryStore inv(*db_, "confluent_cloud", "t");
    storage::ResourceRecord cluster;
    cluster.resource_id = "lkc-1";
    cluster.resource_type = "kafka_cluster";
    cluster.created_at = "2025-01-01 00:00:00";
    ASSERT_TRUE(inv.upsert_resources({cluster}, "2026-02-10 00:00:00").is_ok());
    std::vector<storage::IdentityRecord> ids;
    for (const char* sa : {"sa-1", "sa-2", "sa-3"}) {
      ids.push_back({sa, "service_account", sa, "2025-01-01 00:00:00", "", "", ""});
    }
    ids.push_back({"key-1", "api_key", "k", "2025-01-01 00:00:00", "", "",
                   R"({"owner_id":"sa-1","resource_id":"lkc-1"})"});
    ids.push_back({"key-2", "api_key", "k", "2025-01-01 00:00:00", "", "",
                   R"({"owner_id":"sa-2","resource_id":"lkc-1"})"});
    ASSERT_TRUE(inv.upsert_identities(ids, "2026-02-10 00:00:00").is_ok());
  }

  BillingRecord line(const std::string& date, const std::string& type, const std::string& cost) {
    BillingRecord b;
    b.timestamp = date + " 00:00:00";
    b.env_id = "env-1";
    b.resource_id = "lkc-1";
    b.product_type = type;
    b.product_category = "KAFKA";
    b.quantity = "1";
    b.unit_price = cost;
    b.total_cost = cost;
    return b;
  }

  void gather(const std::vector<BillingRecord>& lines) {
    storage::BillingStore billing(*db_, "confluent_cloud", "t");
    auto merged = billing.upsert(lines);
    ASSERT_TRUE(merged.is_ok()) << merged.error();
    std::set<std::string> dates;
    for (const auto& l : lines) dates.insert(l.timestamp.substr(0, 10));
    ASSERT_TRUE(billing.mark_gathered(dates, merged->changed_dates).is_ok());
  }

  CalculateOptions options() {
    CalculateOptions o;
    o.registry = &allocation::Registry::confluent_cloud();
    o.metrics = [this](const std::vector<std::string>& keys, const std::string& resource,
                       std::int64_t start, std::int64_t) {
      metric_calls_++;
      std::vector<allocation::MetricRow> rows;
      for (const auto& key : keys) {
        if (key != "bytes_in" && key != "bytes_out") continue;
        rows.push_back({start, key, 300.0, {{"kafka_id", resource}, {"principal_id", "key-1"}}});
        rows.push_back({start, key, 100.0, {{"kafka_id", resource}, {"principal_id", "key-2"}}});
      }
      return Result<std::vector<allocation::MetricRow>>(rows);
    };
    return o;
  }

  std::vector<std::vector<std::string>> facts() {
    auto rows = db_->query(
        "SELECT f.timestamp, d.identity_id, d.product_type, d.cost_type, d.allocation_method, "
        "d.allocation_detail, f.amount FROM chargeback_facts f JOIN chargeback_dimensions d ON "
        "d.dimension_id = f.dimension_id ORDER BY 1, 2, 3, 4, 5, 6");
    std::vector<std::vector<std::string>> out;
    for (const auto& r : *rows) {
      std::vector<std::string> v;
      for (std::size_t i = 0; i < r.values.size(); ++i) v.push_back(r.get_text(i));
      out.push_back(v);
    }
    return out;
  }

  std::int64_t units_on(const std::string& date) {
    storage::ChargebackStore store(*db_, "confluent_cloud", "t");
    return *store.total_units_for_date(date);
  }

  std::unique_ptr<storage::Database> db_;
  config::TenantConfig tenant_;
  int metric_calls_ = 0;
};

TEST_P(CalculateStage, every_date_sums_to_its_quantized_billing_exactly) {
  gather({line("2026-02-01", "KAFKA_NUM_CKU", "100.00005"),
          line("2026-02-01", "KAFKA_NETWORK_READ", "0.333333"),
          line("2026-02-01", "KAFKA_STORAGE", "7"), line("2026-02-02", "KAFKA_NUM_CKU", "10"),
          line("2026-02-02", "SOMETHING_NEW", "1.23456")});
  auto report = calculate_pending(*db_, tenant_, options());
  ASSERT_TRUE(report.is_ok()) << report.error();
  EXPECT_EQ(report->dates_calculated, 2);
  EXPECT_EQ(report->lines, 5);
  // SQLite's WAL is synced beside the work after the commits (requests made while one sync
  // runs fold into the next); PostgreSQL has no WAL file of ours to sync.
  if (db_->dialect() == Dialect::sqlite) {
    EXPECT_GE(report->wal_syncs, 1);
    EXPECT_LE(report->wal_syncs, 2);
  } else {
    EXPECT_EQ(report->wal_syncs, 0);
  }
  // 100.0001 + 0.3333 + 7.0000 on the first day; 10.0000 + 1.2346 on the second.
  EXPECT_EQ(units_on("2026-02-01"), 1'073'334);
  EXPECT_EQ(units_on("2026-02-02"), 112'346);
  storage::BillingStore billing(*db_, "confluent_cloud", "t");
  EXPECT_TRUE(billing.pending_dates()->empty());
  // Metrics were fetched once per (resource, day, metric), not once per line: day 1 needs
  // bytes_in and bytes_out (CKU) — READ reuses bytes_out —, day 2 the same two for CKU.
  EXPECT_EQ(metric_calls_, 4);
}

TEST_P(CalculateStage, progress_names_each_date_before_it_is_written) {
  gather({line("2026-02-01", "KAFKA_NUM_CKU", "1"), line("2026-02-03", "KAFKA_NUM_CKU", "2"),
          line("2026-02-02", "KAFKA_NUM_CKU", "3")});
  auto o = options();
  std::vector<std::pair<std::string, std::int64_t>> seen;  // date, its units already written
  o.on_date = [&](const std::string& date) { seen.emplace_back(date, units_on(date)); };
  ASSERT_TRUE(calculate_pending(*db_, tenant_, o).is_ok());
  using Seen = std::pair<std::string, std::int64_t>;
  EXPECT_EQ(seen, (std::vector<Seen>{{"2026-02-01", 0}, {"2026-02-02", 0}, {"2026-02-03", 0}}));
}

TEST_P(CalculateStage, usage_lines_follow_the_metrics_through_api_key_owners) {
  gather({line("2026-02-01", "KAFKA_NETWORK_READ", "8")});
  ASSERT_TRUE(calculate_pending(*db_, tenant_, options()).is_ok());
  auto rows = facts();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1], "sa-1");  // key-1's owner: 300 of 400 bytes
  EXPECT_EQ(rows[0][4], "usage_ratio");
  EXPECT_EQ(rows[0][6], "60000");
  EXPECT_EQ(rows[1][1], "sa-2");
  EXPECT_EQ(rows[1][6], "20000");
}

// Issue 15 item 1: the metrics of a resource and day go to every line of it, as the original's
// orchestrator hands its whole group. A cluster whose only traffic comes from principals that own
// no API key there (an identity pool, an mTLS service account): its base, storage and partition
// lines split among those principals, not the tenant's API-key owners or everyone, and the
// network-read line's resolution also sees the write-side principal.
TEST_P(CalculateStage, every_line_of_a_resource_sees_the_principals_of_all_its_metrics) {
  storage::InventoryStore inv(*db_, "confluent_cloud", "t");
  storage::ResourceRecord cluster;
  cluster.resource_id = "lkc-2";
  cluster.resource_type = "kafka_cluster";
  cluster.created_at = "2025-01-01 00:00:00";
  ASSERT_TRUE(inv.upsert_resources({cluster}, "2026-02-10 00:00:00").is_ok());
  std::vector<BillingRecord> lines;
  for (const char* type : {"KAFKA_BASE", "KAFKA_STORAGE", "KAFKA_PARTITION", "KAFKA_NETWORK_READ",
                           "KAFKA_NETWORK_WRITE"}) {
    lines.push_back(line("2026-02-01", type, "6"));
    lines.back().resource_id = "lkc-2";
  }
  gather(lines);
  auto o = options();
  int calls = 0;
  o.metrics = [&calls](const std::vector<std::string>& keys, const std::string& resource,
                       std::int64_t start, std::int64_t) {
    calls++;
    std::vector<allocation::MetricRow> rows;
    for (const auto& key : keys) {
      // pool-1 only writes, sa-3 (no key on lkc-2) only reads.
      const char* who = key == "bytes_in" ? "pool-1" : "sa-3";
      rows.push_back({start, key, 50.0, {{"kafka_id", resource}, {"principal_id", who}}});
    }
    return Result<std::vector<allocation::MetricRow>>(rows);
  };
  auto report = calculate_pending(*db_, tenant_, o);
  ASSERT_TRUE(report.is_ok()) << report.error();
  EXPECT_EQ(calls, 2);  // bytes_in and bytes_out, once each for the five lines
  std::map<std::string, std::set<std::string>> who_pays;
  std::map<std::string, std::int64_t> per_type;
  for (const auto& r : facts()) {
    who_pays[r[2]].insert(r[1]);
    per_type[r[2]] += std::stoll(r[6]);
  }
  for (const char* type : {"KAFKA_BASE", "KAFKA_STORAGE", "KAFKA_PARTITION"}) {
    EXPECT_EQ(who_pays[type], (std::set<std::string>{"pool-1", "sa-3"})) << type;
    EXPECT_EQ(per_type[type], 60'000) << type;  // conserved
  }
  // Usage-ratio lines charge by their own metric only.
  EXPECT_EQ(who_pays["KAFKA_NETWORK_READ"], std::set<std::string>{"sa-3"});
  EXPECT_EQ(who_pays["KAFKA_NETWORK_WRITE"], std::set<std::string>{"pool-1"});
  EXPECT_EQ(units_on("2026-02-01"), 300'000);
}

// Issue 15 item 5: the identity UNALLOCATED rows name is stored, type system, like any other.
TEST_P(CalculateStage, the_unallocated_identity_is_stored_as_a_system_identity) {
  gather({line("2026-02-01", "KAFKA_NUM_CKU", "10")});
  ASSERT_TRUE(calculate_pending(*db_, tenant_, options()).is_ok());
  auto rows = db_->query(
      "SELECT identity_type, deleted_at FROM identities WHERE identity_id = 'UNALLOCATED' AND "
      "tenant_id = 't'");
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].get_text(0), "system");
  EXPECT_TRUE((*rows)[0].is_null(1));
}

// Issue 15 item 7: metrics_prefetch_workers fetches that many (resource, day) groups at once,
// ahead of the lines; the rows are the very same as fetching one at a time.
TEST_P(CalculateStage, prefetch_workers_fetch_groups_in_parallel_with_the_same_rows) {
  std::vector<BillingRecord> lines;
  for (int c = 1; c <= 8; ++c) {
    lines.push_back(line("2026-02-01", "KAFKA_NETWORK_READ", "3"));
    lines.back().resource_id = "lkc-" + std::to_string(c);
    lines.push_back(line("2026-02-01", "KAFKA_NUM_CKU", "7"));
    lines.back().resource_id = "lkc-" + std::to_string(c);
  }
  std::atomic<int> now{0}, most{0};
  auto fetching = [&](int workers) {
    auto o = options();
    auto rows_of = o.metrics;
    o.prefetch_workers = workers;
    o.metrics = [&, rows_of](const std::vector<std::string>& keys, const std::string& resource,
                             std::int64_t start, std::int64_t end) {
      int n = ++now;
      for (int m = most.load(); n > m && !most.compare_exchange_weak(m, n);) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(15));
      --now;
      return rows_of(keys, resource, start, end);
    };
    return o;
  };
  gather(lines);
  ASSERT_TRUE(calculate_pending(*db_, tenant_, fetching(1)).is_ok());
  const auto sequential = facts();
  EXPECT_EQ(most.load(), 1);
  storage::BillingStore billing(*db_, "confluent_cloud", "t");
  ASSERT_TRUE(billing.mark_gathered({"2026-02-01"}, {"2026-02-01"}).is_ok());
  most = 0;
  ASSERT_TRUE(calculate_pending(*db_, tenant_, fetching(4)).is_ok());
  EXPECT_EQ(facts(), sequential);
  EXPECT_GT(most.load(), 1);
  EXPECT_LE(most.load(), 4);
}

TEST_P(CalculateStage, recalculating_gives_identical_rows_and_no_duplicates) {
  gather({line("2026-02-01", "KAFKA_NUM_CKU", "12.3456"),
          line("2026-02-01", "KAFKA_NETWORK_WRITE", "3")});
  ASSERT_TRUE(calculate_pending(*db_, tenant_, options()).is_ok());
  auto first = facts();
  ASSERT_FALSE(first.empty());
  // A revision of another line re-queues the date: everything is recomputed.
  gather({line("2026-02-01", "KAFKA_NUM_CKU", "12.3456"),
          line("2026-02-01", "KAFKA_NETWORK_WRITE", "3")});
  storage::BillingStore billing(*db_, "confluent_cloud", "t");
  ASSERT_TRUE(billing.mark_gathered({"2026-02-01"}, {"2026-02-01"}).is_ok());
  ASSERT_TRUE(calculate_pending(*db_, tenant_, options()).is_ok());
  EXPECT_EQ(facts(), first);
}

TEST_P(CalculateStage, failing_line_keeps_the_date_pending_then_becomes_allocation_failed) {
  gather({line("2026-02-01", "KAFKA_NUM_CKU", "10"), line("2026-02-01", "KAFKA_STORAGE", "5")});
  auto o = options();
  // CKU ratios that do not sum to 1 make every CKU line fail to allocate.
  o.params = {{"kafka_cku_usage_ratio", "0.9"}, {"kafka_cku_shared_ratio", "0.3"}};
  auto first = calculate_pending(*db_, tenant_, o);
  ASSERT_TRUE(first.is_ok()) << first.error();
  EXPECT_EQ(first->dates_calculated, 0);
  EXPECT_EQ(first->dates_left_pending, 1);
  ASSERT_EQ(first->errors.size(), 1u);
  EXPECT_EQ(units_on("2026-02-01"), 0);  // nothing half-written

  // allocation_retry_limit is 2: the second attempt gives up on the line, not the date.
  auto second = calculate_pending(*db_, tenant_, o);
  ASSERT_TRUE(second.is_ok()) << second.error();
  EXPECT_EQ(second->dates_calculated, 1);
  EXPECT_EQ(second->lines_failed_for_good, 1);
  EXPECT_EQ(units_on("2026-02-01"), 150'000);  // the failed line's money is still there
  bool failed_row = false;
  for (const auto& r : facts()) {
    if (r[4] != "ALLOCATION_FAILED") continue;
    failed_row = true;
    EXPECT_EQ(r[1], "UNALLOCATED");
    EXPECT_EQ(r[6], "100000");
    EXPECT_NE(r[5].find("Failed after 2 attempts"), std::string::npos) << r[5];
  }
  EXPECT_TRUE(failed_row);
}

// Issue 15 item 2: an amount that is not a number cannot be allocated, and retrying will not
// change that: the date completes at once, the line gets an ALLOCATION_FAILED row naming the raw
// value (allocation-issues lists it) and the run's warnings say so.
TEST_P(CalculateStage, an_unreadable_amount_is_reported_at_once_without_blocking_its_date) {
  gather({line("2026-02-01", "KAFKA_NUM_CKU", "not-a-number"),
          line("2026-02-01", "KAFKA_STORAGE", "5")});
  auto first = calculate_pending(*db_, tenant_, options());
  ASSERT_TRUE(first.is_ok()) << first.error();
  EXPECT_EQ(first->dates_left_pending, 0);
  EXPECT_EQ(first->dates_calculated, 1);
  ASSERT_EQ(first->warnings.size(), 1u);
  EXPECT_NE(first->warnings[0].find("not-a-number"), std::string::npos) << first->warnings[0];
  EXPECT_EQ(units_on("2026-02-01"), 50'000);
  bool reported = false;
  for (const auto& r : facts()) {
    reported = reported || (r[1] == "UNALLOCATED" && r[4] == "ALLOCATION_FAILED" &&
                            r[5].find("not-a-number") != std::string::npos);
  }
  EXPECT_TRUE(reported);
}

TEST_P(CalculateStage, a_failed_metrics_source_still_allocates_every_dollar) {
  gather({line("2026-02-01", "KAFKA_NUM_CKU", "50")});
  auto o = options();
  o.metrics = [](const std::vector<std::string>&, const std::string&, std::int64_t,
                 std::int64_t) -> Result<std::vector<allocation::MetricRow>> {
    return Status::error("telemetry down");
  };
  auto report = calculate_pending(*db_, tenant_, o);
  ASSERT_TRUE(report.is_ok()) << report.error();
  EXPECT_EQ(report->dates_calculated, 1);
  EXPECT_EQ(units_on("2026-02-01"), 500'000);
}

TEST_P(CalculateStage, stop_request_interrupts_between_dates) {
  gather({line("2026-02-01", "KAFKA_STORAGE", "1"), line("2026-02-02", "KAFKA_STORAGE", "1")});
  StopSource stop;
  stop.request_stop();
  auto o = options();
  o.stop = stop.token();
  auto report = calculate_pending(*db_, tenant_, o);
  ASSERT_TRUE(report.is_ok());
  EXPECT_TRUE(report->interrupted);
  EXPECT_EQ(report->dates_calculated, 0);
}

// Dates are written in batches, one transaction each. A stop keeps the dates of the open batch
// that were written whole, and leaves the rest pending.
TEST_P(CalculateStage, a_stop_commits_the_dates_written_so_far_and_leaves_the_rest_pending) {
  gather({line("2026-02-01", "KAFKA_STORAGE", "1"), line("2026-02-02", "KAFKA_STORAGE", "2"),
          line("2026-02-03", "KAFKA_STORAGE", "3")});
  StopSource stop;
  auto o = options();
  o.stop = stop.token();
  o.on_date = [&](const std::string& date) {
    if (date == "2026-02-02") stop.request_stop();  // while the batch is open
  };
  auto report = calculate_pending(*db_, tenant_, o);
  ASSERT_TRUE(report.is_ok()) << report.error();
  EXPECT_TRUE(report->interrupted);
  EXPECT_EQ(report->dates_calculated, 2);
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_EQ(units_on("2026-02-01"), 10'000);
  EXPECT_EQ(units_on("2026-02-02"), 20'000);
  EXPECT_EQ(units_on("2026-02-03"), 0);
  storage::BillingStore billing(*db_, "confluent_cloud", "t");
  EXPECT_EQ(*billing.pending_dates(), std::vector<std::string>{"2026-02-03"});
}

// A write that fails rolls its whole batch back: every date in it stays pending, none is
// half-written, and the next run calculates them all.
TEST_P(CalculateStage, a_failed_write_leaves_every_date_of_its_batch_pending) {
  gather({line("2026-02-01", "KAFKA_STORAGE", "1"), line("2026-02-02", "KAFKA_STORAGE", "2"),
          line("2026-02-03", "KAFKA_STORAGE", "3")});
  auto o = options();
  o.on_date = [&](const std::string& date) {
    // Inside the batch's transaction, so the rollback brings the table back.
    if (date == "2026-02-02") {
      ASSERT_TRUE(db_->execute("DROP TABLE chargeback_daily").is_ok());
    }
  };
  auto failed = calculate_pending(*db_, tenant_, o);
  ASSERT_FALSE(failed.is_ok());
  EXPECT_NE(failed.error().find("writing chargebacks of 2026-02-02"), std::string::npos)
      << failed.error();
  EXPECT_FALSE(db_->in_transaction());
  storage::BillingStore billing(*db_, "confluent_cloud", "t");
  EXPECT_EQ(billing.pending_dates()->size(), 3u);
  EXPECT_EQ(units_on("2026-02-01"), 0);
  EXPECT_TRUE(facts().empty());

  auto again = calculate_pending(*db_, tenant_, options());
  ASSERT_TRUE(again.is_ok()) << again.error();
  EXPECT_EQ(again->dates_calculated, 3);
  EXPECT_EQ(units_on("2026-02-01") + units_on("2026-02-02") + units_on("2026-02-03"), 60'000);
  EXPECT_TRUE(billing.pending_dates()->empty());
}

// The allocation runs on a thread of its own: what it throws reaches the caller as it did from
// std::async, and the stage leaves no transaction open.
TEST_P(CalculateStage, an_exception_while_allocating_reaches_the_caller) {
  gather({line("2026-02-01", "KAFKA_NETWORK_READ", "1"),
          line("2026-02-02", "KAFKA_NETWORK_READ", "2")});
  auto o = options();
  o.metrics = [](const std::vector<std::string>&, const std::string&, std::int64_t,
                 std::int64_t) -> Result<std::vector<allocation::MetricRow>> {
    throw std::runtime_error("metrics source blew up");
  };
  EXPECT_THROW(calculate_pending(*db_, tenant_, o), std::runtime_error);
  EXPECT_FALSE(db_->in_transaction());
  storage::BillingStore billing(*db_, "confluent_cloud", "t");
  EXPECT_EQ(billing.pending_dates()->size(), 2u);
}

TEST_P(CalculateStage, a_series_source_gives_the_same_rows_as_a_row_source) {
  const std::vector<BillingRecord> lines = {line("2026-02-01", "KAFKA_NUM_CKU", "12.3456"),
                                            line("2026-02-01", "KAFKA_NETWORK_READ", "0.3333"),
                                            line("2026-02-01", "KAFKA_NETWORK_WRITE", "3")};
  gather(lines);
  ASSERT_TRUE(calculate_pending(*db_, tenant_, options()).is_ok());
  auto from_rows = facts();
  ASSERT_GE(from_rows.size(), 4u);

  auto o = options();
  auto rows_source = o.metrics;
  o.metrics = nullptr;
  int series_calls = 0;
  o.metric_series = [&](const std::vector<std::string>& keys, const std::string& resource,
                        std::int64_t start,
                        std::int64_t end) -> Result<std::vector<allocation::MetricSeries>> {
    series_calls++;
    auto rows = rows_source(keys, resource, start, end);
    if (!rows) return rows.status();
    return allocation::to_series(std::move(*rows));
  };
  gather(lines);
  storage::BillingStore billing(*db_, "confluent_cloud", "t");
  ASSERT_TRUE(billing.mark_gathered({"2026-02-01"}, {"2026-02-01"}).is_ok());
  ASSERT_TRUE(calculate_pending(*db_, tenant_, o).is_ok());
  EXPECT_EQ(series_calls, 2);  // bytes_in, bytes_out: the series source was the one asked
  EXPECT_EQ(facts(), from_rows);
}

// Flink's resolver reads the metric rows' pool and statement labels, not only principals: the
// stage must still hand it rows when the source gives series.
TEST_P(CalculateStage, flink_lines_split_by_the_cfu_in_series_metrics) {
  storage::InventoryStore inv(*db_, "confluent_cloud", "t");
  std::vector<storage::ResourceRecord> flink(3);
  flink[0].resource_id = "lfcp-1";
  flink[0].resource_type = "flink_compute_pool";
  for (int s = 1; s <= 2; ++s) {
    flink[s].resource_id = "stmt-" + std::to_string(s);
    flink[s].resource_type = "flink_statement";
    flink[s].parent_id = "lfcp-1";
    flink[s].display_name = s == 1 ? "etl" : "report";
    flink[s].owner_id = s == 1 ? "sa-1" : "sa-2";
  }
  for (auto& r : flink) r.created_at = "2025-01-01 00:00:00";
  ASSERT_TRUE(inv.upsert_resources(flink, "2026-02-10 00:00:00").is_ok());
  BillingRecord cfu = line("2026-02-01", "FLINK_NUM_CFU", "8");
  cfu.resource_id = "lfcp-1";
  cfu.product_category = "FLINK";
  gather({cfu});

  auto o = options();
  o.metrics = nullptr;
  o.metric_series = [](const std::vector<std::string>& keys, const std::string& resource,
                       std::int64_t start, std::int64_t) {
    std::vector<allocation::MetricSeries> out;
    for (const auto& key : keys) {
      if (key != "flink_cfu_primary") continue;
      // etl used 3 CFU, report 1: a 3:1 split (running statements without metrics: 1:1).
      out.push_back({key,
                     {{"compute_pool_id", resource}, {"flink_statement_name", "etl"}},
                     {{start, 1.0}, {start + 3600, 2.0}}});
      out.push_back({key,
                     {{"compute_pool_id", resource}, {"flink_statement_name", "report"}},
                     {{start, 1.0}}});
    }
    return Result<std::vector<allocation::MetricSeries>>(out);
  };
  auto report = calculate_pending(*db_, tenant_, o);
  ASSERT_TRUE(report.is_ok()) << report.error();
  auto rows = facts();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1], "sa-1");
  EXPECT_EQ(rows[0][6], "60000");
  EXPECT_EQ(rows[1][1], "sa-2");
  EXPECT_EQ(rows[1][6], "20000");
}

// The stage raises SQLite's wal_autocheckpoint while it commits date after date and checkpoints
// once at the end: afterwards the setting is the connection's again and the WAL is empty.
TEST_P(CalculateStage, sqlite_checkpoint_setting_is_restored_and_the_wal_emptied) {
  if (db_->dialect() != Dialect::sqlite) GTEST_SKIP() << "SQLite only";
  ASSERT_TRUE(db_->execute("PRAGMA wal_autocheckpoint=777").is_ok());
  gather({line("2026-02-01", "KAFKA_NUM_CKU", "10"), line("2026-02-02", "KAFKA_NUM_CKU", "10")});
  auto report = calculate_pending(*db_, tenant_, options());
  ASSERT_TRUE(report.is_ok()) << report.error();
  EXPECT_EQ(report->dates_calculated, 2);
  auto setting = db_->query("PRAGMA wal_autocheckpoint");
  ASSERT_TRUE(setting.is_ok() && !setting->empty());
  EXPECT_EQ(setting->front().get_int(0), 777);
  std::error_code ec;
  EXPECT_EQ(std::filesystem::file_size(db_->file_path() + "-wal", ec), 0u) << ec.message();
  EXPECT_FALSE(ec) << ec.message();
}

CHITRAGUPT_ON_BOTH_ENGINES(CalculateStage);

TEST(AllocatorParams, numbers_and_strings_become_decimal_text) {
  auto params = allocator_params_of(
      nlohmann::json::parse(R"({"allocator_params":{"kafka_cku_usage_ratio":"0.6","x":0.4}})"));
  EXPECT_EQ(params.at("kafka_cku_usage_ratio"), "0.6");
  EXPECT_EQ(params.at("x"), "0.4");
}

}  // namespace
}  // namespace chitragupt::pipeline
