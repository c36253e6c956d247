// The calculate stage against its physical ceiling (issue 5 item 6, docs PERFORMANCE.md).
//
// A synthetic month is gathered into a fresh SQLite file with the storage stores: Kafka
// clusters x days, each cluster used by ~2,000 principals (its owners' service accounts plus
// cluster-scoped API keys owned by them), five Kafka billing lines per cluster and day plus two
// org-wide lines per day, and an in-process metrics source with hourly bytes_in/bytes_out per
// principal (deterministic PRNG) so the usage-ratio tiers fire. Then, in the same run:
//
//   calculate  calculate_pending over the whole month: allocation + persistence, one
//              transaction per date. It runs in a forked child whose parent never held the
//              month (the setup ran in another child), so the child's ru_maxrss (wait4) is the
//              calculate phase's own high-water mark plus the few MiB it inherits at fork.
//   ceiling    the rows calculate wrote (same timestamps, dimension ids and amounts, same
//              count) inserted into chargeback_facts of a fresh database migrated to head (same
//              schema, indexes and connection settings; the dimensions copied first so the
//              foreign key holds) with one prepared statement in one transaction, no
//              allocation: raw sqlite3 bind/step/reset.
//
// Machines are noisy: the figure to quote is the ratio of the two, measured together.
// Flags (before the --benchmark_* ones): --clusters=20 --days=30 --principals=2000
// --owners=320 --service-accounts=1000 --dir=PATH (default: a temporary directory) --keep.

#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "allocation/metric_series.hpp"
#include "allocation/metrics_index.hpp"
#include "allocation/money.hpp"
#include "allocation/registry.hpp"
#include "config/config.hpp"
#include "pipeline/calculate.hpp"
#include "storage/billing_store.hpp"
#include "storage/database.hpp"
#include "storage/inventory_store.hpp"
#include "storage/migrator.hpp"
#include "storage/utc_time.hpp"
#include "storage/wal_flusher.hpp"

namespace {

using namespace chitragupt;
using Clock = std::chrono::steady_clock;

// ---- the synthetic organisation ---------------------------------------------------------

struct Scale {
  int clusters = 20;
  int days = 30;
  int principals = 2000;        // per cluster: its owners' service accounts + API keys
  int owners = 320;             // service accounts using each cluster (they are charged)
  int service_accounts = 1000;  // in the organisation (org-wide lines split over them)
  std::string dir;
  bool keep = false;
};

constexpr std::int64_t kMonthStart = 1775001600;  // 2026-04-01 00:00:00 UTC
constexpr std::int64_t kDay = 86400;
const char kEcosystem[] = "confluent_cloud";
const char kTenantId[] = "org-bench";
const char kEnv[] = "env-bench";

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t mix(std::uint64_t a, std::uint64_t b, std::uint64_t c = 0, std::uint64_t d = 0) {
  return splitmix(splitmix(splitmix(splitmix(a) ^ b) ^ c) ^ d);
}

std::string format(const char* fmt, int a, int b = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}

std::string cluster_id(int c) { return format("lkc-bench%03d", c); }
std::string service_account_id(int s) { return format("sa-bench%05d", s); }
std::string api_key_id(int c, int k) { return format("BK%03dK%05d", c, k); }

// The last cluster is created half-way through day 10: its first day is partly inactive, which
// exercises the active fraction (an inactive_fraction row on that day).
std::int64_t cluster_created(const Scale& s, int c) {
  if (c == s.clusters - 1 && s.clusters > 1 && s.days > 10) return kMonthStart + 9 * kDay + 43200;
  return kMonthStart - 90 * kDay;
}

int owner_of_slot(const Scale& s, int c, int slot) {
  const int stride = std::max(1, s.service_accounts / std::max(1, s.clusters));
  return (c * stride + slot) % s.service_accounts;
}

// Principals seen in cluster c's metrics: the owners themselves, then the API keys.
std::vector<std::string> principals_of(const Scale& s, int c) {
  std::vector<std::string> out;
  for (int j = 0; j < s.owners; ++j) out.push_back(service_account_id(owner_of_slot(s, c, j)));
  for (int k = 0; k < s.principals - s.owners; ++k) out.push_back(api_key_id(c, k));
  return out;
}

// value x 10^-scale as plain decimal text ("12.3456789000").
std::string decimal_text(std::int64_t value, int scale) {
  std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) <= scale) {
    digits.insert(0, static_cast<std::size_t>(scale) + 1 - digits.size(), '0');
  }
  digits.insert(digits.size() - static_cast<std::size_t>(scale), ".");
  return digits;
}

// quantity (6 decimals) x unit price (4 decimals) = total (10 decimals), exactly.
storage::BillingRecord billing_line(const std::string& timestamp, const std::string& resource,
                                    const std::string& type, const std::string& category,
                                    std::int64_t quantity_micro, std::int64_t price_1e4) {
  storage::BillingRecord b;
  b.timestamp = timestamp;
  b.env_id = kEnv;
  b.resource_id = resource;
  b.product_type = type;
  b.product_category = category;
  b.quantity = decimal_text(quantity_micro, 6);
  b.unit_price = decimal_text(price_1e4, 4);
  b.total_cost = decimal_text(quantity_micro * price_1e4, 10);
  b.granularity = "DAILY";
  return b;
}

