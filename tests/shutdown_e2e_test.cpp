// Prompt, clean stop (issue 13 item 1): SIGTERM in each state a pipeline can wait in ends the
// real binary with exit 0 within seconds, and the run in progress is recorded `interrupted`.
// The same cancellation cuts a run that passes tenant_execution_timeout_seconds while an
// upstream request is in flight. Each test prints the stop latency it measured ("[figure]").

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "storage/database.hpp"
#include "storage/pg_test_env.hpp"
#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A loopback HTTP server that answers every request after `delay` (or when destroyed): a
// Confluent Cloud or Prometheus that accepted the connection and is slow to answer.
class SlowServer {
 public:
  SlowServer(std::chrono::milliseconds delay, std::string body) : body_(std::move(body)) {
    server_.new_task_queue = [] { return new httplib::ThreadPool(16); };
    auto handler = [this, delay](const httplib::Request&, httplib::Response& res) {
      requests_++;
      const auto until = Clock::now() + delay;
      while (!released_ && Clock::now() < until) std::this_thread::sleep_for(10ms);
      res.set_content(body_, "application/json");
    };
    server_.Get(".*", handler);
    server_.Post(".*", handler);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~SlowServer() {
    released_ = true;
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_; }

 private:
  std::string body_;
  httplib::Server server_;
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::atomic<bool> released_{false};
  std::thread thread_;
};

const char* kEmptyPrometheus = R"({"status":"success","data":{"resultType":"matrix","result":[]}})";

// One shared simulator for the tests that need a working Confluent Cloud.
const std::string& sim_url() {
  static TempDir logs;
  static SimProcess sim({"--seed", "13", "--days", "12"}, logs.path());
  static const std::string url = sim.base_url();
  return url;
}

class StopE2E : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string config_path_ = dir_.file("config.yaml");
  std::string db_path_ = dir_.file("acme.db");
  int api_port_ = 0;  // 0: no api section (the tests run --mode worker)

  // One tenant; `ccloud` and `metrics` are base URLs ("" = no metrics source).
  void write_config(const std::string& ccloud, const std::string& metrics, int lookback_days = 3,
                    const std::string& extra_tenant = "", const std::string& storage = "") {
    std::string y =
        (api_port_ ? "api:\n  host: 127.0.0.1\n  port: " + std::to_string(api_port_) + "\n"
                   : std::string()) +
        "logging:\n  level: INFO\ntenants:\n  acme:\n    ecosystem: confluent_cloud\n"
        "    tenant_id: acme\n    lookback_days: " +
        std::to_string(lookback_days) + "\n    cutoff_days: 1\n" + extra_tenant +
        "    storage:\n      connection_string: " +
        (storage.empty() ? "sqlite:///" + db_path_ : storage) +
        "\n    plugin_settings:\n      ccloud_api:\n        key: sim-key\n"
        "        secret: sim-secret\n        base_url: \"" +
        ccloud + "\"\n        request_timeout_seconds: 120\n        max_retries: 5\n";
    if (!metrics.empty()) {
      y +=
          "      metrics:\n        url: \"" + metrics +
          "\"\n        auth_type: basic\n        username: sim-key\n        password: sim-secret\n";
    }
    write_file(config_path_, y);
  }

  std::unique_ptr<EngineProcess> start(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"--config-file", config_path_, "--mode", "worker"};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<EngineProcess>(args, dir_.path());
  }

  // Sends SIGTERM, waits for the exit; the exit code and how long the stop took.
  std::pair<int, std::chrono::milliseconds> stop(EngineProcess& engine, const std::string& state) {
    const auto t0 = Clock::now();
    engine.signal(SIGTERM);
    auto code = engine.wait_exit(40s);
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
    std::cout << "[figure] stop latency (" << state << "): " << took.count() << " ms\n";
    RecordProperty("stop_latency_ms", static_cast<int>(took.count()));
    return {code.value_or(-1), took};
  }

  // status|error_message of the tenant's last run.
  std::string last_run() {
    auto db = storage::open_database("sqlite:///" + db_path_);
    if (!db) return "no database: " + db.error();
    auto rows = (*db)->query(
        "SELECT status, coalesce(error_message, '') FROM pipeline_runs ORDER BY id DESC LIMIT 1");
    if (!rows || rows->empty()) return "no run";
    return rows->front().get_text(0) + "|" + rows->front().get_text(1);
  }
};

constexpr auto kStopLimit = 5s;  // the goal is 2 s; asserted generously

