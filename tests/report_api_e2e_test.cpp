// The report API over real HTTP: the real engine runs its pipeline against a real ccloud-sim,
// then every route answers on 127.0.0.1 with figures that agree with the tenant's SQLite file;
// unknown and not-ready tenants, the bearer token, pipeline/run and the streamed CSV export.

#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "allocation/money.hpp"
#include "storage/database.hpp"
#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kToken = "tok-R3PORT-secret";

std::string money_text(std::int64_t units) {
  return allocation::Money::from_units(units).to_string();
}

std::int64_t money_units(const std::string& text) {
  auto m = allocation::Money::parse(text);
  EXPECT_TRUE(m.is_ok()) << text;
  return m ? m->units() : 0;
}

// Sums the `amount` column of a CSV body (no quoted commas in the default columns' values we
// sum; quoted fields are skipped over correctly anyway).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
    } else if (c == '\n') {
      if (!field.empty() && field.back() == '\r') field.pop_back();
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
    } else {
      field += c;
    }
  }
  if (!field.empty() || !row.empty()) {
    row.push_back(field);
    rows.push_back(row);
  }
  return rows;
}

class ReportApiE2E : public ::testing::Test {
 protected:
  TempDir dir_;
  int port_ = free_port();
  std::string config_path_ = dir_.file("config.yaml");
  std::string db_path_ = dir_.file("acme.db");

  void TearDown() override { unsetenv("CHITRAGUPT_EXPORT_CHUNK_ROWS"); }

  // One Confluent Cloud tenant reading from `sim`; periodic refresh off: one run at start.
  void write_config(const SimProcess& sim, const std::string& api_extra) {
    write_file(config_path_,
               "features:\n  enable_periodic_refresh: false\n"
               "api:\n  host: 127.0.0.1\n  port: " +
                   std::to_string(port_) + "\n" + api_extra +
                   "tenants:\n  acme:\n    ecosystem: confluent_cloud\n    tenant_id: acme\n"
                   "    lookback_days: 6\n    cutoff_days: 1\n"
                   "    storage:\n      connection_string: sqlite:///" +
                   db_path_ +
                   // Every run gathers (the original's default gap of 1800 s would make the
                   // run asked for below skip it and end before it can be asked for twice).
                   "\n    plugin_settings:\n      min_refresh_gap_seconds: 0\n"
                   "      ccloud_api:\n        key: sim-key\n"
                   "        secret: sim-secret\n        base_url: " +
                   sim.base_url() + "\n      metrics:\n        url: " + sim.base_url() +
                   "\n        auth_type: basic\n        username: sim-key\n"
                   "        password: sim-secret\n");
  }

  std::unique_ptr<EngineProcess> start(const std::string& mode = "both") {
    return std::make_unique<EngineProcess>(
        std::vector<std::string>{"--config-file", config_path_, "--mode", mode}, dir_.path());
  }

  // Waits (bounded) until the tenant's last run has ended, with `status`.
  bool run_finished(const std::string& status, std::chrono::milliseconds limit = 120s) {
    return eventually(
        [&] {
          auto h = http_get(port_, "/health").json();
          if (!h.is_object()) return false;
          for (const auto& t : h["tenants"]) {
            if (t["name"] == "acme" && t["state"] != "running" && t["last_run"].is_object() &&
                t["last_run"]["status"] == status) {
              return true;
            }
          }
          return false;
        },
        limit);
  }

  std::string scalar(const std::string& sql) {
    auto db = storage::open_database("sqlite:///" + db_path_);
    EXPECT_TRUE(db.is_ok());
    auto rows = (*db)->query(sql);
    EXPECT_TRUE(rows.is_ok()) << rows.error();
    return rows->empty() ? "" : (*rows)[0].get_text(0);
  }

  HttpReply get(const std::string& path) { return http_get(port_, path, kToken); }
};

