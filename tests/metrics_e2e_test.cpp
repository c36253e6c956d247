// GET /metrics of the real engine: valid Prometheus text exposition (promtool check metrics),
// guarded by the bearer token, scraped by a real Prometheus server on loopback, and its figures
// move when a pipeline run finishes.

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <regex>

#include <gtest/gtest.h>
#include <httplib.h>

#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kToken = "tok-M3TRICS-secret";

// The value of the sample line `series` (name{labels} exactly as rendered), or -1.
double sample(const std::string& text, const std::string& series) {
  auto pos = ("\n" + text).find("\n" + series + " ");
  if (pos == std::string::npos) return -1;
  return std::atof(text.c_str() + pos + series.size() + 1);
}

class MetricsE2E : public ::testing::Test {
 protected:
  TempDir dir_;
  int port_ = free_port();
  std::string config_path_ = dir_.file("config.yaml");

  void write_config(const SimProcess& sim) {
    write_file(config_path_,
               "features:\n  enable_periodic_refresh: false\n"
               "api:\n  host: 127.0.0.1\n  port: " +
                   std::to_string(port_) + "\n  auth_token: " + kToken +
                   "\ntenants:\n  acme:\n    ecosystem: confluent_cloud\n    tenant_id: acme\n"
                   "    lookback_days: 4\n    cutoff_days: 1\n"
                   "    storage:\n      connection_string: sqlite:///" +
                   dir_.file("acme.db") +
                   "\n    plugin_settings:\n      ccloud_api:\n        key: sim-key\n"
                   "        secret: sim-secret\n        base_url: " +
                   sim.base_url() + "\n      metrics:\n        url: " + sim.base_url() +
                   "\n        auth_type: basic\n        username: sim-key\n"
                   "        password: sim-secret\n");
  }

  std::string metrics() {
    auto r = http_get(port_, "/metrics", kToken);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type").rfind("text/plain; version=0.0.4", 0), 0u);
    return r.body;
  }

  // For polling: no expectations, -1 while the engine does not answer.
  double completed_runs() {
    auto r = http_get(port_, "/metrics", kToken);
    if (r.status != 200) return -1;
    return sample(r.body, "chitragupt_pipeline_runs_total{tenant=\"acme\",status=\"completed\"}");
  }
};

TEST_F(MetricsE2E, metrics_pass_promtool_need_the_token_and_count_runs) {
  SimProcess sim({"--seed", "5", "--preset", "small"}, dir_.path());
  ASSERT_GT(sim.port(), 0) << sim.stderr_text();
  write_config(sim);
  EngineProcess engine({"--config-file", config_path_, "--mode", "both"}, dir_.path());
  ASSERT_TRUE(eventually([&] { return completed_runs() == 1; }, 120s)) << engine.stderr_text();

  EXPECT_EQ(http_get(port_, "/metrics").status, 401);
  EXPECT_EQ(http_get(port_, "/metrics", "wrong").status, 401);

  // A few requests so the HTTP families have samples, including an unmatched path.
  http_get(port_, "/api/v1/tenants/acme/chargebacks/dates", kToken);
  http_get(port_, "/api/v1/tenants/acme/chargebacks/dates", kToken);
  http_get(port_, "/no/such/path", kToken);
  auto text = metrics();
  write_file(dir_.file("metrics.txt"), text);
  const std::string cmd = "promtool check metrics < " + dir_.file("metrics.txt") + " > " +
                          dir_.file("promtool.out") + " 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << read_file(dir_.file("promtool.out")) << "\n" << text;

  EXPECT_EQ(sample(text, "chitragupt_tenant_up{tenant=\"acme\"}"), 1);
  EXPECT_EQ(sample(text, "chitragupt_pipeline_duration_seconds_count{tenant=\"acme\"}"), 1);
  EXPECT_GT(sample(text, "chitragupt_chargeback_rows_written_total{tenant=\"acme\"}"), 0);
  EXPECT_GT(sample(text, "chitragupt_last_success_timestamp_seconds{tenant=\"acme\"}"), 1.7e9);
  EXPECT_EQ(sample(text,
                   "chitragupt_http_requests_total{route=\"/api/v1/tenants/{tenant}/"
                   "chargebacks/dates\",code=\"200\"}"),
            2);
  EXPECT_GE(sample(text, "chitragupt_http_requests_total{route=\"unmatched\",code=\"404\"}"), 1);
  // Raw paths never become label values.
  EXPECT_EQ(text.find("/no/such/path"), std::string::npos);
  EXPECT_EQ(text.find("tenants/acme/"), std::string::npos);

  // A run asked for through the API moves the figures.
  const double rows_before =
      sample(text, "chitragupt_chargeback_rows_written_total{tenant=\"acme\"}");
  auto run = http_send(port_, "POST", "/api/v1/tenants/acme/pipeline/run", "", kToken);
  ASSERT_EQ(run.status, 202) << run.body;
  ASSERT_TRUE(eventually([&] { return completed_runs() == 2; }, 120s)) << engine.stderr_text();
  auto after = metrics();
  EXPECT_EQ(sample(after, "chitragupt_pipeline_duration_seconds_count{tenant=\"acme\"}"), 2);
  EXPECT_GE(sample(after, "chitragupt_chargeback_rows_written_total{tenant=\"acme\"}"),
            rows_before);

  engine.signal(SIGTERM);
  EXPECT_EQ(engine.wait_exit(30s), std::optional<int>(0));
  EXPECT_EQ(engine.stderr_text().find(kToken), std::string::npos);
}

