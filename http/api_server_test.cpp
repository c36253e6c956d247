#include "http/api_server.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <caf/all.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "emitters/prometheus_gauges.hpp"
#include "messages/protocol.hpp"

namespace chitragupt::http {
namespace {

using namespace messages;

// A supervisor that never answers report requests (a stuck tenant behind it) and reports one
// tenant for /metrics.
caf::behavior silent_supervisor(caf::event_based_actor* self) {
  return {
      [=](report_atom, const std::string&, const report::Request&) {
        return self->make_response_promise();  // never delivered
      },
      [=](metrics_atom) {
        TenantMetrics m;
        m.tenant = "acme";
        m.up = true;
        return EngineMetrics{m};
      },
      [=](health_atom) { return HealthReport{}; },
      [=](health_snapshot_atom) {
        return HealthSnapshot{1, std::make_shared<const HealthReport>()};
      },
  };
}

class ApiServerTest : public ::testing::Test {
 protected:
  caf::actor_system_config cfg_;
  caf::actor_system system_{cfg_};
  caf::actor supervisor_ = system_.spawn(silent_supervisor);
  std::unique_ptr<ApiServer> server_;
  int port_ = 0;

  int request_timeout_seconds_ = 1;

  void SetUp() override { start_server(7); }
  // Binds a server on a free port (tried from `seed`) and starts it.
  void start_server(int seed) {
    config::ApiConfig api;
    api.host = "127.0.0.1";
    api.request_timeout_seconds = request_timeout_seconds_;
    for (int attempt = 0; attempt < 20 && !server_; ++attempt) {
      api.port = 20000 + (::getpid() * seed + attempt * 131) % 40000;
      auto candidate = std::make_unique<ApiServer>(system_, supervisor_, api);
      if (candidate->bind()) server_ = std::move(candidate);
    }
    ASSERT_TRUE(server_) << "no free port";
    port_ = server_->port();
    server_->start();
  }
  void TearDown() override {
    if (server_) server_->stop();
    caf::anon_send_exit(supervisor_, caf::exit_reason::user_shutdown);
    emitters::clear_gauges();
  }
  httplib::Result get(const std::string& path) {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(10, 0);
    return client.Get(path.c_str());
  }
};

TEST_F(ApiServerTest, a_tenant_that_does_not_answer_in_time_is_a_504) {
  auto res = get("/api/v1/tenants/acme/chargebacks/dates");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 504);
  EXPECT_NE(res->body.find("\"timeout\""), std::string::npos) << res->body;
}

// httplib would compress a large JSON answer with brotli at its slowest quality for a client
// that offers br (every browser); it gets gzip.
TEST_F(ApiServerTest, a_client_offering_brotli_and_gzip_gets_gzip) {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(10, 0);
  client.set_decompress(false);
  auto res = client.Get("/openapi.json", {{"Accept-Encoding", "br, gzip;q=0.9, deflate"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip");
  auto br_only = client.Get("/openapi.json", {{"Accept-Encoding", "BR;q=1"}});
  ASSERT_TRUE(br_only);
  EXPECT_EQ(br_only->status, 200);
  EXPECT_EQ(br_only->get_header_value("Content-Encoding"), "");
  EXPECT_EQ(br_only->body.front(), '{');
}

class BusyApiServerTest : public ApiServerTest {
 protected:
  BusyApiServerTest() { request_timeout_seconds_ = 5; }
};

// More report requests than slots, all waiting on a stuck tenant: the ones beyond the slots are
// told "busy" at once, and /health still answers while every slot is taken.
TEST_F(BusyApiServerTest, report_requests_beyond_the_slots_are_busy_and_health_still_answers) {
  constexpr int kRequests = ApiServer::kTenantRequestSlots + 2;
  std::atomic<int> busy{0}, timed_out{0}, other{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kRequests; ++i) {
    clients.emplace_back([&] {
      httplib::Client client("127.0.0.1", port_);
      client.set_read_timeout(20, 0);
      auto res = client.Get("/api/v1/tenants/acme/chargebacks/dates");
      if (res && res->status == 503 && res->get_header_value("Retry-After") == "1" &&
          res->body.find("\"busy\"") != std::string::npos) {
        ++busy;
      } else if (res && res->status == 504) {
        ++timed_out;
      } else {
        ++other;
      }
    });
  }
  // The two beyond the slots come back at once; the others wait for the 5 s timeout.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  while (busy.load() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(busy.load(), 2);
  auto health = get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200) << health->body;
  EXPECT_EQ(timed_out.load(), 0) << "/health answered only after the report requests ended";
  for (auto& t : clients) t.join();
  EXPECT_EQ(busy.load(), 2);
  EXPECT_EQ(timed_out.load(), ApiServer::kTenantRequestSlots);
  EXPECT_EQ(other.load(), 0);
  // Slots are given back: a later request reaches the tenant again (and times out there).
  auto later = get("/api/v1/tenants/acme/chargebacks/dates");
  ASSERT_TRUE(later);
  EXPECT_EQ(later->status, 504);
}

// A server that stopped abandoned the asks of this process (its handlers gave up at once); a
// server started afterwards asks the supervisor again (the metrics need its answer).
TEST_F(ApiServerTest, a_server_started_after_another_stopped_still_asks_the_supervisor) {
  server_->stop();
  server_.reset();
  request_timeout_seconds_ = 5;
  start_server(11);
  auto res = get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_NE(res->body.find("chitragupt_tenant_up{tenant=\"acme\"} 1"), std::string::npos);
}

// httplib ignores a stop() that comes before its listening loop has begun; a stop right after
// start() (a SIGTERM during start-up) must still end the server, every time.
TEST_F(ApiServerTest, a_stop_right_after_start_always_returns) {
  std::atomic<int> done{0};
  std::atomic<bool> finished{false};
  std::thread watchdog([&] {
    for (int waited = 0; waited < 600 && !finished; ++waited) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!finished) {
      std::fprintf(stderr, "a stop right after start hung after %d cycles\n", done.load());
      std::_Exit(1);
    }
  });
  for (int i = 0; i < 200; ++i) {
    server_->stop();
    server_.reset();
    start_server(13 + i);
    done++;
  }
  finished = true;
  watchdog.join();
  EXPECT_EQ(done.load(), 200);
}

TEST_F(ApiServerTest, metrics_append_the_emitter_gauges_and_count_requests_by_route_id) {
  emitters::GaugeSample s;
  s.family = emitters::GaugeFamily::resource_active;
  s.labels = {{"tenant_id", "acme"}, {"resource_id", "lkc-1"}};
  s.value = "1";
  emitters::replace_tenant_slice("confluent_cloud", "acme", {s});
  ASSERT_TRUE(get("/api/v1/tenants/acme/chargebacks/dates"));
  auto res = get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("chitragupt_tenant_up{tenant=\"acme\"} 1"), std::string::npos);
  EXPECT_NE(res->body.find("chitragupta_resource_active{"), std::string::npos) << res->body;
  EXPECT_NE(res->body.find("chitragupt_http_requests_total{route=\"/api/v1/tenants/{tenant}/"
                           "chargebacks/dates\",code=\"504\"} 1"),
            std::string::npos)
      << res->body;
}

// The health snapshot a fake supervisor hands out; the test replaces it.
struct SnapshotBoard {
  std::mutex mu;
  HealthSnapshot current;
  void set(std::uint64_t version, TenantState state, const std::string& error) {
    auto report = std::make_shared<HealthReport>();
    TenantHealth t;
    t.name = "acme";
    t.state = state;
    t.migrated = true;
    t.schema_version = 4;
    t.error = error;
    report->tenants = {t};
    std::lock_guard<std::mutex> lock(mu);
    current = HealthSnapshot{version, std::move(report)};
  }
};

caf::behavior snapshot_supervisor(caf::event_based_actor*, std::shared_ptr<SnapshotBoard> board) {
  return {
      [=](health_snapshot_atom) {
        std::lock_guard<std::mutex> lock(board->mu);
        return board->current;
      },
  };
}

// /health and /ready serialise each snapshot once and reuse the text: a new snapshot (a tenant
// gone degraded, then failed) is what the next request shows, never the cached old body.
TEST(ApiServerHealth, health_and_ready_follow_each_new_snapshot) {
  caf::actor_system_config cfg;
  caf::actor_system system{cfg};
  auto board = std::make_shared<SnapshotBoard>();
  board->set(1, TenantState::ready, "");
  caf::actor sup = system.spawn(snapshot_supervisor, board);
  config::ApiConfig api;
  api.host = "127.0.0.1";
  std::unique_ptr<ApiServer> server;
  for (int attempt = 0; attempt < 20 && !server; ++attempt) {
    api.port = 20000 + (::getpid() * 11 + attempt * 137) % 40000;
    auto candidate = std::make_unique<ApiServer>(system, sup, api);
    if (candidate->bind()) server = std::move(candidate);
  }
  ASSERT_TRUE(server) << "no free port";
  server->start();
  httplib::Client client("127.0.0.1", server->port());
  client.set_read_timeout(10, 0);
  auto health = [&] {
    auto res = client.Get("/health");
    EXPECT_TRUE(res);
    return res ? nlohmann::json::parse(res->body, nullptr, false) : nlohmann::json();
  };
  auto ready_status = [&] {
    auto res = client.Get("/ready");
    return res ? res->status : -1;
  };

  for (int i = 0; i < 3; ++i) {  // the cached body, asked again
    auto h = health();
    EXPECT_EQ(h["status"], "ok");
    EXPECT_EQ(h["tenants"][0]["state"], "ready");
    EXPECT_TRUE(h["uptime_s"].is_number_integer());
    EXPECT_EQ(ready_status(), 200);
  }
  board->set(2, TenantState::degraded, "last run failed");
  auto degraded = health();
  EXPECT_EQ(degraded["status"], "degraded");
  EXPECT_EQ(degraded["tenants"][0]["state"], "degraded");
  EXPECT_EQ(degraded["tenants"][0]["error"], "last run failed");
  EXPECT_EQ(ready_status(), 200);  // degraded still serves
  board->set(3, TenantState::failed, "database is broken");
  EXPECT_EQ(health()["tenants"][0]["state"], "failed");
  EXPECT_EQ(ready_status(), 503);

  server->stop();
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

}  // namespace
}  // namespace chitragupt::http
