// report::handle() for a one-month chargebacks/aggregate over >= 1 M fact rows (issue 6): the
// library part of the HTTP route's latency (the HTTP layer adds a message round trip).
//
// Setup (not timed): a fresh SQLite file (or, with --pg=URL, a PostgreSQL database that must be
// empty) migrated to head, then 30 days x 24 hours x --dims dimensions of facts written through
// the ChargebackStore (default 1,400 dimensions: 1,008,000 rows), 200 identities, some tagged.
// Timed: the aggregate for the month, grouped by identity_id per day in UTC, by tag per week
// in America/New_York, and by resource_id per hour.
//
// Flags (before the --benchmark_* ones): --dims=1400 --dir=PATH --pg=URL.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "report/report.hpp"
#include "storage/chargeback_store.hpp"
#include "storage/migrator.hpp"

namespace {

using namespace chitragupt;

int g_dims = 1400;
std::string g_dir;
std::string g_pg;
std::unique_ptr<storage::Database> g_db;
report::TenantContext g_tenant;

void die(const std::string& what) {
  std::fprintf(stderr, "report_aggregate_bench: %s\n", what.c_str());
  std::exit(1);
}

void setup() {
  g_tenant.tenant_name = "bench";
  g_tenant.tenant_id = "bench";
  g_tenant.ecosystem = "confluent_cloud";
  std::string url = g_pg;
  if (url.empty()) {
    if (g_dir.empty()) g_dir = std::filesystem::temp_directory_path() / "report-aggregate-bench";
    std::filesystem::create_directories(g_dir);
    std::filesystem::remove(g_dir + "/bench.db");
    url = "sqlite:///" + g_dir + "/bench.db";
  }
  auto db = storage::open_database(url);
  if (!db) die(db.error());
  g_db = std::move(*db);
  storage::Migrator m(*g_db);
  if (auto up = m.upgrade(); !up) die(up.error());

  storage::ChargebackStore store(*g_db, g_tenant.ecosystem, g_tenant.tenant_id);
  std::vector<storage::ChargebackFactRecord> rows;
  for (int day = 1; day <= 30; ++day) {
    rows.clear();
    char date[16];
    std::snprintf(date, sizeof date, "2026-04-%02d", day);
    for (int hour = 0; hour < 24; ++hour) {
      char ts[32];
      std::snprintf(ts, sizeof ts, "%s %02d:00:00", date, hour);
      for (int d = 0; d < g_dims; ++d) {
        storage::ChargebackFactRecord f;
        f.timestamp = ts;
        f.resource_id = "lkc-" + std::to_string(d % 7);
        f.product_category = "KAFKA";
        f.product_type = d % 2 ? "KAFKA_NETWORK_READ" : "KAFKA_NUM_CKU";
        f.identity_id = "sa-" + std::to_string(d / 7 % 200);
        f.cost_type = d % 3 ? "usage" : "shared";
        f.allocation_method = "usage_ratio";
        f.allocation_detail = "usage_ratio_allocation";
        f.env_id = "env-1";
        f.amount_units = 1 + (day * 7919 + hour * 104729 + d * 13) % 100000;
        rows.push_back(std::move(f));
      }
    }
    storage::Transaction tx(*g_db);
    if (!tx.begin_status()) die(tx.begin_status().message());
    auto w = store.replace_date(date, rows);
    if (!w) die(w.error());
    if (auto c = tx.commit(); !c) die(c.message());
    store.transaction_committed();
  }
  for (int i = 0; i < 200; i += 3) {
    auto s = g_db->execute(
        "INSERT INTO tags (tenant_id, entity_type, entity_id, tag_key, tag_value, created_by, "
        "created_at) VALUES (?, 'identity', ?, 'team', ?, 'bench', '2026-05-01 00:00:00')",
        {g_tenant.tenant_id, "sa-" + std::to_string(i), "team-" + std::to_string(i % 5)});
    if (!s) die(s.message());
  }
  std::fprintf(stderr, "report_aggregate_bench: %d fact rows on %s\n", 30 * 24 * g_dims,
               g_db->describe().c_str());
}

void run(benchmark::State& state, std::vector<std::pair<std::string, std::string>> query) {
  report::Request r;
  r.method = "GET";
  r.route = "/tenants/{tenant}/chargebacks/aggregate";
  r.query = std::move(query);
  r.query.emplace_back("start_date", "2026-04-01");
  r.query.emplace_back("end_date", "2026-04-30");
  std::size_t bytes = 0;
  for (auto _ : state) {
    report::Response out = report::handle(*g_db, g_tenant, r);
    if (out.status != 200) {
      state.SkipWithError(out.body.c_str());
      break;
    }
    bytes = out.body.size();
    benchmark::DoNotOptimize(out.body.data());
  }
  state.counters["body_bytes"] = static_cast<double>(bytes);
}

void BM_month_by_identity_per_day(benchmark::State& state) { run(state, {}); }
void BM_month_by_tag_per_week_new_york(benchmark::State& state) {
  run(state, {{"group_by", "tag:team"}, {"time_bucket", "week"}, {"timezone", "America/New_York"}});
}
void BM_month_by_resource_per_hour(benchmark::State& state) {
  run(state, {{"group_by", "resource_id"}, {"time_bucket", "hour"}});
}

}  // namespace

BENCHMARK(BM_month_by_identity_per_day)->Unit(benchmark::kMillisecond)->MinTime(5.0);
BENCHMARK(BM_month_by_tag_per_week_new_york)->Unit(benchmark::kMillisecond)->MinTime(5.0);
BENCHMARK(BM_month_by_resource_per_hour)->Unit(benchmark::kMillisecond)->MinTime(5.0);

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--dims=", 7) == 0)
      g_dims = std::atoi(argv[i] + 7);
    else if (std::strncmp(argv[i], "--dir=", 6) == 0)
      g_dir = argv[i] + 6;
    else if (std::strncmp(argv[i], "--pg=", 5) == 0)
      g_pg = argv[i] + 5;
    else
      rest.push_back(argv[i]);
  }
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  setup();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
