// The Grafana dashboards of deploy/grafana/ against a real Prometheus (Debian's `prometheus`)
// scraping a running engine whose prometheus emitter exposes the chitragupta_* gauges:
// - each dashboard's JSON has the structure Grafana >= 10 provisions (ids, grid positions,
//   the Prometheus datasource variable, every variable a query uses is defined);
// - every panel's query, with the dashboard variables substituted, returns data;
// - the overview's Total Cost for the dates Prometheus holds equals the API's aggregate for
//   the same dates, to the cent.
// The tenant has topic attribution on, so the topic-attribution dashboard's panels are checked
// against chitragupta_topic_attribution_amount as well.

#include <signal.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <regex>
#include <set>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::string kDashboards = std::string(CHITRAGUPT_SOURCE_DIR) + "/deploy/grafana/dashboards";

json dashboard(const std::string& name) {
  return json::parse(read_file(kDashboards + "/" + name + ".json"));
}

const std::vector<std::string> kNames = {"chargeback-overview", "chargeback-details",
                                         "topic-attribution"};

// Every $name / ${name} / ${name:fmt} a query uses.
std::set<std::string> variables_in(const std::string& expr) {
  std::set<std::string> out;
  static const std::regex re(R"(\$\{?([A-Za-z_][A-Za-z0-9_]*))");
  for (std::sregex_iterator it(expr.begin(), expr.end(), re), end; it != end; ++it) {
    out.insert((*it)[1].str());
  }
  return out;
}

TEST(GrafanaDashboards, json_structure_is_what_grafana_10_provisions) {
  std::set<std::string> uids;
  for (const auto& name : kNames) {
    SCOPED_TRACE(name);
    json d = dashboard(name);
    ASSERT_TRUE(d.is_object());
    ASSERT_TRUE(d["uid"].is_string());
    EXPECT_LE(d["uid"].get<std::string>().size(), 40u);
    EXPECT_TRUE(uids.insert(d["uid"].get<std::string>()).second);
    EXPECT_TRUE(d["title"].is_string());
    EXPECT_GE(d["schemaVersion"].get<int>(), 36);  // Grafana 9.4+; 39 = Grafana 10.4
    EXPECT_FALSE(d.contains("id") && !d["id"].is_null()) << "provisioned dashboards carry no id";
    ASSERT_TRUE(d["time"]["from"].is_string());

    std::set<std::string> defined = {"__range", "__interval", "__rate_interval", "__range_s",
                                     "__interval_ms"};
    bool has_datasource_var = false;
    for (const auto& v : d["templating"]["list"]) {
      ASSERT_TRUE(v["name"].is_string());
      defined.insert(v["name"].get<std::string>());
      if (v["type"] == "datasource") {
        has_datasource_var = v["query"] == "prometheus";
      } else {
        EXPECT_EQ(v["type"], "query") << v["name"];
        EXPECT_EQ(v["datasource"]["type"], "prometheus");
        EXPECT_EQ(v["definition"].get<std::string>().rfind("label_values(chitragupta_", 0), 0u)
            << v["definition"];
      }
    }
    EXPECT_TRUE(has_datasource_var);

    std::set<int> ids;
    ASSERT_FALSE(d["panels"].empty());
    for (const auto& p : d["panels"]) {
      SCOPED_TRACE(p["title"].dump());
      EXPECT_TRUE(ids.insert(p["id"].get<int>()).second);
      static const std::set<std::string> kinds = {"stat",     "timeseries", "piechart",
                                                  "bargauge", "table",      "barchart"};
      EXPECT_TRUE(kinds.count(p["type"].get<std::string>())) << p["type"];
      for (const char* k : {"x", "y", "w", "h"}) ASSERT_TRUE(p["gridPos"][k].is_number());
      EXPECT_LE(p["gridPos"]["x"].get<int>() + p["gridPos"]["w"].get<int>(), 24);
      EXPECT_EQ(p["datasource"]["type"], "prometheus");
      EXPECT_EQ(p["datasource"]["uid"], "${datasource}");
      ASSERT_FALSE(p["targets"].empty());
      std::set<std::string> refs;
      for (const auto& t : p["targets"]) {
        EXPECT_TRUE(refs.insert(t["refId"].get<std::string>()).second);
        const std::string expr = t["expr"].get<std::string>();
        EXPECT_NE(expr.find("chitragupta_"), std::string::npos) << expr;
        for (const auto& v : variables_in(expr)) EXPECT_TRUE(defined.count(v)) << "$" << v;
      }
    }
  }
}

// ---------------------------------------------------------------- a real Prometheus