TEST_F(StopE2E, sigterm_during_upstream_backoff_exits_zero_promptly_and_marks_run_interrupted) {
  // A base URL that refuses connections: every attempt fails at once, then the client backs off
  // (2-3 s, 4-5 s, 8-9 s, ...).
  write_config("http://127.0.0.1:" + std::to_string(free_port()), "");
  auto engine = start();
  ASSERT_TRUE(eventually(
      [&] { return engine->stderr_text().find("ccloud_request_retry") != std::string::npos; }, 30s))
      << engine->stderr_text();
  std::this_thread::sleep_for(300ms);  // inside the backoff sleep
  auto [code, took] = stop(*engine, "upstream backoff");
  EXPECT_EQ(code, 0) << engine->stderr_text();
  EXPECT_LE(took, kStopLimit);
  EXPECT_EQ(last_run(), "interrupted|Interrupted by shutdown") << engine->stderr_text();
}

TEST_F(StopE2E, sigterm_during_a_long_confluent_cloud_request_exits_zero_promptly) {
  SlowServer ccloud(60s, "{}");
  write_config(ccloud.url(), "");
  auto engine = start();
  ASSERT_TRUE(eventually([&] { return ccloud.requests() > 0; }, 30s)) << engine->stderr_text();
  std::this_thread::sleep_for(300ms);
  auto [code, took] = stop(*engine, "Confluent Cloud request in flight");
  EXPECT_EQ(code, 0) << engine->stderr_text();
  EXPECT_LE(took, kStopLimit);
  EXPECT_EQ(last_run(), "interrupted|Interrupted by shutdown") << engine->stderr_text();
}

TEST_F(StopE2E, sigterm_during_a_long_prometheus_request_exits_zero_promptly) {
  SlowServer metrics(60s, kEmptyPrometheus);
  write_config(sim_url(), metrics.url());
  auto engine = start();
  ASSERT_TRUE(eventually([&] { return metrics.requests() > 0; }, 60s)) << engine->stderr_text();
  std::this_thread::sleep_for(300ms);
  auto [code, took] = stop(*engine, "Prometheus request in flight");
  EXPECT_EQ(code, 0) << engine->stderr_text();
  EXPECT_LE(took, kStopLimit);
  EXPECT_EQ(last_run(), "interrupted|Interrupted by shutdown") << engine->stderr_text();
}

TEST_F(StopE2E, sigterm_during_a_multi_date_calculation_keeps_dates_whole) {
  // Each metrics answer takes 150 ms: ten dates take many seconds to calculate.
  SlowServer metrics(150ms, kEmptyPrometheus);
  write_config(sim_url(), metrics.url(), 11);
  auto engine = start();
  auto calculated_dates = [&] {
    auto db = storage::open_database("sqlite:///" + db_path_);
    if (!db) return 0;
    auto rows = (*db)->query("SELECT count(*) FROM pipeline_state WHERE chargeback_calculated = 1");
    return rows && !rows->empty() ? static_cast<int>(rows->front().get_int(0)) : 0;
  };
  ASSERT_TRUE(eventually([&] { return calculated_dates() >= 2; }, 60s)) << engine->stderr_text();
  auto [code, took] = stop(*engine, "multi-date calculation");
  EXPECT_EQ(code, 0) << engine->stderr_text();
  EXPECT_LE(took, kStopLimit);
  EXPECT_EQ(last_run(), "interrupted|Interrupted by shutdown") << engine->stderr_text();
  // Every date is calculated whole or not at all: calculated dates have their facts, pending
  // dates have none.
  auto db = storage::open_database("sqlite:///" + db_path_);
  ASSERT_TRUE(db.is_ok()) << db.error();
  auto rows = (*db)->query(
      "SELECT s.tracking_date, s.chargeback_calculated, "
      "(SELECT count(*) FROM chargeback_facts f WHERE substr(f.timestamp, 1, 10) = "
      "s.tracking_date) FROM pipeline_state s ORDER BY s.tracking_date");
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  int calculated = 0, pending = 0;
  for (const auto& r : *rows) {
    const bool done = r.get_int(1) != 0;
    (done ? calculated : pending)++;
    if (done) {
      EXPECT_GT(r.get_int(2), 0) << r.get_text(0);
    } else {
      EXPECT_EQ(r.get_int(2), 0) << r.get_text(0);
    }
  }
  EXPECT_GT(pending, 0) << "the stop came after the last date";
  std::cout << "[figure] dates calculated before the stop: " << calculated << ", left pending "
            << pending << "\n";
}