TEST_F(ReportApiE2E, every_route_answers_over_http_in_agreement_with_the_database) {
  SimProcess sim({"--seed", "7", "--preset", "small"}, dir_.path());
  ASSERT_GT(sim.port(), 0) << sim.stderr_text();
  write_config(sim, std::string("  auth_token: ") + kToken + "\n");
  setenv("CHITRAGUPT_EXPORT_CHUNK_ROWS", "50", 1);
  auto engine = start();
  ASSERT_TRUE(run_finished("completed")) << engine->stderr_text();

  const std::string base = "/api/v1/tenants/acme";
  // Auth: every report route needs the token.
  EXPECT_EQ(http_get(port_, base + "/chargebacks/dates").status, 401);
  EXPECT_EQ(http_get(port_, base + "/chargebacks/dates", "wrong").status, 401);
  EXPECT_EQ(get(base + "/chargebacks/dates").status, 200);

  // Aggregate total over the default window (last 30 days) == the facts in the database ==
  // the billing lines served by the billing route (every billed amount is allocated exactly).
  const std::int64_t db_total = std::stoll(scalar("SELECT SUM(amount) FROM chargeback_facts"));
  ASSERT_GT(db_total, 0);
  auto aggregate = get(base + "/chargebacks/aggregate?group_by=product_type&time_bucket=day");
  ASSERT_EQ(aggregate.status, 200) << aggregate.body;
  auto agg = aggregate.json();
  EXPECT_EQ(agg["total_amount"], money_text(db_total));
  std::int64_t bucket_sum = 0;
  for (const auto& b : agg["buckets"]) bucket_sum += money_units(b["total_amount"]);
  EXPECT_EQ(bucket_sum, db_total);

  std::int64_t billed = 0;
  std::int64_t billing_items = 0;
  for (int page = 1; page < 100; ++page) {
    auto billing = get(base + "/billing?page_size=1000&page=" + std::to_string(page));
    ASSERT_EQ(billing.status, 200) << billing.body;
    auto j = billing.json();
    for (const auto& line : j["items"]) {
      billed += allocation::Money::parse(line["total_cost"].get<std::string>())->units();
      billing_items++;
    }
    if (page >= j["pages"].get<int>()) break;
  }
  EXPECT_EQ(billing_items, std::stoll(scalar("SELECT COUNT(*) FROM ccloud_billing")));
  EXPECT_EQ(billed, db_total);

  // Pagination envelope of chargebacks: total == rows in the database.
  auto chargebacks = get(base + "/chargebacks?page_size=7&page=2");
  ASSERT_EQ(chargebacks.status, 200) << chargebacks.body;
  auto cb = chargebacks.json();
  const std::int64_t fact_rows = std::stoll(scalar("SELECT COUNT(*) FROM chargeback_facts"));
  EXPECT_EQ(cb["total"].get<std::int64_t>(), fact_rows);
  EXPECT_EQ(cb["page"], 2);
  EXPECT_EQ(cb["page_size"], 7);
  EXPECT_EQ(cb["items"].size(), 7u);
  EXPECT_EQ(cb["pages"].get<std::int64_t>(), (fact_rows + 6) / 7);

  // Dates: those of the facts.
  auto dates = get(base + "/chargebacks/dates").json();
  EXPECT_EQ(dates["dates"].size(),
            static_cast<std::size_t>(std::stoll(
                scalar("SELECT COUNT(DISTINCT substr(timestamp, 1, 10)) FROM chargeback_facts"))));

  // One dimension by id, and an unknown one.
  const std::string dimension = scalar("SELECT MIN(dimension_id) FROM chargeback_dimensions");
  auto one = get(base + "/chargebacks/" + dimension);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(std::to_string(one.json()["dimension_id"].get<std::int64_t>()), dimension);
  EXPECT_EQ(get(base + "/chargebacks/999999999").status, 404);

  // The other read routes answer JSON.
  for (const char* route :
       {"/status", "/chargebacks/allocation-issues", "/resources", "/identities",
        "/inventory/summary", "/tags", "/tags/keys", "/pipeline/status"}) {
    auto r = get(base + route);
    EXPECT_EQ(r.status, 200) << route << ": " << r.body;
    EXPECT_TRUE(r.json().is_object()) << route;
  }
  auto resources = get(base + "/resources?page_size=1000").json();
  EXPECT_EQ(resources["total"].get<std::int64_t>(),
            std::stoll(scalar("SELECT COUNT(*) FROM resources")));

  // A bad parameter is a 400 naming it, passed through unchanged.
  auto bad = get(base + "/chargebacks/aggregate?time_bucket=fortnight");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("time_bucket"), std::string::npos) << bad.body;

  // Unknown tenant: 404, the name JSON-escaped inside the message, never raw.
  auto unknown = get("/api/v1/tenants/%22%3E%3Cb%3Enope/billing");
  EXPECT_EQ(unknown.status, 404);
  auto uj = unknown.json();
  ASSERT_TRUE(uj.is_object()) << unknown.body;
  EXPECT_EQ(uj["error"]["code"], "not_found");
  EXPECT_NE(uj["error"]["message"].get<std::string>().find("\"\\\"><b>nope\""), std::string::npos)
      << unknown.body;

  // Export: streamed in chunks of 50 rows, read back and summed == the aggregate total.
  auto exported = http_send(port_, "POST", base + "/export", "{}", kToken);
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(exported.header("transfer-encoding"), "chunked");
  EXPECT_NE(exported.header("content-disposition").find("attachment"), std::string::npos);
  EXPECT_NE(exported.header("content-disposition").find("chargebacks.csv"), std::string::npos);
  EXPECT_EQ(exported.header("content-type").rfind("text/csv", 0), 0u);
  auto csv = parse_csv(exported.body);
  ASSERT_GT(csv.size(), 101u) << "fewer rows than three chunks";
  const auto& header = csv.front();
  auto amount_col = std::find(header.begin(), header.end(), "amount") - header.begin();
  ASSERT_LT(static_cast<std::size_t>(amount_col), header.size());
  std::int64_t exported_total = 0;
  for (std::size_t i = 1; i < csv.size(); ++i) exported_total += money_units(csv[i][amount_col]);
  EXPECT_EQ(static_cast<std::int64_t>(csv.size() - 1), fact_rows);
  EXPECT_EQ(exported_total, db_total);
  // A bad export body is an ordinary JSON 400, not a broken stream.
  auto bad_export = http_send(port_, "POST", base + "/export", R"({"columns":["nope"]})", kToken);
  EXPECT_EQ(bad_export.status, 400) << bad_export.body;

  // pipeline/run: started, then already running while that run is in progress.
  const auto runs_before = std::stoll(scalar("SELECT COUNT(*) FROM pipeline_runs"));
  auto run = http_send(port_, "POST", base + "/pipeline/run", "", kToken);
  ASSERT_EQ(run.status, 202) << run.body;
  EXPECT_EQ(run.json()["status"], "started");
  EXPECT_EQ(run.json()["tenant_name"], "acme");
  auto again = http_send(port_, "POST", base + "/pipeline/run", "", kToken);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.json()["error"]["code"], "already_running");
  EXPECT_EQ(again.json()["status"], "already_running");
  ASSERT_TRUE(eventually(
      [&] {
        auto s = get(base + "/pipeline/status").json();
        return s.is_object() && s["is_running"] == false &&
               std::stoll(scalar("SELECT COUNT(*) FROM pipeline_runs")) == runs_before + 1;
      },
      120s))
      << engine->stderr_text();
  EXPECT_EQ(scalar("SELECT status FROM pipeline_runs ORDER BY id DESC LIMIT 1"), "completed");
  // Recorded, and shown by pipeline/status, as asked for by hand, not as a scheduled run.
  EXPECT_EQ(scalar("SELECT \"trigger\" FROM pipeline_runs ORDER BY id DESC LIMIT 1"), "manual");
  EXPECT_EQ(get(base + "/pipeline/status").json()["last_run"]["trigger"], "manual");

  engine->signal(SIGTERM);
  EXPECT_EQ(engine->wait_exit(30s), std::optional<int>(0));
  EXPECT_EQ(engine->stderr_text().find(kToken), std::string::npos);
}