class GrafanaPanels : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { fixture_ = new Running(); }
  static void TearDownTestSuite() {
    delete fixture_;
    fixture_ = nullptr;
  }

  // The engine (after one run that emitted its dates) and Prometheus scraping it.
  struct Running {
    TempDir dir;
    int api_port = free_port();
    int prom_port = free_port();
    std::unique_ptr<SimProcess> sim;
    std::unique_ptr<EngineProcess> engine;
    std::unique_ptr<EngineProcess> prometheus;
    std::string error;

    Running() {
      sim = std::make_unique<SimProcess>(
          std::vector<std::string>{"--seed", "31", "--preset", "small"}, dir.path());
      if (sim->port() == 0) {
        error = "ccloud-sim did not start: " + sim->stderr_text();
        return;
      }
      write_file(dir.file("config.yaml"),
                 "features:\n  enable_periodic_refresh: false\napi:\n  host: 127.0.0.1\n  port: " +
                     std::to_string(api_port) +
                     "\ntenants:\n  acme:\n    ecosystem: confluent_cloud\n    tenant_id: acme\n"
                     "    lookback_days: 4\n    cutoff_days: 1\n    storage:\n"
                     "      connection_string: sqlite:///" +
                     dir.file("acme.db") +
                     "\n    plugin_settings:\n      ccloud_api:\n        key: sim-key\n"
                     "        secret: sim-secret\n        base_url: " +
                     sim->base_url() + "\n      metrics:\n        url: " + sim->base_url() +
                     "\n        auth_type: basic\n        username: sim-key\n"
                     "        password: sim-secret\n      emitters:\n        - type: prometheus\n"
                     // Its own listener on a free loopback port, not the original's default
                     // 0.0.0.0:8000, which tests running beside this one would share.
                     "          params: { host: 127.0.0.1, port: " +
                     std::to_string(free_port()) +
                     " }\n      topic_attribution:\n        enabled: true\n        emitters:\n"
                     "          - type: prometheus\n            params: { host: 127.0.0.1, port: " +
                     std::to_string(free_port()) + " }\n");
      engine = std::make_unique<EngineProcess>(
          std::vector<std::string>{"--config-file", dir.file("config.yaml"), "--mode", "both",
                                   "--run-once"},
          dir.path());
      const bool emitted = eventually(
          [&] {
            auto m = http_get(api_port, "/metrics");
            return m.status == 200 &&
                   m.body.find("\nchitragupta_chargeback_amount{") != std::string::npos &&
                   m.body.find("\nchitragupta_topic_attribution_amount{") != std::string::npos;
          },
          240s);
      if (!emitted) {
        error =
            "the engine never exposed chitragupta_chargeback_amount and "
            "chitragupta_topic_attribution_amount: " +
            engine->stderr_text();
        return;
      }
      write_file(dir.file("prometheus.yml"),
                 "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                 "storage:\n  tsdb:\n    out_of_order_time_window: 30d\n"
                 "scrape_configs:\n  - job_name: chitragupt\n    metrics_path: /metrics\n"
                 "    static_configs:\n      - targets: ['127.0.0.1:" +
                     std::to_string(api_port) + "']\n");
      prometheus = std::make_unique<EngineProcess>(
          std::vector<std::string>{"--config.file=" + dir.file("prometheus.yml"),
                                   "--storage.tsdb.path=" + dir.file("tsdb"),
                                   "--web.listen-address=127.0.0.1:" + std::to_string(prom_port)},
          dir.path(), "/usr/bin/prometheus", "prometheus");
      const bool scraped = eventually(
          [&] {
            return !instant("count(last_over_time(chitragupta_chargeback_amount[30d]))").empty();
          },
          60s);
      if (!scraped) error = "Prometheus holds no chitragupta samples: " + prometheus->stderr_text();
    }
    ~Running() {
      if (prometheus) {
        prometheus->signal(SIGTERM);
        prometheus->wait_exit(20s);
      }
      if (engine) {
        engine->signal(SIGTERM);
        engine->wait_exit(30s);
      }
    }

    json get(const std::string& path) const {
      httplib::Client client("127.0.0.1", prom_port);
      client.set_connection_timeout(1, 0);
      client.set_read_timeout(10, 0);
      auto res = client.Get(path.c_str());
      if (!res || res->status != 200) return nullptr;
      return json::parse(res->body, nullptr, false);
    }
    // The result vector of an instant query at now ([] when none or on error).
    json instant(const std::string& promql) const {
      json j = get("/api/v1/query?query=" + httplib::detail::encode_query_param(promql));
      if (!j.is_object() || j["status"] != "success") return json::array();
      return j["data"]["result"];
    }
    json range(const std::string& promql) const {
      const long long now = static_cast<long long>(std::time(nullptr));
      json j = get("/api/v1/query_range?query=" + httplib::detail::encode_query_param(promql) +
                   "&start=" + std::to_string(now - 30 * 86400) + "&end=" + std::to_string(now) +
                   "&step=86400");
      if (!j.is_object() || j["status"] != "success") return json::array();
      return j["data"]["result"];
    }
  };

  // A panel query with its variables as Grafana substitutes them: the tenant selected, every
  // other multi-value variable at "All" (its allValue, .*), $__range the dashboard's 30 days.
  static std::string substituted(std::string expr, const std::string& tenant) {
    auto replace_all = [&](const std::string& from, const std::string& to) {
      for (std::size_t at = expr.find(from); at != std::string::npos;
           at = expr.find(from, at + to.size())) {
        expr.replace(at, from.size(), to);
      }
    };
    replace_all("$__range", "30d");
    replace_all("$__rate_interval", "1d");
    replace_all("$__interval", "1d");
    replace_all("$tenant_id", tenant);
    static const std::regex var(R"(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)");
    return std::regex_replace(expr, var, ".*");
  }

  // Checks every panel of a dashboard; returns how many queries ran.
  static int check_panels(const std::string& name) {
    const Running& r = *fixture_;
    json d = dashboard(name);
    int queries = 0;
    for (const auto& p : d["panels"]) {
      for (const auto& t : p["targets"]) {
        const std::string expr = substituted(t["expr"].get<std::string>(), "acme");
        json result = t["instant"].get<bool>() ? r.instant(expr) : r.range(expr);
        EXPECT_FALSE(result.empty()) << name << " / " << p["title"] << ": no data for " << expr;
        ++queries;
      }
    }
    return queries;
  }

  static Running* fixture_;
};