TEST_F(MetricsE2E, a_real_prometheus_server_scrapes_the_engine_with_the_token) {
  write_file(config_path_, "api:\n  host: 127.0.0.1\n  port: " + std::to_string(port_) +
                               "\n  auth_token: " + kToken +
                               "\ntenants:\n  local:\n    ecosystem: confluent_cloud\n"
                               "    tenant_id: local\n    storage:\n      connection_string: "
                               "sqlite:///" +
                               dir_.file("local.db") +
                               "\n    plugin_settings:\n      ccloud_api: { key: k, secret: s }"
                               "\n");  // --mode api: never contacted
  EngineProcess engine({"--config-file", config_path_, "--mode", "api"}, dir_.path());
  ASSERT_TRUE(eventually([&] { return http_get(port_, "/ready").status == 200; }, 20s))
      << engine.stderr_text();

  const int prom_port = free_port();
  write_file(dir_.file("token"), kToken);
  write_file(dir_.file("prometheus.yml"),
             "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
             "scrape_configs:\n  - job_name: chitragupt\n    metrics_path: /metrics\n"
             "    authorization:\n      type: Bearer\n      credentials_file: " +
                 dir_.file("token") + "\n    static_configs:\n      - targets: ['127.0.0.1:" +
                 std::to_string(port_) + "']\n");
  EngineProcess prometheus(
      {"--config.file=" + dir_.file("prometheus.yml"), "--storage.tsdb.path=" + dir_.file("tsdb"),
       "--web.listen-address=127.0.0.1:" + std::to_string(prom_port)},
      dir_.path(), "/usr/bin/prometheus", "prometheus");

  auto query = [&](const std::string& promql) -> nlohmann::json {
    httplib::Client client("127.0.0.1", prom_port);
    client.set_connection_timeout(1, 0);
    client.set_read_timeout(5, 0);
    auto res =
        client.Get(("/api/v1/query?query=" + httplib::detail::encode_query_param(promql)).c_str());
    if (!res || res->status != 200) return nullptr;
    return nlohmann::json::parse(res->body, nullptr, false);
  };
  auto value_of = [&](const std::string& promql) -> std::string {
    auto j = query(promql);
    if (!j.is_object() || j["status"] != "success") return "";
    const auto& result = j["data"]["result"];
    if (!result.is_array() || result.empty()) return "";
    return result[0]["value"][1].get<std::string>();
  };
  EXPECT_TRUE(eventually([&] { return value_of("up{job=\"chitragupt\"}") == "1"; }, 60s))
      << prometheus.stderr_text();
  // The scrape carried the engine's own series, not just `up`.
  EXPECT_TRUE(eventually(
      [&] { return value_of("chitragupt_tenant_up{job=\"chitragupt\",tenant=\"local\"}") == "1"; },
      20s));

  prometheus.signal(SIGTERM);
  prometheus.wait_exit(20s);
  engine.signal(SIGTERM);
  EXPECT_EQ(engine.wait_exit(30s), std::optional<int>(0));
}

}  // namespace
}  // namespace chitragupt::testing
