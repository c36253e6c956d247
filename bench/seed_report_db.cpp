// Seeds a SQLite tenant database for bench/api_bench.sh: the schema at head, then one month of
// hourly chargeback facts over a grid of dimensions (identities x resources x cost types), at
// least the requested number of rows, through one prepared insert in one transaction, and the
// daily rollup of those facts (migration 0004) in the same transaction. NO_ROLLUP=1 leaves the
// rollup out, to measure the aggregate on the facts alone.
//
//   seed_report_db <file.db | postgresql://...> <YYYY-MM> <min_rows> [tenant_id]
//
// Not a Google Benchmark program (bench/*.cpp all link the library; this one has its own main).

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "storage/database.hpp"
#include "storage/migrator.hpp"
#include "storage/rollup_store.hpp"

using namespace chitragupt;

namespace {

int fail(const std::string& what, const Status& s) {
  std::cerr << "seed_report_db: " << what << ": " << s.message() << "\n";
  return 1;
}

int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: seed_report_db <file.db> <YYYY-MM> <min_rows> [tenant_id]\n";
    return 2;
  }
  const std::string path = argv[1];
  const std::string month = argv[2];
  const long long min_rows = std::atoll(argv[3]);
  const std::string tenant = argc > 4 ? argv[4] : "bench";
  int year = 0, mon = 0;
  if (std::sscanf(month.c_str(), "%d-%d", &year, &mon) != 2 || mon < 1 || mon > 12) {
    std::cerr << "seed_report_db: month must be YYYY-MM, got " << month << "\n";
    return 2;
  }
  const int hours = days_in_month(year, mon) * 24;
  const long long dimensions = (min_rows + hours - 1) / hours;

  // A database URL (postgresql://...) as it is; anything else is a SQLite file.
  auto db =
      storage::open_database(path.find("://") != std::string::npos ? path : "sqlite:///" + path);
  if (!db) return fail("open the database", db.status());
  storage::Migrator::Options options;
  options.backup_before_upgrade = false;
  storage::Migrator migrator(**db, options);
  if (auto up = migrator.upgrade(); !up) return fail("migrate", up.status());

  storage::Transaction tx(**db, storage::TxMode::immediate);
  if (!tx.begin_status()) return fail("begin", tx.begin_status());
  auto dim = (*db)->prepare(
      "INSERT INTO chargeback_dimensions (dimension_id, ecosystem, tenant_id, resource_id, "
      "product_category, product_type, identity_id, cost_type, allocation_method, env_id) "
      "VALUES (?, 'confluent_cloud', ?, ?, 'KAFKA', ?, ?, ?, 'usage_ratio', 'env-1')");
  if (!dim) return fail("prepare dimensions", dim.status());
  static const char* kProducts[] = {"KAFKA_NUM_CKU", "KAFKA_NETWORK_WRITE", "KAFKA_NETWORK_READ",
                                    "KAFKA_STORAGE"};
  for (long long d = 1; d <= dimensions; ++d) {
    storage::Params p = {static_cast<std::int64_t>(d),    tenant,
                         "lkc-" + std::to_string(d % 40), std::string(kProducts[d % 4]),
                         "sa-" + std::to_string(d / 8),   std::string(d % 2 ? "usage" : "shared")};
    if (auto s = (*dim)->execute(p); !s) return fail("insert dimension", s);
  }
  auto fact = (*db)->prepare(
      "INSERT INTO chargeback_facts (timestamp, dimension_id, amount, tags_json) "
      "VALUES (?, ?, ?, '[]')");
  if (!fact) return fail("prepare facts", fact.status());
  long long rows = 0;
  std::int64_t total = 0;
  for (int h = 0; h < hours; ++h) {
    char ts[32];
    std::snprintf(ts, sizeof ts, "%04d-%02d-%02d %02d:00:00", year, mon, h / 24 + 1, h % 24);
    for (long long d = 1; d <= dimensions; ++d) {
      std::int64_t amount = 1 + (d * 7919 + h * 104729) % 250000;  // up to 25.0000
      if (auto s = (*fact)->execute({std::string(ts), static_cast<std::int64_t>(d), amount}); !s) {
        return fail("insert fact", s);
      }
      ++rows;
      total += amount;
    }
  }
  // The daily rollup of each day, as the calculate stage keeps it (migration 0004).
  storage::RollupStore rollup(**db, "confluent_cloud", tenant);
  const char* no_rollup = std::getenv("NO_ROLLUP");
  for (int day = 1; day <= hours / 24 && !(no_rollup && *no_rollup == '1'); ++day) {
    char date[48];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, mon, day);
    if (auto s = rollup.rebuild_day(date); !s) return fail("rollup", s);
  }
  if (auto s = tx.commit(); !s) return fail("commit", s);
  std::printf("seeded %lld chargeback rows (%lld dimensions x %d hours) in %s, total units %lld\n",
              rows, dimensions, hours, (*db)->describe().c_str(), static_cast<long long>(total));
  return 0;
}
