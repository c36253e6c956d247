// SIGHUP under load (issue 13 item 5): 100 reloads, alternately adding and removing a tenant,
// while clients keep asking /health and a report route of a tenant the reloads never change.
// No request to the unchanged tenant fails, it is never restarted, and the process ends with
// the threads and file descriptors it started with.

#include <dirent.h>
#include <signal.h>

#include <atomic>
#include <iostream>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;

int entries_in(const std::string& dir) {
  int n = 0;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') n++;
    }
    closedir(d);
  }
  return n;
}

int count_of(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    n++;
  return n;
}

class ReloadE2E : public ::testing::Test {
 protected:
  TempDir dir_;
  int port_ = free_port();
  std::string config_path_ = dir_.file("config.yaml");

  void write_config(bool with_extra) {
    auto tenant = [&](const std::string& name) {
      return "  " + name + ":\n    ecosystem: confluent_cloud\n    tenant_id: " + name +
             "\n    storage:\n      connection_string: sqlite:///" + dir_.file(name + ".db") +
             "\n    plugin_settings:\n      ccloud_api: { key: k, secret: s, base_url: "
             "\"http://127.0.0.1:1\" }\n";
    };
    // database_idle_timeout 1 s: a tenant's connections close a second after the load ends, so
    // that open files before and after compare like with like.
    write_file(config_path_,
               "logging:\n  level: INFO\nfeatures:\n  database_idle_timeout: 1\n"
               "api:\n  host: 127.0.0.1\n  port: " +
                   std::to_string(port_) + "\ntenants:\n" + tenant("stable") +
                   (with_extra ? tenant("extra") : ""));
  }

  int tenants_listed() {
    auto h = http_get(port_, "/health").json();
    return h.is_object() && h.contains("tenants") ? static_cast<int>(h["tenants"].size()) : -1;
  }
};

// The blocking pool starts its workers on demand, up to its bound, and keeps them
// (actors/README.md): the reloads' migrations may start a few the warm-up did not. A leak grows
// with the reloads (100 here), far past this.
constexpr int kPoolHeadroom = 8;

TEST_F(ReloadE2E, hundred_reloads_under_load_leave_the_unchanged_tenant_alone_and_leak_nothing) {
  write_config(false);
  EngineProcess engine({"--config-file", config_path_, "--mode", "api"}, dir_.path());
  ASSERT_TRUE(eventually([&] { return http_get(port_, "/ready").status == 200; }, 30s))
      << engine.stderr_text();
  const std::string proc = "/proc/" + std::to_string(engine.pid());
  // One add/remove first, so that what a first reload creates once (its pools) is counted.
  auto reload = [&](bool with_extra) {
    write_config(with_extra);
    engine.signal(SIGHUP);
    return eventually([&] { return tenants_listed() == (with_extra ? 2 : 1); }, 15s);
  };
  ASSERT_TRUE(reload(true));
  ASSERT_TRUE(reload(false));
  // And the same load as below for a second, without reloads: the blocking pool starts its
  // workers when work first waits for one (actors/README.md), and they stay; then the tenant's
  // connections close after the idle timeout.
  {
    std::atomic<bool> warm_done{false};
    std::vector<std::thread> warm;
    for (int i = 0; i < 4; ++i) {
      warm.emplace_back([&, i] {
        httplib::Client client("127.0.0.1", port_);
        const char* path = i % 2 == 0 ? "/health" : "/api/v1/tenants/stable/resources";
        while (!warm_done) client.Get(path);
      });
    }
    std::this_thread::sleep_for(1s);
    warm_done = true;
    for (auto& t : warm) t.join();
  }
  std::this_thread::sleep_for(2500ms);
  const int fds_before = entries_in(proc + "/fd");
  const int threads_before = entries_in(proc + "/task");

  std::atomic<bool> done{false};
  std::atomic<long> requests{0}, failures{0};
  std::vector<std::thread> clients;
  for (const char* path : {"/health", "/api/v1/tenants/stable/resources", "/health",
                           "/api/v1/tenants/stable/resources"}) {
    clients.emplace_back([&, path] {
      httplib::Client client("127.0.0.1", port_);
      client.set_keep_alive(true);
      client.set_read_timeout(10, 0);
      while (!done) {
        auto res = client.Get(path);
        requests++;
        if (!res || res->status != 200) {
          if (failures++ < 5) {
            std::cerr << path << ": "
                      << (res ? std::to_string(res->status) + " " + res->body
                              : httplib::to_string(res.error()))
                      << "\n";
          }
        }
      }
    });
  }
  int reloads = 0;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(reload(i % 2 == 0)) << "reload " << i << "\n" << engine.stderr_text();
    reloads++;
  }
  done = true;
  for (auto& c : clients) c.join();
  // The clients' connections close on the server side, the removed tenant's threads end.
  int fds_after = 0, threads_after = 0;
  eventually(
      [&] {
        fds_after = entries_in(proc + "/fd");
        threads_after = entries_in(proc + "/task");
        return fds_after <= fds_before && threads_after <= threads_before + kPoolHeadroom;
      },
      15s);
  std::cout << "[figure] " << reloads << " reloads, " << requests << " requests, " << failures
            << " failed; fds " << fds_before << " -> " << fds_after << ", threads "
            << threads_before << " -> " << threads_after << "\n";
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(requests.load(), 100);
  const std::string log = engine.stderr_text();
  EXPECT_EQ(count_of(log, "tenant=stable event=tenant_started"), 1)
      << "the unchanged tenant restarted";
  EXPECT_EQ(count_of(log, "tenant=extra event=tenant_started"), 51);
  EXPECT_LE(fds_after, fds_before);
  EXPECT_LE(threads_after, threads_before + kPoolHeadroom);
  engine.signal(SIGTERM);
  EXPECT_EQ(engine.wait_exit(30s), 0);
}

}  // namespace
}  // namespace chitragupt::testing
