// The real engine against a real ccloud-sim over loopback: what was gathered equals what the
// simulator served (/sim/v1/truth), chargebacks conserve every billed amount, re-runs change
// nothing, faults are retried and a permanent failure leaves the database as it was.

#include <signal.h>

#include <chrono>
#include <ctime>
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <httplib.h>

#include "allocation/decimal.hpp"
#include "allocation/money.hpp"
#include "storage/database.hpp"
#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;

nlohmann::json sim_truth(const SimProcess& sim) {
  httplib::Client client("127.0.0.1", sim.port());
  client.set_basic_auth("sim-key", "sim-secret");
  client.set_read_timeout(10, 0);
  auto res = client.Get("/sim/v1/truth");
  if (!res || res->status != 200) return nullptr;
  return nlohmann::json::parse(res->body);
}

std::string utc_date(int days_from_today) {
  std::time_t t = std::time(nullptr) + static_cast<std::time_t>(days_from_today) * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

class CcloudE2E : public ::testing::Test {
 protected:
  static constexpr int kLookback = 6;
  static constexpr int kCutoff = 1;

  TempDir dir_;
  std::string config_path_ = dir_.file("config.yaml");
  std::string db_url_ = "sqlite:///" + dir_.file("tenant.db");

  void write_config(const SimProcess& sim, int max_retries = 5) {
    write_file(config_path_,
               "tenants:\n  acme:\n    ecosystem: confluent_cloud\n    tenant_id: acme\n"
               "    lookback_days: " +
                   std::to_string(kLookback) + "\n    cutoff_days: " + std::to_string(kCutoff) +
                   "\n    storage:\n      connection_string: " + db_url_ +
                   "\n    plugin_settings:\n      ccloud_api:\n        key: sim-key\n"
                   "        secret: ${SIM_SECRET}\n        base_url: " +
                   sim.base_url() + "\n        max_retries: " + std::to_string(max_retries) +
                   "\n      billing_api:\n        days_per_query: 2\n"
                   "      metrics:\n        url: " +
                   sim.base_url() +
                   "\n        auth_type: basic\n        username: sim-key\n"
                   "        password: ${SIM_SECRET}\n");
    write_file(dir_.file(".env"), "SIM_SECRET=sim-secret\n");
  }

  int run_once() {
    EngineProcess engine({"--config-file", config_path_, "--mode", "worker", "--run-once"},
                         dir_.path());
    auto code = engine.wait_exit(240s);
    last_log_ = engine.stderr_text();
    return code.value_or(-1);
  }

  std::unique_ptr<storage::Database> db() {
    auto opened = storage::open_database(db_url_);
    EXPECT_TRUE(opened.is_ok()) << opened.error();
    return opened ? std::move(*opened) : nullptr;
  }

  std::vector<std::string> column(const std::string& sql) {
    auto rows = db()->query(sql);
    EXPECT_TRUE(rows.is_ok()) << rows.error();
    std::vector<std::string> out;
    for (const auto& r : *rows) {
      std::string line;
      for (std::size_t i = 0; i < r.values.size(); ++i) line += (i ? "|" : "") + r.get_text(i);
      out.push_back(line);
    }
    return out;
  }

  // Every table the pipeline writes, row by row, except the run log and last_seen_at (which a
  // re-run rightly moves forward).
  std::vector<std::string> dump() {
    std::vector<std::string> out;
    for (const char* sql :
         {"SELECT resource_id, resource_type, display_name, parent_id, owner_id, status, cloud, "
          "region, created_at, deleted_at, metadata_json FROM resources ORDER BY resource_id",
          "SELECT identity_id, identity_type, display_name, created_at, deleted_at, metadata_json "
          "FROM identities ORDER BY identity_id",
          "SELECT * FROM ccloud_billing ORDER BY timestamp, env_id, resource_id, product_type, "
          "product_category",
          "SELECT ecosystem, tenant_id, tracking_date, billing_gathered, resources_gathered, "
          "chargeback_calculated FROM pipeline_state ORDER BY tracking_date",
          "SELECT * FROM chargeback_dimensions ORDER BY dimension_id",
          "SELECT * FROM chargeback_facts ORDER BY timestamp, dimension_id"}) {
      auto rows = column(sql);
      out.insert(out.end(), rows.begin(), rows.end());
      out.push_back("--");
    }
    return out;
  }

  static void expect_same_rows(const std::vector<std::string>& now,
                               const std::vector<std::string>& before) {
    ASSERT_EQ(now.size(), before.size());
    for (std::size_t i = 0; i < now.size(); ++i) {
      ASSERT_EQ(now[i], before[i]) << "first difference at row " << i;
    }
  }

  // The run log's last status.
  std::string last_run_status() {
    auto rows = column("SELECT status FROM pipeline_runs ORDER BY id DESC LIMIT 1");
    return rows.empty() ? "" : rows.front();
  }

  std::string last_log_;
};

TEST_F(CcloudE2E, gathered_billing_and_objects_equal_what_the_simulator_served) {
  SimProcess sim({"--seed", "11", "--preset", "small"}, dir_.path());
  ASSERT_GT(sim.port(), 0) << sim.stderr_text();
  write_config(sim);
  ASSERT_EQ(run_once(), 0) << last_log_;
  EXPECT_EQ(last_run_status(), "completed") << last_log_;
  auto truth = sim_truth(sim);
  ASSERT_TRUE(truth.is_object());

  // Billing per day: the raw sum gathered equals the simulator's, for every date of the window.
  std::map<std::string, nlohmann::json> truth_days;
  for (const auto& d : truth["billing"]["days"]) truth_days[d["date"]] = d;
  std::map<std::string, allocation::Decimal> gathered;
  std::map<std::string, std::int64_t> quantized_lines;  // Σ q(line) per day, in 0.0001 units
  for (const auto& row :
       column("SELECT substr(timestamp, 1, 10), total_cost FROM ccloud_billing")) {
    auto bar = row.find('|');
    std::string date = row.substr(0, bar);
    auto amount = allocation::Decimal::parse(row.substr(bar + 1));
    ASSERT_TRUE(amount.is_ok()) << row;
    auto& sum = gathered[date];
    sum = *sum.add(*amount);
    quantized_lines[date] += allocation::Money::parse(row.substr(bar + 1))->units();
  }
  int days = 0;
  for (int i = -kLookback; i < -kCutoff; ++i) {
    const std::string date = utc_date(i);
    ASSERT_TRUE(truth_days.count(date)) << date;
    auto expected = allocation::Decimal::parse(truth_days[date]["amount_raw"].get<std::string>());
    ASSERT_TRUE(gathered.count(date)) << date;
    EXPECT_EQ(gathered[date].compare(*expected), 0)
        << date << ": gathered " << gathered[date].to_string() << " served "
        << expected->to_string();
    days++;
  }
  EXPECT_EQ(days, kLookback - kCutoff);
  EXPECT_EQ(gathered.size(), static_cast<std::size_t>(kLookback - kCutoff));

  // Conservation: each day's chargebacks sum exactly to the day's quantized billing lines.
  std::map<std::string, std::int64_t> allocated;
  for (const auto& row :
       column("SELECT substr(timestamp, 1, 10), SUM(amount) FROM chargeback_facts GROUP BY 1")) {
    auto bar = row.find('|');
    allocated[row.substr(0, bar)] = std::stoll(row.substr(bar + 1));
  }
  EXPECT_EQ(allocated, quantized_lines);
  // No billing line without chargeback rows.
  auto orphans = column(
      "SELECT b.resource_id, b.product_type, b.timestamp FROM ccloud_billing b WHERE NOT EXISTS "
      "(SELECT 1 FROM chargeback_facts f JOIN chargeback_dimensions d ON d.dimension_id = "
      "f.dimension_id WHERE f.timestamp = b.timestamp AND d.resource_id = b.resource_id AND "
      "d.product_type = b.product_type)");
  EXPECT_TRUE(orphans.empty()) << orphans.front();

  // Objects: what is listed now equals the simulator's live object counts.
  const auto& objects = truth["objects"];
  auto count = [&](const std::string& sql) { return std::stoll(column(sql).front()); };
  const std::map<std::string, std::string> resource_types = {
      {"environments", "environment"},       {"kafka_clusters", "kafka_cluster"},
      {"connectors", "connector"},           {"schema_registries", "schema_registry"},
      {"ksqldb_clusters", "ksqldb_cluster"}, {"flink_compute_pools", "flink_compute_pool"}};
  for (const auto& [key, type] : resource_types) {
    EXPECT_EQ(count("SELECT count(*) FROM resources WHERE status = 'active' AND resource_type = '" +
                    type + "'"),
              objects[key].get<std::int64_t>())
        << key;
  }
  const std::map<std::string, std::string> identity_types = {
      {"service_accounts", "service_account"},
      {"users", "user"},
      {"api_keys", "api_key"},
      {"identity_providers", "identity_provider"},
      {"identity_pools", "identity_pool"}};
  for (const auto& [key, type] : identity_types) {
    EXPECT_EQ(count("SELECT count(*) FROM identities WHERE deleted_at IS NULL AND "
                    "identity_type = '" +
                    type + "'"),
              objects[key].get<std::int64_t>())
        << key;
  }
  EXPECT_EQ(last_log_.find("sim-secret"), std::string::npos);

  // A second run changes nothing.
  auto before = dump();
  ASSERT_EQ(run_once(), 0) << last_log_;
  EXPECT_EQ(last_run_status(), "completed");
  expect_same_rows(dump(), before);
}

TEST_F(CcloudE2E, injected_faults_are_retried_until_the_gather_converges) {
  SimProcess sim({"--seed", "12", "--fail-rate", "0.2", "--truncate-rate", "0.05"}, dir_.path());
  ASSERT_GT(sim.port(), 0) << sim.stderr_text();
  write_config(sim);
  ASSERT_EQ(run_once(), 0) << last_log_;
  EXPECT_EQ(last_run_status(), "completed") << last_log_;
  // Every date of the window is calculated and conserves its billing.
  EXPECT_EQ(column("SELECT count(*) FROM pipeline_state WHERE chargeback_calculated = 1").front(),
            std::to_string(kLookback - kCutoff));
  auto billed =
      column("SELECT substr(timestamp, 1, 10), total_cost FROM ccloud_billing ORDER BY 1");
  std::map<std::string, std::int64_t> expected;
  for (const auto& row : billed) {
    auto bar = row.find('|');
    expected[row.substr(0, bar)] += allocation::Money::parse(row.substr(bar + 1))->units();
  }
  std::map<std::string, std::int64_t> allocated;
  for (const auto& row :
       column("SELECT substr(timestamp, 1, 10), SUM(amount) FROM chargeback_facts GROUP BY 1")) {
    auto bar = row.find('|');
    allocated[row.substr(0, bar)] = std::stoll(row.substr(bar + 1));
  }
  EXPECT_EQ(allocated, expected);
  EXPECT_NE(last_log_.find("retry"), std::string::npos) << "no fault was injected at all?";
}

TEST_F(CcloudE2E, a_permanent_billing_failure_leaves_the_database_as_it_was) {
  {
    SimProcess sim({"--seed", "13"}, dir_.path());
    ASSERT_GT(sim.port(), 0);
    write_config(sim);
    ASSERT_EQ(run_once(), 0) << last_log_;
  }
  auto before = dump();
  SimProcess broken({"--seed", "14", "--fail-path", "/billing"}, dir_.path());
  ASSERT_GT(broken.port(), 0);
  write_config(broken, /*max_retries=*/1);
  ASSERT_EQ(run_once(), 0) << last_log_;
  EXPECT_EQ(last_run_status(), "failed");
  auto error = column("SELECT error_message FROM pipeline_runs ORDER BY id DESC LIMIT 1").front();
  EXPECT_NE(error.find("billing"), std::string::npos) << error;
  // The other seed's organisation was fetched, but nothing of it was committed.
  expect_same_rows(dump(), before);
}

TEST_F(CcloudE2E, bad_credentials_fail_the_run_without_revealing_the_secret) {
  SimProcess sim({"--seed", "15", "--api-secret", "the-right-one"}, dir_.path());
  ASSERT_GT(sim.port(), 0);
  write_config(sim);  // sends sim-secret: wrong
  ASSERT_EQ(run_once(), 0) << last_log_;
  EXPECT_EQ(last_run_status(), "failed");
  auto error = column("SELECT error_message FROM pipeline_runs ORDER BY id DESC LIMIT 1").front();
  EXPECT_NE(error.find("401"), std::string::npos) << error;
  EXPECT_EQ(error.find("sim-secret"), std::string::npos);
  EXPECT_EQ(last_log_.find("sim-secret"), std::string::npos);
}

TEST_F(CcloudE2E, repeated_gather_failures_back_off_and_say_why_in_health) {
  SimProcess sim({"--seed", "16", "--fail-path", "/billing"}, dir_.path());
  ASSERT_GT(sim.port(), 0);
  const int port = free_port();
  write_file(
      config_path_,
      "features:\n  refresh_interval: 1\napi:\n  host: 127.0.0.1\n  port: " + std::to_string(port) +
          "\ntenants:\n  acme:\n    ecosystem: confluent_cloud\n    tenant_id: acme\n"
          "    gather_failure_threshold: 2\n    lookback_days: 3\n    cutoff_days: 1\n"
          "    storage:\n      connection_string: " +
          db_url_ +
          "\n    plugin_settings:\n      ccloud_api:\n        key: sim-key\n"
          "        secret: sim-secret\n        max_retries: 0\n        base_url: " +
          sim.base_url() + "\n");
  EngineProcess engine({"--config-file", config_path_}, dir_.path());
  std::string error;
  ASSERT_TRUE(eventually(
      [&] {
        auto h = http_get(port, "/health").json();
        if (!h.is_object() || h["tenants"].empty()) return false;
        const auto& t = h["tenants"][0];
        if (!t["error"].is_string()) return false;
        error = t["error"].get<std::string>();
        return t["state"] == "degraded" && error.find("backing off") != std::string::npos;
      },
      30s))
      << error << engine.stderr_text();
  EXPECT_NE(error.find("gather_failure_threshold 2"), std::string::npos) << error;
  EXPECT_NE(error.find("billing"), std::string::npos) << error;
  EXPECT_EQ(error.find("sim-secret"), std::string::npos);
  engine.signal(SIGTERM);
  EXPECT_EQ(engine.wait_exit(30s), std::optional<int>(0));
}

}  // namespace
}  // namespace chitragupt::testing