GrafanaPanels::Running* GrafanaPanels::fixture_ = nullptr;

TEST_F(GrafanaPanels, every_chargeback_panel_query_returns_data) {
  ASSERT_TRUE(fixture_->error.empty()) << fixture_->error;
  EXPECT_GE(check_panels("chargeback-overview"), 10);
  EXPECT_GE(check_panels("chargeback-details"), 6);
}

TEST_F(GrafanaPanels, overview_total_equals_the_api_aggregate_to_the_cent) {
  ASSERT_TRUE(fixture_->error.empty()) << fixture_->error;
  const Running& r = *fixture_;
  // The dates Prometheus holds: the timestamps of the gauge's samples (midnight UTC).
  json raw =
      r.get("/api/v1/query?query=" + httplib::detail::encode_query_param(
                                         "chitragupta_chargeback_amount{tenant_id=\"acme\"}[30d]"));
  ASSERT_EQ(raw["status"], "success") << raw.dump();
  std::set<std::string> dates;
  for (const auto& series : raw["data"]["result"]) {
    for (const auto& v : series["values"]) {
      std::time_t t = static_cast<std::time_t>(v[0].get<double>());
      char buf[16];
      std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&t));
      dates.insert(buf);
    }
  }
  ASSERT_FALSE(dates.empty());

  json overview = dashboard("chargeback-overview");
  std::string total_expr;
  for (const auto& p : overview["panels"]) {
    if (p["title"] == "Total Cost") total_expr = p["targets"][0]["expr"];
  }
  ASSERT_FALSE(total_expr.empty());
  json total = r.instant(substituted(total_expr, "acme"));
  ASSERT_EQ(total.size(), 1u);
  const double prometheus_total = std::stod(total[0]["value"][1].get<std::string>());

  // The API's exact aggregate over the same dates (one call per date: they need not be
  // contiguous), summed in 0.0001 units.
  long long units = 0;
  for (const auto& date : dates) {
    auto reply =
        http_get(r.api_port, "/api/v1/tenants/acme/chargebacks/aggregate?start_date=" + date +
                                 "&end_date=" + date + "&timezone=UTC");
    ASSERT_EQ(reply.status, 200) << reply.body;
    const std::string amount = reply.json()["total_amount"].get<std::string>();
    const auto dot = amount.find('.');
    const std::string whole = amount.substr(0, dot);
    std::string frac = dot == std::string::npos ? "" : amount.substr(dot + 1);
    frac.resize(4, '0');
    const bool negative = !whole.empty() && whole[0] == '-';
    long long u = std::llabs(std::stoll(whole)) * 10000 + std::stoll(frac);
    units += negative ? -u : u;
  }
  const long long api_cents = (units >= 0 ? units + 50 : units - 50) / 100;
  const long long prom_cents = std::llround(prometheus_total * 100);
  EXPECT_EQ(prom_cents, api_cents) << "Prometheus " << prometheus_total << ", API " << units
                                   << " units over " << dates.size() << " dates";
}

TEST_F(GrafanaPanels, every_topic_attribution_panel_query_returns_data) {
  ASSERT_TRUE(fixture_->error.empty()) << fixture_->error;
  ASSERT_TRUE(eventually(
      [&] {
        return !fixture_
                    ->instant("count(last_over_time(chitragupta_topic_attribution_amount[30d]))")
                    .empty();
      },
      60s));
  EXPECT_GE(check_panels("topic-attribution"), 10);
}

}  // namespace
}  // namespace chitragupt::testing
