// FOCUS export of a large month: time and peak memory (not a test; see bench/run.sh).
//
//   focus_export_bench seed <file.db> <YYYY-MM> <min_rows>   billing lines + facts, daily lines
//                                                            of 10 portions each
//   focus_export_bench export <file.db> <YYYY-MM> <out_dir>  export, then stream the CSV back in
//                                                            1 MiB chunks as the API would
//
// `export` prints rows, seconds, the peak RSS (VmHWM) and, as its limit measured in the same
// run, the time to read the same facts and lines with plain SELECTs (the floor any export
// needs): the ratio export / floor. Run the two modes as separate processes so the seeding's
// memory does not count.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "focus/exporter.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"

using namespace chitragupt;

namespace {

long vm_hwm_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

int days_in(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

int fail(const std::string& what, const std::string& why) {
  std::cerr << "focus_export_bench: " << what << ": " << why << "\n";
  return 1;
}

int seed(const std::string& path, const std::string& month, long long min_rows) {
  auto db = storage::open_database("sqlite:///" + path);
  if (!db) return fail("open", db.error());
  storage::Migrator::Options options;
  options.backup_before_upgrade = false;
  storage::Migrator migrator(**db, options);
  if (auto up = migrator.upgrade(); !up) return fail("migrate", up.error());
  const int year = std::stoi(month.substr(0, 4)), mon = std::stoi(month.substr(5, 2));
  const int days = days_in(year, mon);
  constexpr int kPortions = 10;
  const long long lines_per_day = (min_rows + days * kPortions - 1) / (days * kPortions);
  storage::Transaction tx(**db, storage::TxMode::immediate);
  auto line = (*db)->prepare(
      "INSERT INTO ccloud_billing (ecosystem, tenant_id, timestamp, env_id, resource_id, "
      "product_type, product_category, quantity, unit_price, total_cost, metadata_json) VALUES "
      "('confluent_cloud', 'bench', ?, 'env-1', ?, 'KAFKA_STORAGE', 'KAFKA', ?, '0.0001', ?, ?)");
  auto dim = (*db)->prepare(
      "INSERT INTO chargeback_dimensions (dimension_id, ecosystem, tenant_id, resource_id, "
      "product_category, product_type, identity_id, cost_type, allocation_method, "
      "allocation_detail, env_id) VALUES (?, 'confluent_cloud', 'bench', ?, 'KAFKA', "
      "'KAFKA_STORAGE', ?, 'usage', 'usage_ratio', '', 'env-1')");
  auto fact = (*db)->prepare(
      "INSERT INTO chargeback_facts (timestamp, dimension_id, amount) VALUES (?, ?, ?)");
  if (!line || !dim || !fact) return fail("prepare", "statement");
  // Dimensions: one per (resource, identity), reused every day.
  for (long long r = 0; r < lines_per_day; ++r) {
    for (int p = 0; p < kPortions; ++p) {
      auto s = (*dim)->execute(
          {r * kPortions + p + 1, "lkc-" + std::to_string(r), "sa-" + std::to_string(p)});
      if (!s) return fail("dimension", s.message());
    }
  }
  long long rows = 0;
  for (int d = 1; d <= days; ++d) {
    char ts[32];
    std::snprintf(ts, sizeof ts, "%s-%02d 00:00:00", month.c_str(), d);
    for (long long r = 0; r < lines_per_day; ++r) {
      // quantity q GB-hours at 0.0001 each: total = q / 10000; portions 1..10 parts of 55
      const long long units = 55 * (r % 97 + 1);  // 0.0001 units of the line
      const std::string total =
          std::to_string(units / 10000) + "." + std::to_string(10000 + units % 10000).substr(1);
      const std::string original = std::to_string(units * 5 / 4 / 10000) + "." +
                                   std::to_string(10000 + (units * 5 / 4) % 10000).substr(1);
      auto s = (*line)->execute({std::string(ts), "lkc-" + std::to_string(r),
                                 std::to_string(units * 5 / 4), total,
                                 "{\"original_amount\":\"" + original + "\"}"});
      if (!s) return fail("line", s.message());
      for (int p = 0; p < kPortions; ++p) {
        auto f = (*fact)->execute({std::string(ts), r * kPortions + p + 1, units * (p + 1) / 55});
        if (!f) return fail("fact", f.message());
        ++rows;
      }
    }
  }
  if (auto s = tx.commit(); !s) return fail("commit", s.message());
  std::cout << "seeded " << rows << " facts, " << lines_per_day * days << " billing lines\n";
  return 0;
}

int run_export(const std::string& path, const std::string& month, const std::string& out) {
  auto db = storage::open_database("sqlite:///" + path);
  if (!db) return fail("open", db.error());
  const long rss_open = vm_hwm_kib();

  // The floor: read the month's facts and lines with plain SELECTs, day by day.
  auto floor_start = std::chrono::steady_clock::now();
  long long floor_rows = 0;
  const int year = std::stoi(month.substr(0, 4)), mon = std::stoi(month.substr(5, 2));
  for (int d = 1; d <= days_in(year, mon); ++d) {
    char from[32], to[32];
    std::snprintf(from, sizeof from, "%s-%02d 00:00:00", month.c_str(), d);
    std::snprintf(to, sizeof to, "%s-%02d 23:59:59", month.c_str(), d);
    auto facts = (*db)->query(
        "SELECT f.timestamp, d.env_id, d.resource_id, d.product_type, d.product_category, "
        "d.identity_id, d.cost_type, d.allocation_method, d.allocation_detail, f.amount FROM "
        "chargeback_facts f CROSS JOIN chargeback_dimensions d WHERE d.dimension_id = "
        "f.dimension_id AND d.ecosystem = 'confluent_cloud' AND d.tenant_id = 'bench' AND "
        "f.timestamp >= ? "
        "AND f.timestamp <= ?",
        {std::string(from), std::string(to)});
    auto lines =
        (*db)->query("SELECT * FROM ccloud_billing WHERE timestamp >= ? AND timestamp <= ?",
                     {std::string(from), std::string(to)});
    if (!facts || !lines) return fail("floor", "query");
    floor_rows += static_cast<long long>(facts->size());
  }
  const double floor_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - floor_start).count();

  config::TenantConfig tenant;
  tenant.name = "bench";
  tenant.tenant_id = "bench";
  tenant.ecosystem = "confluent_cloud";
  tenant.storage.connection_string = "sqlite:///" + path;
  auto started = std::chrono::steady_clock::now();
  auto summary = focus::export_focus(**db, focus::request_for(tenant, month, out, false));
  if (!summary) return fail("export", summary.error());
  const double export_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const long rss_export = vm_hwm_kib();

  // Stream the CSV back as GET …/files/{name} does, chunk by chunk.
  std::uintmax_t streamed = 0;
  {
    std::ifstream in(out + "/" + summary->files[0].name, std::ios::binary);
    std::string chunk(1 << 20, '\0');
    while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
      streamed += static_cast<std::uintmax_t>(in.gcount());
    }
  }
  const long rss_stream = vm_hwm_kib();
  std::printf(
      "focus export: %lld rows (%lld lines), %.2f s, %.0f rows/s, conforming=%s\n"
      "  csv %.1f MiB (streamed back %.1f MiB)\n"
      "  peak RSS: %.1f MiB after open, %.1f MiB after export, %.1f MiB after streaming\n"
      "  floor (plain SELECT of the same %lld facts + lines): %.2f s; ratio export/floor %.2f\n",
      static_cast<long long>(summary->rows), static_cast<long long>(summary->billing_lines),
      export_s, summary->rows / export_s, summary->conforming ? "true" : "false",
      summary->files[0].size_bytes / 1048576.0, streamed / 1048576.0, rss_open / 1024.0,
      rss_export / 1024.0, rss_stream / 1024.0, floor_rows, floor_s, export_s / floor_s);
  return summary->conforming ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "seed") {
    return seed(argv[2], argv[3], std::atoll(argv[4]));
  }
  if (argc == 5 && std::string(argv[1]) == "export") {
    return run_export(argv[2], argv[3], argv[4]);
  }
  std::cerr << "usage: focus_export_bench seed <file.db> <YYYY-MM> <min_rows>\n"
               "       focus_export_bench export <file.db> <YYYY-MM> <out_dir>\n";
  return 2;
}