TEST_F(StopE2E, sigterm_while_the_database_is_unreachable_exits_zero_promptly) {
  // A PostgreSQL tenant whose server is down: the tenant fails and is restarted with backoff.
  write_config(sim_url(), "", 3, "",
               "postgresql://chitragupt:pw@127.0.0.1:" + std::to_string(free_port()) + "/acme");
  auto engine = start();
  ASSERT_TRUE(eventually(
      [&] { return engine->stderr_text().find("tenant_restart_scheduled") != std::string::npos; },
      30s))
      << engine->stderr_text();
  auto [code, took] = stop(*engine, "PostgreSQL reconnect loop");
  EXPECT_EQ(code, 0) << engine->stderr_text();
  EXPECT_LE(took, kStopLimit);
}

TEST_F(StopE2E, second_sigterm_forces_the_exit) {
  SlowServer ccloud(60s, "{}");
  write_config(ccloud.url(), "");
  auto engine = start();
  ASSERT_TRUE(eventually([&] { return ccloud.requests() > 0; }, 30s)) << engine->stderr_text();
  engine->signal(SIGTERM);
  engine->signal(SIGTERM);
  auto code = engine->wait_exit(10s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0);
}

TEST_F(StopE2E, execution_timeout_interrupts_an_upstream_request_in_flight) {
  // The upstream never answers within the run's 2 s budget; its request timeout is 120 s.
  SlowServer ccloud(60s, "{}");
  write_config(ccloud.url(), "", 3, "    tenant_execution_timeout_seconds: 2\n");
  const auto t0 = Clock::now();
  auto engine = start({"--run-once"});
  auto code = engine->wait_exit(30s);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  std::cout << "[figure] run-once with a 2 s execution timeout ended after " << took.count()
            << " ms\n";
  ASSERT_TRUE(code.has_value()) << engine->stderr_text();
  EXPECT_EQ(*code, 0);
  EXPECT_LE(took, 2s + kStopLimit);
  EXPECT_GT(ccloud.requests(), 0);
  EXPECT_EQ(last_run(),
            "interrupted|Execution timed out after 2s (tenant_execution_timeout_seconds); the "
            "run was interrupted")
      << engine->stderr_text();
}

TEST_F(StopE2E, sigterm_during_a_streamed_csv_export_exits_zero_promptly) {
  // One row per chunk: the export of a few thousand rows is a few thousand asks of the tenant.
  setenv("CHITRAGUPT_EXPORT_CHUNK_ROWS", "1", 1);
  api_port_ = free_port();
  write_config(sim_url(), "", 11);
  auto engine = start({"--mode", "both"});
  unsetenv("CHITRAGUPT_EXPORT_CHUNK_ROWS");
  ASSERT_TRUE(eventually([&] { return last_run().rfind("completed", 0) == 0; }, 60s))
      << engine->stderr_text();
  // A client that reads the start of the export, then nothing more.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(api_port_));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string request =
      "POST /api/v1/tenants/acme/export HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
  ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  char head[512];
  ASSERT_GT(::recv(fd, head, sizeof head, 0), 0);
  ASSERT_EQ(std::string(head, 12), "HTTP/1.1 200");
  auto [code, took] = stop(*engine, "streamed CSV export");
  ::close(fd);
  EXPECT_EQ(code, 0) << engine->stderr_text();
  EXPECT_LE(took, kStopLimit);
}

TEST_F(StopE2E, sigterm_while_waiting_for_another_process_migration_exits_zero_promptly) {
  CHITRAGUPT_REQUIRE_POSTGRESQL();
  storage::testing::PgScratchDatabase database;
  ASSERT_TRUE(database.status().is_ok()) << database.status().message();
  // Another process is migrating this database: it holds the migration lock.
  auto other = storage::open_database(database.url());
  ASSERT_TRUE(other.is_ok()) << other.error();
  ASSERT_TRUE((*other)->query("SELECT pg_advisory_lock(7163091156188882805)").is_ok());
  write_config(sim_url(), "", 3, "", database.url());
  auto engine = start();
  ASSERT_TRUE(eventually(
      [&] {
        return engine->stderr_text().find("waiting for another process to finish migrating") !=
               std::string::npos;
      },
      30s))
      << engine->stderr_text();
  auto [code, took] = stop(*engine, "waiting for another process's migration");
  EXPECT_EQ(code, 0) << engine->stderr_text();
  EXPECT_LE(took, kStopLimit);
}

}  // namespace
}  // namespace chitragupt::testing