std::vector<storage::BillingRecord> billing_of_day(const Scale& s, int day) {
  std::vector<storage::BillingRecord> out;
  const std::int64_t start = kMonthStart + day * kDay;
  const std::string ts = storage::utc_timestamp(static_cast<std::time_t>(start));
  for (int c = 0; c < s.clusters; ++c) {
    if (cluster_created(s, c) >= start + kDay) continue;
    const std::string id = cluster_id(c);
    auto r = [&](int which, std::uint64_t range) {
      return static_cast<std::int64_t>(mix(c, day, which) % range);
    };
    const std::int64_t ckus = 2 + r(1, 7);
    out.push_back(billing_line(ts, id, "KAFKA_NUM_CKU", "KAFKA", ckus * 24'000'000, 15'000));
    out.push_back(billing_line(ts, id, "KAFKA_NETWORK_READ", "KAFKA",
                               1'000'000'000 + r(2, 900'000'000'000), 500));
    out.push_back(billing_line(ts, id, "KAFKA_NETWORK_WRITE", "KAFKA",
                               1'000'000'000 + r(3, 300'000'000'000), 500));
    out.push_back(
        billing_line(ts, id, "KAFKA_STORAGE", "KAFKA", 100'000'000 + r(4, 50'000'000'000), 1));
    out.push_back(
        billing_line(ts, id, "KAFKA_PARTITION", "KAFKA", 24'000'000 * (500 + r(5, 4000)), 15));
  }
  out.push_back(billing_line(ts, "lac-bench", "AUDIT_LOG_READ", "AUDIT_LOG", 24'000'000, 5'000));
  out.push_back(billing_line(ts, "org-bench", "SUPPORT", "SUPPORT", 1'000'000,
                             330'000 + static_cast<std::int64_t>(mix(day, 99) % 1000)));
  return out;
}

// Hourly bytes_in / bytes_out of every principal of the cluster. About one hour in six a
// principal is idle, and then (as in the Telemetry API) it has no point at all.
class SyntheticMetrics {
 public:
  explicit SyntheticMetrics(const Scale& s) {
    for (int c = 0; c < s.clusters; ++c) {
      clusters_.emplace(cluster_id(c), c);
      principals_.push_back(principals_of(s, c));
    }
  }

  // One series per (key, principal), as a Prometheus range query returns them.
  Result<std::vector<allocation::MetricSeries>> operator()(const std::vector<std::string>& keys,
                                                           const std::string& resource,
                                                           std::int64_t start, std::int64_t end) {
    const auto began = Clock::now();
    std::vector<allocation::MetricSeries> out;
    auto cluster = clusters_.find(resource);
    if (cluster != clusters_.end()) {
      const auto c = static_cast<std::uint64_t>(cluster->second);
      const auto& principals = principals_[c];
      out.reserve(principals.size() * keys.size());
      for (const std::string& key : keys) {
        if (key != "bytes_in" && key != "bytes_out") continue;
        const std::uint64_t key_seed = key == "bytes_in" ? 1 : 2;
        for (std::size_t p = 0; p < principals.size(); ++p) {
          out.emplace_back();
          allocation::MetricSeries& series = out.back();
          series.metric_key = key;
          series.labels = {{"kafka_id", resource}, {"principal_id", principals[p]}};
          series.samples.reserve(static_cast<std::size_t>((end - start) / 3600));
          const std::uint64_t seed = mix(c, p, static_cast<std::uint64_t>(start), key_seed);
          const std::uint64_t scale = 1 + mix(c, p, 77) % 5000;  // heavy and light users
          for (std::int64_t t = start; t < end; t += 3600) {
            const std::uint64_t x = splitmix(seed + static_cast<std::uint64_t>(t));
            if (x % 6 == 0) continue;
            series.samples.push_back({t, static_cast<double>((x >> 8) % 1'000'000 * scale)});
          }
        }
      }
    }
    seconds_ += std::chrono::duration<double>(Clock::now() - began).count();
    return out;
  }

  double seconds() const { return seconds_; }

 private:
  std::map<std::string, int> clusters_;
  std::vector<std::vector<std::string>> principals_;
  double seconds_ = 0;
};

// ---- child processes ----------------------------------------------------------------------

// Runs `work` in a forked child and returns what it wrote, with the child's peak RSS (KiB).
// The child exits with _exit so nothing of the parent (benchmark state, atexit) runs twice.
template <typename T>
T in_child(const std::function<T()>& work, long* peak_rss_kib = nullptr) {
  static_assert(std::is_trivially_copyable<T>::value, "sent through a pipe");
  int fds[2];
  if (pipe(fds) != 0) {
    std::perror("pipe");
    std::exit(1);
  }
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    std::perror("fork");
    std::exit(1);
  }
  if (pid == 0) {
    close(fds[0]);
    T out = work();
    const char* p = reinterpret_cast<const char*>(&out);
    std::size_t left = sizeof out;
    while (left > 0) {
      ssize_t n = write(fds[1], p, left);
      if (n <= 0) _exit(2);
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(0);
  }
  close(fds[1]);
  T out{};
  char* p = reinterpret_cast<char*>(&out);
  std::size_t got = 0;
  while (got < sizeof out) {
    ssize_t n = read(fds[0], p + got, sizeof out - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  close(fds[0]);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  if (got != sizeof out || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "calculate_bench: child process failed (status %d)\n", status);
    std::exit(1);
  }
  if (peak_rss_kib) *peak_rss_kib = usage.ru_maxrss;
  return out;
}

template <std::size_t N>
void set_error(char (&dest)[N], const std::string& message) {
  std::snprintf(dest, N, "%s", message.c_str());
}

long rss_field_kib(const char* field) {  // VmRSS / VmHWM of this process, from /proc
  std::ifstream status("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(status, line)) {
    if (line.rfind(prefix, 0) == 0) return std::atol(line.c_str() + prefix.size());
  }
  return 0;
}

std::string sqlite_url(const std::string& path) { return "sqlite:///" + path; }

// ---- setup: the gathered month --------------------------------------------------------------

struct SetupFigures {
  std::int64_t resources = 0;
  std::int64_t identities = 0;
  std::int64_t lines = 0;
  std::int64_t billed_units = 0;  // sum of q(total_cost): what the facts must add up to
  double seconds = 0;
  char error[512] = {};
};

// To head, or to `version` when it is above 0.
Status migrate(storage::Database& db, int version = 0) {
  storage::Migrator::Options options;
  options.backup_before_upgrade = false;
  storage::Migrator migrator(db, options);
  auto upgraded = version > 0 ? migrator.upgrade(version) : migrator.upgrade();
  return upgraded ? Status::ok() : upgraded.status();
}

SetupFigures build_month(const Scale& s, const std::string& path) {
  SetupFigures out;
  const auto began = Clock::now();
  auto fail = [&out](const Status& status) {
    set_error(out.error, status.message());
    return out;
  };
  auto opened = storage::open_database(sqlite_url(path));
  if (!opened) return fail(opened.status());
  storage::Database& db = **opened;
  if (auto s2 = migrate(db); !s2) return fail(s2);

  const std::string now = storage::utc_timestamp(kMonthStart + 40 * kDay);
  std::vector<storage::ResourceRecord> resources;
  std::vector<storage::IdentityRecord> identities;
  for (int c = 0; c < s.clusters; ++c) {
    storage::ResourceRecord r;
    r.resource_id = cluster_id(c);
    r.resource_type = "kafka_cluster";
    r.display_name = "bench cluster " + std::to_string(c);
    r.parent_id = kEnv;
    r.cloud = "aws";
    r.region = "eu-west-1";
    r.created_at = storage::utc_timestamp(cluster_created(s, c));
    r.metadata_json = R"({"availability":"MULTI_ZONE","cluster_type":"DEDICATED"})";
    resources.push_back(r);
  }
  for (int a = 0; a < s.service_accounts; ++a) {
    identities.push_back({service_account_id(a), "service_account", "team app " + std::to_string(a),
                          storage::utc_timestamp(kMonthStart - 200 * kDay), "", "",
                          R"({"description":"synthetic service account"})"});
  }
  for (int c = 0; c < s.clusters; ++c) {
    const std::string created = storage::utc_timestamp(cluster_created(s, c));
    for (int k = 0; k < s.principals - s.owners; ++k) {
      const std::string owner = service_account_id(owner_of_slot(s, c, k % s.owners));
      identities.push_back(
          {api_key_id(c, k), "api_key", "key " + std::to_string(k), created, "", "",
           R"({"owner_id":")" + owner + R"(","resource_id":")" + cluster_id(c) + R"("})"});
    }
  }
  storage::InventoryStore inventory(db, kEcosystem, kTenantId);
  storage::BillingStore billing(db, kEcosystem, kTenantId);
  storage::Transaction tx(db, storage::TxMode::immediate);
  if (!tx.begin_status()) return fail(tx.begin_status());
  if (auto r = inventory.upsert_resources(resources, now); !r) return fail(r.status());
  if (auto r = inventory.upsert_identities(identities, now); !r) return fail(r.status());
  std::set<std::string> dates;
  for (int day = 0; day < s.days; ++day) {
    auto lines = billing_of_day(s, day);
    for (const auto& l : lines) {
      auto billed = allocation::Money::parse(l.total_cost);
      if (!billed) return fail(billed.status());
      out.billed_units += billed->units();
      dates.insert(l.timestamp.substr(0, 10));
    }
    auto merged = billing.upsert(lines);
    if (!merged) return fail(merged.status());
    out.lines += static_cast<std::int64_t>(lines.size());
  }
  if (auto st = billing.mark_gathered(dates, {}); !st) return fail(st);
  if (auto st = tx.commit(); !st) return fail(st);
  // One self-contained file: every calculate round starts from a plain copy of it.
  if (auto st = db.execute("PRAGMA wal_checkpoint(TRUNCATE)"); !st) return fail(st);
  out.resources = static_cast<std::int64_t>(resources.size());
  out.identities = static_cast<std::int64_t>(identities.size());
  out.seconds = std::chrono::duration<double>(Clock::now() - began).count();
  return out;
}

// ---- the calculate stage ---------------------------------------------------------------------

struct CalculateFigures {
  double seconds = 0;
  double metrics_seconds = 0;  // inside the synthetic metrics source (not the engine's work)
  double allocation_wait_seconds = 0;  // the writing thread waiting for allocations
  double write_seconds = 0;            // the writing thread writing dates
  std::int64_t rows = 0;
  std::int64_t lines = 0;
  int dates = 0;
  int dates_pending = 0;
  long inherited_rss_kib = 0;  // the child's RSS at fork, before any work
  long peak_rss_kib = 0;       // ru_maxrss of the child (wait4)
  char error[512] = {};
};

// Before a timed phase: what earlier phases left for the kernel to write goes to disk first, so
// that no phase pays for another's writes (the machine's disk, not the code, then made the
// ceiling vary from 4 to 7 s between repetitions).
void settle_disk() { ::sync(); }

CalculateFigures calculate_month(const Scale& s, const std::string& path) {
  CalculateFigures out;
  out.inherited_rss_kib = rss_field_kib("VmHWM");
  auto opened = storage::open_database(sqlite_url(path));
  if (!opened) {
    set_error(out.error, opened.error());
    return out;
  }
  config::TenantConfig tenant;
  tenant.name = "bench";
  tenant.ecosystem = kEcosystem;
  tenant.tenant_id = kTenantId;
  SyntheticMetrics metrics(s);
  pipeline::CalculateOptions options;
  options.registry = &allocation::Registry::confluent_cloud();
  options.metric_series = std::ref(metrics);
  settle_disk();
  const auto began = Clock::now();
  auto report = pipeline::calculate_pending(**opened, tenant, options);
  out.seconds = std::chrono::duration<double>(Clock::now() - began).count();
  out.metrics_seconds = metrics.seconds();
  if (!report) {
    set_error(out.error, report.error());
    return out;
  }
  out.rows = report->rows_written;
  out.allocation_wait_seconds = report->allocation_wait_seconds;
  out.write_seconds = report->write_seconds;
  out.lines = report->lines;
  out.dates = report->dates_calculated;
  out.dates_pending = report->dates_left_pending;
  if (!report->errors.empty()) set_error(out.error, report->errors.front());
  return out;
}

// ---- the metrics floor -------------------------------------------------------------------

// What the month's hourly metric rows cost on their own, whatever the engine does with them:
// the source making them, indexing each fetched metric once, and freeing them -- the same
// fetches calculate_pending makes (one per cluster, day and metric).
struct MetricsFloorFigures {
  std::int64_t rows = 0;
  double generate_seconds = 0;
  double index_seconds = 0;
  double free_seconds = 0;
};

MetricsFloorFigures metrics_floor(const Scale& s) {
  MetricsFloorFigures out;
  SyntheticMetrics metrics(s);
  for (int day = 0; day < s.days; ++day) {
    const std::int64_t start = kMonthStart + day * kDay;
    for (int c = 0; c < s.clusters; ++c) {
      if (cluster_created(s, c) >= start + kDay) continue;
      for (const char* key : {"bytes_in", "bytes_out"}) {
        auto series = metrics({key}, cluster_id(c), start, start + kDay);
        if (!series) continue;
        for (const auto& one : *series) out.rows += static_cast<std::int64_t>(one.samples.size());
        const auto t0 = Clock::now();
        {
          const allocation::MetricsIndex index(*series);
          benchmark::DoNotOptimize(index.principals().size());
        }
        const auto t1 = Clock::now();
        series->clear();
        series->shrink_to_fit();
        const auto t2 = Clock::now();
        out.index_seconds += std::chrono::duration<double>(t1 - t0).count();
        out.free_seconds += std::chrono::duration<double>(t2 - t1).count();
      }
    }
  }
  out.generate_seconds = metrics.seconds();
  return out;
}

// ---- the ceiling --------------------------------------------------------------------------

struct CeilingFigures {
  double seconds = 0;
  std::int64_t rows = 0;
  std::int64_t fact_units = 0;  // sum of the calculated facts (conservation check)
  char error[512] = {};
};

Status sqlite_exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK) return Status::ok();
  std::string reason = message ? message : sqlite3_errmsg(db);
  sqlite3_free(message);
  return Status::error(sql.substr(0, 60) + ": " + reason);
}

// The rows calculate wrote, compactly: (timestamp index, dimension id, amount).
struct FactShape {
  std::vector<std::string> timestamps;
  struct Fact {
    std::uint32_t timestamp;
    std::int64_t dimension_id;
    std::int64_t amount;
  };
  std::vector<Fact> facts;
  std::int64_t units = 0;
};

Status load_shape(sqlite3* db, FactShape& shape) {
  sqlite3_stmt* stmt = nullptr;
  const char* sql =
      "SELECT timestamp, dimension_id, amount FROM src.chargeback_facts ORDER BY timestamp, "
      "dimension_id";
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    return Status::error(std::string("load facts: ") + sqlite3_errmsg(db));
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char* ts = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    if (shape.timestamps.empty() || shape.timestamps.back() != ts) shape.timestamps.push_back(ts);
    const std::int64_t amount = sqlite3_column_int64(stmt, 2);
    shape.facts.push_back({static_cast<std::uint32_t>(shape.timestamps.size() - 1),
                           sqlite3_column_int64(stmt, 1), amount});
    shape.units += amount;
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return Status::error(std::string("load facts: ") + sqlite3_errmsg(db));
  return Status::ok();
}

// per_date: commit whenever the date changes (the calculate stage's transaction granularity)
// instead of once at the end, with the stage's checkpoint policy (pipeline/calculate.cpp,
// DeferredCheckpoints: no automatic checkpoint during the stage, the WAL synced by a
// WalFlusher after each commit, one checkpoint at the end, timed here too). Every date's facts
// add an entry next to each dimension's previous one in the dimension_id index, so each commit
// writes nearly every leaf page of that index to the WAL again: the floor of any calculate
// stage that commits date by date.
// schema_version: 0 for head; 2 for the facts table as 0001 made it (WITHOUT ROWID, with the
// (dimension_id, timestamp) index), which 0003 replaced.
// rows_per_insert > 1 (not with per_date): that many rows per INSERT statement, as the engine
// writes them (ChargebackStore::kFactsPerInsert), the rest one at a time.
CeilingFigures insert_ceiling(const std::string& calculated_path, const std::string& path,
                              bool per_date, int schema_version = 0, int rows_per_insert = 1) {
  CeilingFigures out;
  auto fail = [&out](const Status& status) {
    set_error(out.error, status.message());
    return out;
  };
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
  {
    auto opened = storage::open_database(sqlite_url(path));
    if (!opened) return fail(opened.status());
    if (auto s = migrate(**opened, schema_version); !s) return fail(s);
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    sqlite3_close_v2(db);
    return fail(Status::error("cannot open " + path));
  }
  struct Closer {
    sqlite3* db;
    ~Closer() { sqlite3_close_v2(db); }
  } closer{db};
  // The connection settings of storage::open_database (sqlite_database.cpp, configure()).
  sqlite3_busy_timeout(db, 5000);
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON",
        "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-65536"}) {
    if (auto s = sqlite_exec(db, pragma); !s) return fail(s);
  }
  // Same dimensions (ids included), so every fact finds its parent row as in the real table.
  FactShape shape;
  if (auto s = sqlite_exec(db, "ATTACH DATABASE '" + calculated_path + "' AS src"); !s) {
    return fail(s);
  }
  if (auto s = sqlite_exec(db,
                           "INSERT INTO main.chargeback_dimensions SELECT * FROM "
                           "src.chargeback_dimensions");
      !s) {
    return fail(s);
  }
  if (auto s = load_shape(db, shape); !s) return fail(s);
  if (auto s = sqlite_exec(db, "DETACH DATABASE src"); !s) return fail(s);
  if (auto s = sqlite_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)"); !s) return fail(s);
  out.fact_units = shape.units;

  sqlite3_stmt* insert = nullptr;
  // The very statement ChargebackStore::replace_date prepares.
  const char* sql =
      "INSERT INTO chargeback_facts (timestamp, dimension_id, amount, tags_json) "
      "VALUES (?, ?, ?, '[]')";
  if (sqlite3_prepare_v2(db, sql, -1, &insert, nullptr) != SQLITE_OK) {
    return fail(Status::error(std::string("prepare: ") + sqlite3_errmsg(db)));
  }
  sqlite3_stmt* chunk_insert = nullptr;
  if (rows_per_insert > 1) {
    std::string chunk_sql =
        "INSERT INTO chargeback_facts (timestamp, dimension_id, amount, tags_json) VALUES ";
    for (int i = 0; i < rows_per_insert; ++i) {
      chunk_sql += i == 0 ? "(?, ?, ?, '[]')" : ", (?, ?, ?, '[]')";
    }
    if (sqlite3_prepare_v2(db, chunk_sql.c_str(), -1, &chunk_insert, nullptr) != SQLITE_OK) {
      sqlite3_finalize(insert);
      return fail(Status::error(std::string("prepare: ") + sqlite3_errmsg(db)));
    }
  }
  std::optional<storage::WalFlusher> flusher;
  if (per_date) {
    if (auto s = sqlite_exec(db, "PRAGMA wal_autocheckpoint=262144"); !s) return fail(s);
    flusher.emplace(path + "-wal", "ceiling database");
  }
  settle_disk();
  const auto began = Clock::now();
  Status status = sqlite_exec(db, "BEGIN IMMEDIATE");
  const std::string* date = nullptr;
  std::size_t chunked = 0;  // the facts written by chunk_insert
  if (chunk_insert != nullptr) {
    const auto n = static_cast<std::size_t>(rows_per_insert);
    for (; status && chunked + n <= shape.facts.size(); chunked += n) {
      for (std::size_t j = 0; j < n; ++j) {
        const auto& f = shape.facts[chunked + j];
        const std::string& ts = shape.timestamps[f.timestamp];
        const int at = static_cast<int>(3 * j);
        sqlite3_bind_text(chunk_insert, at + 1, ts.data(), static_cast<int>(ts.size()),
                          SQLITE_STATIC);
        sqlite3_bind_int64(chunk_insert, at + 2, f.dimension_id);
        sqlite3_bind_int64(chunk_insert, at + 3, f.amount);
      }
      if (sqlite3_step(chunk_insert) != SQLITE_DONE) {
        status = Status::error(std::string("insert: ") + sqlite3_errmsg(db));
      }
      sqlite3_reset(chunk_insert);
    }
  }
  for (std::size_t i = chunked; i < shape.facts.size(); ++i) {
    const auto& f = shape.facts[i];
    if (!status) break;
    const std::string& ts = shape.timestamps[f.timestamp];
    if (per_date && date != nullptr && date->compare(0, 10, ts, 0, 10) != 0) {
      status = sqlite_exec(db, "COMMIT");
      if (flusher) flusher->request();
      if (status) status = sqlite_exec(db, "BEGIN IMMEDIATE");
      if (!status) break;
    }
    date = &ts;
    sqlite3_bind_text(insert, 1, ts.data(), static_cast<int>(ts.size()), SQLITE_STATIC);
    sqlite3_bind_int64(insert, 2, f.dimension_id);
    sqlite3_bind_int64(insert, 3, f.amount);
    if (sqlite3_step(insert) != SQLITE_DONE) {
      status = Status::error(std::string("insert: ") + sqlite3_errmsg(db));
    }
    sqlite3_reset(insert);
  }
  if (status) status = sqlite_exec(db, "COMMIT");
  flusher.reset();
  if (status && per_date) status = sqlite_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  out.seconds = std::chrono::duration<double>(Clock::now() - began).count();
  sqlite3_finalize(insert);
  sqlite3_finalize(chunk_insert);
  if (!status) return fail(status);
  out.rows = static_cast<std::int64_t>(shape.facts.size());
  return out;
}

// ---- the benchmarks ---------------------------------------------------------------------

Scale g_scale;
std::string g_template;    // the gathered, not yet calculated month
std::string g_calculated;  // the last calculate round's database
SetupFigures g_setup;
std::vector<CalculateFigures> g_calculations;
std::vector<CeilingFigures> g_ceilings;
std::vector<CeilingFigures> g_ceilings_per_date;
std::vector<CeilingFigures> g_ceilings_schema_2;
std::vector<CeilingFigures> g_ceilings_chunked;
std::vector<MetricsFloorFigures> g_floors;

double mib(long kib) { return static_cast<double>(kib) / 1024.0; }

void fail_benchmark(benchmark::State& state, const char* what, const char* error) {
  std::fprintf(stderr, "calculate_bench: %s failed: %s\n", what, error);
  state.SkipWithError(what);
}

void BM_CalculateMonth(benchmark::State& state) {
  for (auto _ : state) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(g_calculated + suffix, ec);
    std::filesystem::copy_file(g_template, g_calculated, ec);
    if (ec) {
      fail_benchmark(state, "copying the gathered month", ec.message().c_str());
      return;
    }
    long peak = 0;
    CalculateFigures f =
        in_child<CalculateFigures>([] { return calculate_month(g_scale, g_calculated); }, &peak);
    f.peak_rss_kib = peak;
    if (f.error[0] != '\0' || f.dates_pending != 0) {
      fail_benchmark(state, "calculate_pending", f.error);
      return;
    }
    state.SetIterationTime(f.seconds);
    g_calculations.push_back(f);
    state.counters["rows"] = static_cast<double>(f.rows);
    state.counters["rows_per_s"] = static_cast<double>(f.rows) / f.seconds;
    state.counters["metrics_src_s"] = f.metrics_seconds;
    state.counters["alloc_wait_s"] = f.allocation_wait_seconds;
    state.counters["write_s"] = f.write_seconds;
    state.counters["peak_rss_mib"] = mib(f.peak_rss_kib);
  }
}

void run_ceiling(benchmark::State& state, bool per_date, int schema_version = 0,
                 int rows_per_insert = 1) {
  for (auto _ : state) {
    if (g_calculations.empty()) {
      state.SkipWithError("needs calculate_month first (same filter)");
      return;
    }
    CeilingFigures f = in_child<CeilingFigures>([per_date, schema_version, rows_per_insert] {
      return insert_ceiling(g_calculated, g_scale.dir + "/ceiling.db", per_date, schema_version,
                            rows_per_insert);
    });
    if (f.error[0] != '\0') {
      fail_benchmark(state, "the ceiling", f.error);
      return;
    }
    state.SetIterationTime(f.seconds);
    (schema_version == 2   ? g_ceilings_schema_2
     : per_date            ? g_ceilings_per_date
     : rows_per_insert > 1 ? g_ceilings_chunked
                           : g_ceilings)
        .push_back(f);
    const CalculateFigures& calc = g_calculations.back();
    const double ceiling_rate = static_cast<double>(f.rows) / f.seconds;
    state.counters["rows"] = static_cast<double>(f.rows);
    state.counters["rows_per_s"] = ceiling_rate;
    state.counters["ratio"] = static_cast<double>(calc.rows) / calc.seconds / ceiling_rate;
  }
}

// The ceiling of the issue: one transaction for every row.
void BM_InsertCeiling(benchmark::State& state) { run_ceiling(state, false); }

// For comparison only: the same inserts committed per date, as calculate_pending did before
// it wrote dates in batches, with its checkpoint policy.
void BM_InsertCeilingPerDate(benchmark::State& state) { run_ceiling(state, true); }

// For comparison only: the ceiling with the engine's own insert, 64 rows per statement (the
// issue's ceiling is one row per statement; the engine beats that part of it).
void BM_InsertCeilingChunked(benchmark::State& state) { run_ceiling(state, false, 0, 64); }

// For comparison only: the ceiling on the facts table before migration 0003 (WITHOUT ROWID,
// (dimension_id, timestamp) index), to show what 0003 did to the ceiling itself.
void BM_InsertCeilingSchema2(benchmark::State& state) { run_ceiling(state, false, 2); }

// For reference only: the month's metric rows without the engine (see metrics_floor).
void BM_MetricRowsFloor(benchmark::State& state) {
  for (auto _ : state) {
    MetricsFloorFigures f = in_child<MetricsFloorFigures>([] { return metrics_floor(g_scale); });
    state.SetIterationTime(f.index_seconds + f.free_seconds);
    g_floors.push_back(f);
    state.counters["rows"] = static_cast<double>(f.rows);
    state.counters["generate_s"] = f.generate_seconds;
    state.counters["index_s"] = f.index_seconds;
    state.counters["free_s"] = f.free_seconds;
  }
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

template <typename T>
double median_seconds(const std::vector<T>& runs) {
  std::vector<double> v;
  for (const auto& r : runs) v.push_back(r.seconds);
  return median(v);
}

void print_summary() {
  if (g_calculations.empty()) return;
  std::vector<double> source_s;
  long peak = 0, inherited = 0;
  for (const auto& c : g_calculations) {
    source_s.push_back(c.metrics_seconds);
    peak = std::max(peak, c.peak_rss_kib);
    inherited = std::max(inherited, c.inherited_rss_kib);
  }
  const CalculateFigures& calc = g_calculations.back();
  const double rows = static_cast<double>(calc.rows);
  const double t_calc = median_seconds(g_calculations);
  const double t_source = median(source_s);
  std::printf("\n== calculate stage vs SQLite insert ceiling (same run; medians of %zu/%zu) ==\n",
              g_calculations.size(), g_ceilings.size());
  std::printf(
      "month       %d Kafka clusters x %d days, %d principals per cluster (%d owning "
      "service accounts), %" PRId64 " identities, %" PRId64 " billing lines\n",
      g_scale.clusters, g_scale.days, g_scale.principals, g_scale.owners, g_setup.identities,
      g_setup.lines);
  std::printf("calculate   %12.0f rows  %8.3f s  %10.0f rows/s  (%" PRId64 " lines, %d dates)\n",
              rows, t_calc, rows / t_calc, calc.lines, calc.dates);
  std::printf(
      "  besides   %21s %8.3f s in the synthetic metrics source (making the hourly rows; "
      "on the allocation thread, beside the writes)\n",
      "", t_source);
  if (!g_ceilings.empty()) {
    const double t_ceil = median_seconds(g_ceilings);
    const CeilingFigures& ceil = g_ceilings.back();
    const double ceil_rate = static_cast<double>(ceil.rows) / t_ceil;
    std::printf("ceiling     %12" PRId64
                " rows  %8.3f s  %10.0f rows/s  (one prepared INSERT, one "
                "transaction)\n",
                ceil.rows, t_ceil, ceil_rate);
    std::printf("RATIO       %.1f %% of the ceiling (goal >= 80 %%, issue 14)\n",
                100.0 * rows / t_calc / ceil_rate);
    if (!g_ceilings_chunked.empty()) {
      const double t = median_seconds(g_ceilings_chunked);
      std::printf(
          "chunked     the same rows 64 per INSERT (the engine's statement), one transaction: "
          "%.3f s = %.0f rows/s = %.1f %% of the ceiling's time; calculate is at %.1f %% of "
          "this stricter limit\n",
          t, static_cast<double>(ceil.rows) / t, 100.0 * t / t_ceil, 100.0 * t / t_calc);
    }
    if (!g_ceilings_per_date.empty()) {
      const double t = median_seconds(g_ceilings_per_date);
      std::printf(
          "per date    the same inserts committed date by date (the stage's transactions before "
          "it wrote batches of dates): %.3f s = %.0f rows/s = %.1f %% of the ceiling's rate; "
          "calculate is at %.1f %% of it\n",
          t, static_cast<double>(ceil.rows) / t, 100.0 * t_ceil / t, 100.0 * t / t_calc);
    }
    if (!g_ceilings_schema_2.empty()) {
      const double t = median_seconds(g_ceilings_schema_2);
      std::printf(
          "schema 0002 the ceiling on the facts table before migration 0003 (WITHOUT ROWID, "
          "(dimension_id, timestamp) index): %.3f s = %.0f rows/s; calculate is at %.1f %% "
          "of it\n",
          t, static_cast<double>(ceil.rows) / t, 100.0 * t / t_calc);
    }
    if (!g_floors.empty()) {
      const MetricsFloorFigures& f = g_floors.back();
      const double floor_s = f.index_seconds + f.free_seconds;
      std::printf("reference   %" PRId64
                  " hourly metric rows (%.0f per chargeback row): the source "
                  "makes them in %.3f s; indexing each once takes %.3f s and freeing them %.3f s "
                  "-- with the ceiling's inserts that alone is %.1f %% of the ceiling\n",
                  f.rows, static_cast<double>(f.rows) / rows, f.generate_seconds, f.index_seconds,
                  f.free_seconds, 100.0 * t_ceil / (t_ceil + floor_s));
    }
    const bool conserved = ceil.fact_units == g_setup.billed_units;
    std::printf("check       facts sum to the billed total: %s (%s vs %s)\n",
                conserved ? "yes" : "NO",
                allocation::Money::from_units(ceil.fact_units).to_string().c_str(),
                allocation::Money::from_units(g_setup.billed_units).to_string().c_str());
  }
  std::printf(
      "PEAK RSS    %.1f MiB in the calculate child (goal < 256 MiB, issue 14; %.1f MiB of it "
      "inherited at fork)\n",
      mib(peak), mib(inherited));
  if (rows < 1e6) std::printf("note        fewer than 1,000,000 rows: a reduced scale\n");
}

bool take_flag(const char* arg, const char* name, std::string& value) {
  const std::size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  value = arg + n + 1;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  // Our flags first; the rest goes to Google Benchmark.
  std::vector<char*> rest = {argv[0]};
  for (int i = 1; i < argc; ++i) {
    std::string v;
    if (take_flag(argv[i], "--clusters", v)) {
      g_scale.clusters = std::stoi(v);
    } else if (take_flag(argv[i], "--days", v)) {
      g_scale.days = std::stoi(v);
    } else if (take_flag(argv[i], "--principals", v)) {
      g_scale.principals = std::stoi(v);
    } else if (take_flag(argv[i], "--owners", v)) {
      g_scale.owners = std::stoi(v);
    } else if (take_flag(argv[i], "--service-accounts", v)) {
      g_scale.service_accounts = std::stoi(v);
    } else if (take_flag(argv[i], "--dir", v)) {
      g_scale.dir = v;
    } else if (std::strcmp(argv[i], "--keep") == 0) {
      g_scale.keep = true;
    } else {
      rest.push_back(argv[i]);
    }
  }
  if (g_scale.clusters < 1 || g_scale.days < 1 || g_scale.owners < 1 ||
      g_scale.principals < g_scale.owners || g_scale.service_accounts < g_scale.owners) {
    std::fprintf(stderr,
                 "calculate_bench: need clusters, days >= 1 and principals >= owners, "
                 "service accounts >= owners >= 1\n");
    return 2;
  }
  int bench_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&bench_argc, rest.data());
  if (benchmark::ReportUnrecognizedArguments(bench_argc, rest.data())) return 2;

  bool own_dir = false;
  if (g_scale.dir.empty()) {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "chitragupt-calculate-bench-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    g_scale.dir = tmpl;
    own_dir = true;
  } else {
    std::filesystem::create_directories(g_scale.dir);
  }
  g_scale.dir = std::filesystem::absolute(g_scale.dir).string();
  g_template = g_scale.dir + "/gathered.db";
  g_calculated = g_scale.dir + "/calculated.db";
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(g_template + suffix, ec);

  std::printf("calculate_bench: gathering the synthetic month into %s ...\n", g_template.c_str());
  g_setup = in_child<SetupFigures>([] { return build_month(g_scale, g_template); });
  if (g_setup.error[0] != '\0') {
    std::fprintf(stderr, "calculate_bench: setup failed: %s\n", g_setup.error);
    return 1;
  }
  std::printf("calculate_bench: %" PRId64 " resources, %" PRId64 " identities, %" PRId64
              " billing lines in %.1f s\n",
              g_setup.resources, g_setup.identities, g_setup.lines, g_setup.seconds);

  for (auto* b :
       {benchmark::RegisterBenchmark("calculate_month", BM_CalculateMonth),
        benchmark::RegisterBenchmark("insert_ceiling", BM_InsertCeiling),
        benchmark::RegisterBenchmark("insert_ceiling_per_date_tx", BM_InsertCeilingPerDate),
        benchmark::RegisterBenchmark("insert_ceiling_chunked", BM_InsertCeilingChunked),
        benchmark::RegisterBenchmark("insert_ceiling_schema_0002", BM_InsertCeilingSchema2),
        benchmark::RegisterBenchmark("metric_rows_floor", BM_MetricRowsFloor)}) {
    b->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  print_summary();

  if (!g_scale.keep) {
    for (const std::string& db : {g_template, g_calculated, g_scale.dir + "/ceiling.db"}) {
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix, ec);
    }
    if (own_dir) std::filesystem::remove(g_scale.dir, ec);
  }
  return 0;
}
