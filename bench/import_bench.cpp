// `chitragupt import chitragupta` on an original database of about a million chargeback rows
// (issue 16): the real binary as a child process, its wall time and peak RSS (wait4), against
// a ceiling measured in the same run.
//
//   fixture   an original chitragupta v2.2 SQLite database built from the reference's DDL
//             (importer/fixture.hpp): --days days x --clusters clusters, each CKU line split
//             over --identities identities (about days x clusters x (identities + 2) facts).
//   import    `chitragupt import chitragupta --from <fixture> --config-file ... --tenant acme`
//             into a fresh SQLite file: read, convert, write in one transaction, verify.
//   ceiling   the same facts and dimensions copied by SQLite alone into a fresh database
//             migrated to head (ATTACH + INSERT ... SELECT in one transaction, amounts not
//             converted): the least any import of these rows can cost on this machine.
//
// Machines are noisy: quote the ratio import / ceiling. Flags: --days=100 --clusters=100
// --identities=100 --dir=PATH (default: a temporary directory) --keep.

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "importer/fixture.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"

namespace {

using namespace chitragupt;
using Clock = std::chrono::steady_clock;

int flag(int argc, char** argv, const char* name, int fallback) {
  const std::string prefix = std::string("--") + name + "=";
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], prefix.c_str(), prefix.size()) == 0)
      return std::atoi(argv[i] + prefix.size());
  }
  return fallback;
}

std::string text_flag(int argc, char** argv, const char* name, const std::string& fallback) {
  const std::string prefix = std::string("--") + name + "=";
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], prefix.c_str(), prefix.size()) == 0) return argv[i] + prefix.size();
  }
  return fallback;
}

void die(const std::string& what) {
  std::fprintf(stderr, "import_bench: %s\n", what.c_str());
  std::exit(1);
}

void sync_disk() { ::sync(); }

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  importer::fixture::Options o;
  o.days = flag(argc, argv, "days", 100);
  o.clusters = flag(argc, argv, "clusters", 100);
  o.identities = flag(argc, argv, "identities", 100);
  bool keep = false;
  for (int i = 1; i < argc; ++i) keep = keep || std::string(argv[i]) == "--keep";
  std::string dir = text_flag(argc, argv, "dir", "");
  if (dir.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "chitragupt-import-bench-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) die("mkdtemp failed");
    dir = tmpl;
  }
  const std::string source = dir + "/chargeback.db";
  const std::string target = dir + "/chitragupt.db";
  const std::string ceiling = dir + "/ceiling.db";
  for (const auto& f : {source, target, ceiling}) fs::remove(f);

  auto t0 = Clock::now();
  importer::fixture::Expected e;
  {
    auto db = storage::open_database("sqlite:///" + source);
    if (!db) die(db.error());
    auto built = importer::fixture::build(**db, o);
    if (!built) die(built.error());
    e = *built;
  }
  std::printf(
      "fixture: %lld chargeback facts, %lld dimensions, %lld billing lines, %d days "
      "(%.1f s to build)\n",
      static_cast<long long>(e.facts), static_cast<long long>(e.dimensions),
      static_cast<long long>(e.billing_lines), o.days,
      std::chrono::duration<double>(Clock::now() - t0).count());

  const std::string config = dir + "/config.yaml";
  std::ofstream(config) << "tenants:\n  acme:\n    ecosystem: confluent_cloud\n"
                           "    tenant_id: acme-prod\n    storage:\n      connection_string: "
                           "sqlite:///"
                        << target
                        << "\n    plugin_settings:\n      ccloud_api:\n        key: k\n"
                           "        secret: s\n";

  // import: the real binary, its own peak RSS.
  sync_disk();
  auto t1 = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_WRONLY);
    const std::string report = dir + "/report.txt";
    int out = ::open(report.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(null, 2);
    const std::string from = "sqlite:///" + source;
    execl(CHITRAGUPT_BINARY, CHITRAGUPT_BINARY, "import", "chitragupta", "--from", from.c_str(),
          "--config-file", config.c_str(), "--tenant", "acme", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  const double import_s = std::chrono::duration<double>(Clock::now() - t1).count();
  const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (exit_code != 0)
    die("the import exited with " + std::to_string(exit_code) + " (see " + dir + "/report.txt)");

  // ceiling: SQLite copying the same rows, no conversion.
  sync_disk();
  auto t2 = Clock::now();
  {
    auto db = storage::open_database("sqlite:///" + ceiling);
    if (!db) die(db.error());
    storage::Migrator migrator(**db);
    if (auto up = migrator.upgrade(); !up) die(up.error());
    auto& d = **db;
    for (const char* sql : {"ATTACH DATABASE ? AS src"}) {
      if (auto s = d.execute(sql, {source}); !s) die(s.message());
    }
    for (const char* sql :
         {"BEGIN",
          "INSERT INTO chargeback_dimensions (dimension_id, ecosystem, tenant_id, resource_id, "
          "product_category, product_type, identity_id, cost_type, allocation_method, "
          "allocation_detail, env_id) SELECT dimension_id, ecosystem, tenant_id, "
          "COALESCE(resource_id, ''), product_category, product_type, identity_id, cost_type, "
          "COALESCE(allocation_method, ''), COALESCE(allocation_detail, '') || dimension_id, "
          "env_id FROM src.chargeback_dimensions",
          "INSERT INTO chargeback_facts (timestamp, dimension_id, amount) SELECT timestamp, "
          "dimension_id, 0 FROM src.chargeback_facts ORDER BY timestamp, dimension_id",
          "COMMIT"}) {
      if (auto s = d.execute(sql); !s) die(s.message());
    }
  }
  const double ceiling_s = std::chrono::duration<double>(Clock::now() - t2).count();

  std::printf("import:  %.2f s, peak RSS %.1f MiB (exit %d)\n", import_s,
              static_cast<double>(usage.ru_maxrss) / 1024.0, exit_code);
  std::printf("ceiling: %.2f s (SQLite copying the same facts and dimensions)\n", ceiling_s);
  std::printf("ratio import / ceiling: %.2f\n", import_s / ceiling_s);
  std::printf("report: %s/report.txt\n", dir.c_str());
  if (!keep) {
    for (const auto& f : {source, target, ceiling}) {
      fs::remove(f);
      fs::remove(f + "-wal");
      fs::remove(f + "-shm");
    }
  }
  return 0;
}
