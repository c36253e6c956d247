// Many tenants in one process (issue 19): the real binary with a few hundred SQLite tenants
// keeps a bounded number of threads and open files, and a tenant whose database hangs (its
// SQLite file locked by another process beyond busy_timeout) delays neither the other tenants'
// report answers nor /health. Bounds here are generous; the goals are measured in bench/.

#include <dirent.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Entries of /proc/<pid>/<what> (task: threads, fd: open files).
int count_entries(pid_t pid, const std::string& what) {
  std::string path = "/proc/" + std::to_string(pid) + "/" + what;
  DIR* d = opendir(path.c_str());
  if (!d) return -1;
  int n = 0;
  while (auto* e = readdir(d)) {
    if (e->d_name[0] != '.') ++n;
  }
  closedir(d);
  return n;
}

// API-only Confluent Cloud tenants (nothing upstream is asked): tenant0..tenant<n-1>.
std::string config_yaml(int port, const TempDir& dir, int tenants, int idle_timeout_s) {
  std::string y = "logging:\n  level: WARNING\nfeatures:\n  database_idle_timeout: " +
                  std::to_string(idle_timeout_s) +
                  "\napi:\n  host: 127.0.0.1\n  port: " + std::to_string(port) + "\ntenants:\n";
  for (int i = 0; i < tenants; ++i) {
    std::string name = "tenant" + std::to_string(i);
    y += "  " + name + ":\n    ecosystem: confluent_cloud\n    tenant_id: " + name +
         "\n    storage:\n      connection_string: sqlite:///" + dir.file(name + ".db") +
         "\n    plugin_settings:\n      ccloud_api: { key: k, secret: s }\n";
  }
  return y;
}

bool all_ready(int port, int tenants) {
  auto h = http_get(port, "/health").json();
  if (!h.is_object() || !h.contains("tenants") || h["tenants"].size() != std::size_t(tenants)) {
    return false;
  }
  for (const auto& t : h["tenants"]) {
    if (t["state"] != "ready") return false;
  }
  return true;
}

class ScaleE2E : public ::testing::Test {
 protected:
  TempDir dir_;
  int port_ = free_port();
  std::string config_path_ = dir_.file("config.yaml");

  std::unique_ptr<EngineProcess> start(int tenants, int idle_timeout_s) {
    write_file(config_path_, config_yaml(port_, dir_, tenants, idle_timeout_s));
    return std::make_unique<EngineProcess>(
        std::vector<std::string>{"--config-file", config_path_, "--mode", "api"}, dir_.path());
  }
};

TEST_F(ScaleE2E, a_few_hundred_tenants_keep_threads_and_open_files_bounded) {
  constexpr int kTenants = 300;
  auto engine = start(kTenants, 1);
  ASSERT_TRUE(eventually([&] { return all_ready(port_, kTenants); }, 120s))
      << engine->stderr_text();
  // A burst of report requests opens some tenants' databases ...
  for (int i = 0; i < kTenants; i += 10) {
    auto r = http_get(port_, "/api/v1/tenants/tenant" + std::to_string(i) + "/chargebacks/dates");
    EXPECT_EQ(r.status, 200) << r.body;
  }
  const int threads = count_entries(engine->pid(), "task");
  EXPECT_GT(threads, 0);
  // Before issue 19: one thread per tenant (and per report reader).
  EXPECT_LE(threads, 96) << "threads with " << kTenants << " tenants";
  // ... and the idle timeout (1 s) closes them again: an idle tenant holds no open file
  // (before: three per SQLite tenant).
  int fds = -1;
  EXPECT_TRUE(eventually(
      [&] {
        fds = count_entries(engine->pid(), "fd");
        return fds >= 0 && fds <= 128;
      },
      20s))
      << "open files with " << kTenants << " idle tenants: " << fds;
  EXPECT_TRUE(all_ready(port_, kTenants));
  engine->signal(SIGTERM);
  EXPECT_EQ(engine->wait_exit(30s), 0) << engine->stderr_text();
}

// Holds an exclusive lock on a SQLite file in a child process until killed.
pid_t lock_database(const std::string& path) {
  int ready[2];
  if (pipe(ready) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(ready[0]);
    sqlite3* db = nullptr;
    char ok = 'n';
    if (sqlite3_open(path.c_str(), &db) == SQLITE_OK &&
        sqlite3_exec(db,
                     "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; "
                     "CREATE TABLE lock_probe(x); INSERT INTO lock_probe VALUES (1);",
                     nullptr, nullptr, nullptr) == SQLITE_OK) {
      ok = 'y';
    }
    (void)!write(ready[1], &ok, 1);
    for (;;) pause();
  }
  close(ready[1]);
  char ok = 'n';
  (void)!read(ready[0], &ok, 1);
  close(ready[0]);
  if (ok != 'y') {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return -1;
  }
  return pid;
}

TEST_F(ScaleE2E, a_tenant_whose_database_is_locked_does_not_delay_the_others) {
  constexpr int kTenants = 4;
  auto engine = start(kTenants, 60);
  ASSERT_TRUE(eventually([&] { return all_ready(port_, kTenants); }, 60s)) << engine->stderr_text();
  pid_t locker = lock_database(dir_.file("tenant0.db"));
  ASSERT_GT(locker, 0) << "could not lock tenant0.db";

  // More requests at the locked tenant than it has connections: each waits out busy_timeout.
  std::atomic<int> stuck_done{0};
  std::vector<std::future<int>> stuck;
  for (int i = 0; i < 6; ++i) {
    stuck.push_back(std::async(std::launch::async, [&] {
      auto r = http_get(port_, "/api/v1/tenants/tenant0/chargebacks/dates");
      stuck_done++;
      return r.status;
    }));
  }
  std::this_thread::sleep_for(300ms);
  // Meanwhile the other tenants answer reports, and /health answers, while every request at
  // the locked tenant is still waiting.
  for (int round = 0; round < 3; ++round) {
    for (int i = 1; i < kTenants; ++i) {
      auto r = http_get(port_, "/api/v1/tenants/tenant" + std::to_string(i) + "/chargebacks/dates");
      EXPECT_EQ(r.status, 200) << r.body;
    }
    EXPECT_EQ(http_get(port_, "/health").status, 200);
    EXPECT_EQ(http_get(port_, "/api/v1/tenants/tenant2/chargebacks/aggregate").status, 200);
  }
  EXPECT_EQ(stuck_done.load(), 0) << "the locked tenant's requests answered before the others";
  for (auto& f : stuck) {
    int status = f.get();
    EXPECT_TRUE(status == 503 || status == 504 || status == 200) << status;
  }
  kill(locker, SIGKILL);
  waitpid(locker, nullptr, 0);
  // Unlocked, the tenant answers again.
  EXPECT_TRUE(eventually(
      [&] { return http_get(port_, "/api/v1/tenants/tenant0/chargebacks/dates").status == 200; },
      30s));
  engine->signal(SIGTERM);
  EXPECT_EQ(engine->wait_exit(30s), 0) << engine->stderr_text();
}

}  // namespace
}  // namespace chitragupt::testing