std::string api_only_config(int port,
                            const std::vector<std::pair<std::string, std::string>>& tenants) {
  std::string y = "api:\n  host: 127.0.0.1\n  port: " + std::to_string(port) + "\ntenants:\n";
  for (const auto& [name, db] : tenants) {
    // --mode api: the Confluent Cloud API is never contacted.
    y += "  " + name + ":\n    ecosystem: confluent_cloud\n    tenant_id: " + name +
         "\n    storage:\n      connection_string: sqlite:///" + db +
         "\n    plugin_settings:\n      ccloud_api: { key: k, secret: s }\n";
  }
  return y;
}

TEST_F(ReportApiE2E, api_mode_without_token_serves_reads_refuses_runs_and_503s_a_failed_tenant) {
  write_file(dir_.file("broken.db"), "this is not a database, just bytes\n");
  write_file(config_path_, api_only_config(port_, {{"good", dir_.file("good.db")},
                                                   {"broken", dir_.file("broken.db")}}));
  auto engine = start("api");
  ASSERT_TRUE(eventually(
      [&] { return http_get(port_, "/api/v1/tenants/good/chargebacks/dates").status == 200; }, 20s))
      << engine->stderr_text();
  // No token configured: report routes answer without one.
  auto dates = http_get(port_, "/api/v1/tenants/good/chargebacks/dates");
  EXPECT_EQ(dates.json()["dates"], nlohmann::json::array());
  auto agg = http_get(port_, "/api/v1/tenants/good/chargebacks/aggregate").json();
  EXPECT_EQ(agg["total_amount"], "0.0000");

  auto run = http_send(port_, "POST", "/api/v1/tenants/good/pipeline/run");
  EXPECT_EQ(run.status, 400) << run.body;
  EXPECT_NE(run.body.find("--mode api"), std::string::npos) << run.body;

  auto broken = http_get(port_, "/api/v1/tenants/broken/chargebacks/dates");
  EXPECT_EQ(broken.status, 503) << broken.body;
  EXPECT_EQ(broken.json()["error"]["code"], "tenant_not_ready");
  EXPECT_EQ(http_get(port_, "/api/v1/tenants/nobody/chargebacks/dates").status, 404);
  EXPECT_EQ(http_get(port_, "/api/v1/tenants/good/no-such-route").status, 404);

  engine->signal(SIGTERM);
  EXPECT_EQ(engine->wait_exit(30s), std::optional<int>(0));
}

TEST_F(ReportApiE2E, openapi_document_is_served_and_lists_the_report_routes) {
  write_file(config_path_, api_only_config(port_, {{"good", dir_.file("good.db")}}));
  auto engine = start("api");
  ASSERT_TRUE(eventually([&] { return http_get(port_, "/ready").status == 200; }, 20s))
      << engine->stderr_text();
  auto doc = http_get(port_, "/openapi.json");
  ASSERT_EQ(doc.status, 200);
  auto j = doc.json();
  ASSERT_TRUE(j.is_object());
  EXPECT_TRUE(j["paths"].contains("/api/v1/tenants/{tenant}/chargebacks/aggregate"));
  EXPECT_TRUE(j["paths"]["/api/v1/tenants/{tenant}/export"].contains("post"));
  engine->signal(SIGTERM);
  EXPECT_EQ(engine->wait_exit(30s), std::optional<int>(0));
}

}  // namespace
}  // namespace chitragupt::testing
