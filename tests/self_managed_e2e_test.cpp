// self_managed_kafka and generic_metrics_only end to end on a REAL Prometheus: kafka-metrics-gen
// writes days of a cluster's broker metrics and their truth, promtool backfills them, Prometheus
// serves them on a free loopback port, and the real binary runs once against it. The billing
// lines must carry the truth's bytes (GiB = 2^30 bytes, exact), and each line's chargeback rows
// must be the exact split of its amount (usage ratio by principal bytes; even split over the
// principals seen) and sum to it. On SQLite and on the PostgreSQL test server.

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "allocation/money.hpp"
#include "allocation/split.hpp"
#include "sources/civil_date.hpp"
#include "sources/decimal_text.hpp"
#include "storage/database.hpp"
#include "storage/pg_test_env.hpp"
#include "tests/support/engine_process.hpp"
#include "tests/support/prometheus_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;
using allocation::Money;
namespace pg_env = chitragupt::storage::testing;

// One generated cluster on one real Prometheus, shared by the tests of this file.
class RealPrometheus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!prometheus_available()) return;
    dir_ = new TempDir();
    auto gen = run_program(
        KAFKA_METRICS_GEN_BINARY,
        {"--out", dir_->file("metrics.om"), "--truth", dir_->file("truth.json"), "--days", "4",
         "--brokers", "3", "--principals", "7", "--topics", "3", "--seed", "21"},
        120s);
    if (gen.exit_code != 0) {
      why_ = "kafka-metrics-gen failed: " + gen.err;
      return;
    }
    truth_ = new nlohmann::json(nlohmann::json::parse(read_file(dir_->file("truth.json"))));
    prometheus_ = new PrometheusProcess(dir_->file("metrics.om"), dir_->path());
    if (!prometheus_->ok()) why_ = prometheus_->error();
  }
  static void TearDownTestSuite() {
    delete prometheus_;
    delete truth_;
    delete dir_;
  }
  void SetUp() override {
    if (!prometheus_available()) {
      if (pg_env::running_in_ci()) FAIL() << "prometheus/promtool missing under CI=true";
      GTEST_SKIP() << "SKIPPED: prometheus and promtool are not installed";
    }
    ASSERT_TRUE(why_.empty()) << why_;
  }

  static const nlohmann::json& day_truth(const std::string& date) {
    for (const auto& d : (*truth_)["days"]) {
      if (d["date"] == date) return d;
    }
    static const nlohmann::json none;
    return none;
  }

  static TempDir* dir_;
  static nlohmann::json* truth_;
  static PrometheusProcess* prometheus_;
  static std::string why_;
};
TempDir* RealPrometheus::dir_ = nullptr;
nlohmann::json* RealPrometheus::truth_ = nullptr;
PrometheusProcess* RealPrometheus::prometheus_ = nullptr;
std::string RealPrometheus::why_;

std::vector<storage::Row> rows(const std::string& db_url, const std::string& sql) {
  auto db = storage::open_database(db_url);
  if (!db) return {};
  auto r = (*db)->query(sql);
  return r ? *r : std::vector<storage::Row>{};
}

std::string smk_config(const std::string& db_url, const std::string& prometheus_url) {
  return "tenants:\n  dc1:\n    ecosystem: self_managed_kafka\n    tenant_id: dc1\n"
         "    lookback_days: 4\n    cutoff_days: 1\n    storage:\n      connection_string: " +
         db_url +
         "\n    plugin_settings:\n      cluster_id: kafka-dc1\n      broker_count: 3\n"
         "      region: eu-west-1\n      discovery_window_hours: 240\n"
         "      cost_model:\n        compute_hourly_rate: \"0.50\"\n"
         "        storage_per_gib_hourly: \"0.000125\"\n        network_ingress_per_gib: \"0.01\"\n"
         "        network_egress_per_gib: \"0.09\"\n        region_overrides:\n"
         "          eu-west-1:\n            compute_hourly_rate: \"0.60\"\n"
         "      metrics:\n        url: " +
         prometheus_url +
         "\n      identity_source:\n        principal_to_team:\n          \"User:svc-1\": data\n";
}

// Checks one database after a run of smk_config: billing from the truth, rows from the billing.
void check_self_managed(const std::string& db_url, const nlohmann::json& truth_days,
                        const std::function<const nlohmann::json&(const std::string&)>& day_truth) {
  EXPECT_EQ(
      rows(db_url, "SELECT status FROM pipeline_runs ORDER BY id DESC LIMIT 1").front().get_text(0),
      "completed");
  auto billing = rows(db_url,
                      "SELECT substr(timestamp, 1, 10), product_type, quantity, unit_price, "
                      "total_cost FROM billing ORDER BY timestamp, product_type");
  ASSERT_EQ(billing.size(), 12u) << "3 days x 4 product types";
  for (const auto& b : billing) {
    const std::string date = b.get_text(0), type = b.get_text(1);
    const auto& t = day_truth(date);
    ASSERT_FALSE(t.is_null()) << date;
    std::string quantity;
    if (type == "SELF_KAFKA_COMPUTE") quantity = "72";
    if (type == "SELF_KAFKA_NETWORK_INGRESS")
      quantity = *ccloud::divide_by_power_of_two(std::to_string(t["bytes_in"].get<int64_t>()), 30);
    if (type == "SELF_KAFKA_NETWORK_EGRESS")
      quantity = *ccloud::divide_by_power_of_two(std::to_string(t["bytes_out"].get<int64_t>()), 30);
    // The original computed in 28 significant digits (half-even); so do the lines.
    if (type == "SELF_KAFKA_STORAGE")
      quantity = *ccloud::round_significant(
          *ccloud::multiply_decimal(*ccloud::divide_by_power_of_two(
                                        std::to_string(t["storage_bytes"].get<int64_t>()), 30),
                                    "24"),
          28);
    EXPECT_EQ(ccloud::compare_decimal(b.get_text(2), quantity), 0)
        << date << " " << type << ": " << b.get_text(2) << " vs " << quantity;
    EXPECT_EQ(ccloud::compare_decimal(b.get_text(4),
                                      *ccloud::round_significant(
                                          *ccloud::multiply_decimal(quantity, b.get_text(3)), 28)),
              0)
        << date << " " << type;

    // The rows of the line: exactly the split the truth implies, in sorted principal order.
    const Money total = *Money::parse(b.get_text(4));
    auto facts = rows(db_url,
                      "SELECT d.identity_id, f.amount, d.cost_type, d.allocation_method FROM "
                      "chargeback_facts f JOIN chargeback_dimensions d ON d.dimension_id = "
                      "f.dimension_id WHERE substr(f.timestamp, 1, 10) = '" +
                          date + "' AND d.product_type = '" + type + "' ORDER BY d.identity_id");
    std::map<std::string, Money> got;
    std::int64_t sum = 0;
    for (const auto& f : facts) {
      got[f.get_text(0)] = Money::from_units(f.get_int(1));
      sum += f.get_int(1);
    }
    EXPECT_EQ(sum, total.units()) << "conservation: " << date << " " << type;
    std::map<std::string, Money> want;
    if (type == "SELF_KAFKA_COMPUTE" || type == "SELF_KAFKA_STORAGE") {
      std::vector<std::string> ids;
      for (const auto& [p, v] : t["principals"].items()) ids.push_back(p);
      auto shares = allocation::split_evenly(total, ids.size());
      for (std::size_t i = 0; i < ids.size(); ++i) want[ids[i]] = shares[i];
    } else {
      const char* dir = type == "SELF_KAFKA_NETWORK_INGRESS" ? "in" : "out";
      allocation::UsageMap usage;
      for (const auto& [p, v] : t["principals"].items()) {
        if (v[dir].get<int64_t>() > 0) usage[p] = static_cast<double>(v[dir].get<int64_t>());
      }
      auto shares = allocation::split_by_usage_ratio(total, usage);
      ASSERT_TRUE(shares.is_ok());
      for (const auto& s : *shares) want[s.identity_id] = s.amount;
    }
    EXPECT_EQ(got, want) << date << " " << type;
  }
  (void)truth_days;
}

TEST_F(RealPrometheus, self_managed_kafka_run_bills_the_truth_and_splits_it_exactly_on_sqlite) {
  TempDir run;
  const std::string db_url = "sqlite:///" + run.file("smk.db");
  write_file(run.file("config.yaml"), smk_config(db_url, prometheus_->url()));
  auto validated = run_binary({"--config-file", run.file("config.yaml"), "--validate"});
  ASSERT_EQ(validated.exit_code, 0) << validated.err;
  auto result = run_binary(
      {"--config-file", run.file("config.yaml"), "--mode", "worker", "--run-once"}, 180s);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  check_self_managed(db_url, (*truth_)["days"], &day_truth);

  // Discovery from Prometheus (brokers, topics, principals) is not asserted yet: on this
  // Prometheus it found none (open, see the report of issue 21).
}

TEST_F(RealPrometheus, self_managed_kafka_run_on_postgresql_matches_the_truth) {
  const auto& server = pg_env::PgServer::get();
  if (!server.available()) {
    if (pg_env::running_in_ci()) FAIL() << server.why_not();
    GTEST_SKIP() << "SKIPPED: no PostgreSQL test server: " << server.why_not();
  }
  pg_env::PgScratchDatabase scratch;
  TempDir run;
  write_file(run.file("config.yaml"), smk_config(scratch.url(), prometheus_->url()));
  auto result = run_binary(
      {"--config-file", run.file("config.yaml"), "--mode", "worker", "--run-once"}, 180s);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  check_self_managed(scratch.url(), (*truth_)["days"], &day_truth);
}

TEST_F(RealPrometheus, generic_metrics_only_run_prices_cost_types_and_splits_by_usage) {
  TempDir run;
  const std::string db_url = "sqlite:///" + run.file("generic.db");
  write_file(
      run.file("config.yaml"),
      "tenants:\n  pg:\n    ecosystem: generic_metrics_only\n    tenant_id: pg\n"
      "    lookback_days: 4\n    cutoff_days: 1\n    storage:\n      connection_string: " +
          db_url +
          "\n    plugin_settings:\n      cluster_id: pg-prod\n      metrics:\n        url: " +
          prometheus_->url() +
          "\n      identity_source:\n        label: principal\n"
          "        discovery_query: \"sum by (principal) "
          "(kafka_server_brokertopicmetrics_bytesin_total{})\"\n"
          "      cost_types:\n"
          "        - name: PG_COMPUTE\n          product_category: postgres\n          rate: "
          "\"0.50\"\n"
          "          cost_quantity: {type: fixed, count: 3}\n          allocation_strategy: "
          "even_split\n"
          "        - name: PG_STORAGE\n          product_category: postgres\n          rate: "
          "\"0.0001\"\n"
          "          cost_quantity: {type: storage_gib, query: \"sum(kafka_log_log_size)\"}\n"
          "          allocation_strategy: even_split\n"
          "        - name: PG_NETWORK\n          product_category: postgres\n          rate: "
          "\"0.05\"\n"
          "          cost_quantity: {type: network_gib, query: "
          "\"sum(increase(kafka_server_brokertopicmetrics_bytesout_total[1h]))\"}\n"
          "          allocation_strategy: usage_ratio\n"
          "          allocation_query: \"sum by (principal) "
          "(increase(kafka_server_brokertopicmetrics_bytesout_total[1h]))\"\n"
          "          allocation_label: principal\n");
  auto result = run_binary(
      {"--config-file", run.file("config.yaml"), "--mode", "worker", "--run-once"}, 180s);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto billing = rows(db_url,
                      "SELECT substr(timestamp, 1, 10), product_type, quantity, total_cost FROM "
                      "billing ORDER BY timestamp, product_type");
  ASSERT_EQ(billing.size(), 9u);
  for (const auto& b : billing) {
    const auto& t = day_truth(b.get_text(0));
    const std::string type = b.get_text(1);
    if (type == "PG_COMPUTE") {
      EXPECT_EQ(b.get_text(2), "72");
    }
    if (type == "PG_NETWORK") {
      EXPECT_EQ(ccloud::compare_decimal(b.get_text(2),
                                        *ccloud::divide_by_power_of_two(
                                            std::to_string(t["bytes_out"].get<int64_t>()), 30)),
                0);
    }
    auto facts = rows(db_url,
                      "SELECT d.identity_id, f.amount FROM chargeback_facts f JOIN "
                      "chargeback_dimensions d ON d.dimension_id = f.dimension_id WHERE "
                      "substr(f.timestamp, 1, 10) = '" +
                          b.get_text(0) + "' AND d.product_type = '" + type + "'");
    std::int64_t sum = 0;
    std::map<std::string, Money> got;
    for (const auto& f : facts) {
      sum += f.get_int(1);
      got[f.get_text(0)] = Money::from_units(f.get_int(1));
    }
    const Money total = *Money::parse(b.get_text(3));
    EXPECT_EQ(sum, total.units()) << "conservation " << b.get_text(0) << " " << type;
    if (type == "PG_NETWORK") {
      allocation::UsageMap usage;
      for (const auto& [p, v] : t["principals"].items()) {
        if (v["out"].get<int64_t>() > 0) usage[p] = static_cast<double>(v["out"].get<int64_t>());
      }
      auto shares = allocation::split_by_usage_ratio(total, usage);
      ASSERT_TRUE(shares.is_ok());
      std::map<std::string, Money> want;
      for (const auto& s : *shares) want[s.identity_id] = s.amount;
      EXPECT_EQ(got, want) << b.get_text(0);
    }
  }
}

// The original's self-managed-full example with its .env.example values, PROMETHEUS_URL pointing
// at the test Prometheus: valid, and a run that charges back every synthesised cost.
TEST_F(RealPrometheus, the_originals_self_managed_full_config_validates_and_runs) {
  const std::string configs =
      std::string(CHITRAGUPT_SOURCE_DIR) + "/../shared/reference/original-configs";
  std::ifstream probe(configs + "/self-managed-full.yaml");
  if (!probe) {
    if (pg_env::running_in_ci()) FAIL() << "../shared is missing under CI=true";
    GTEST_SKIP() << "SKIPPED: " << configs << " is absent";
  }
  TempDir run;
  std::string yaml = read_file(configs + "/self-managed-full.yaml");
  const std::string container_db = "sqlite:////app/data/chargeback.db";
  const auto at = yaml.find(container_db);
  ASSERT_NE(at, std::string::npos);
  const std::string db_url = "sqlite:///" + run.file("chargeback.db");
  yaml.replace(at, container_db.size(), db_url);
  write_file(run.file("config.yaml"), yaml);
  std::string env = read_file(configs + "/self-managed-full.env.example");
  const auto prom = env.find("PROMETHEUS_URL=http://prometheus:9090");
  ASSERT_NE(prom, std::string::npos);
  env.replace(prom, std::string("PROMETHEUS_URL=http://prometheus:9090").size(),
              "PROMETHEUS_URL=" + prometheus_->url());
  write_file(run.file(".env"), env);

  auto validated = run_binary({"--config-file", run.file("config.yaml"), "--validate"});
  EXPECT_EQ(validated.exit_code, 0) << validated.err;
  EXPECT_EQ(validated.out, "Config is valid.\n");
  auto result = run_binary(
      {"--config-file", run.file("config.yaml"), "--mode", "worker", "--run-once"}, 180s);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(
      rows(db_url, "SELECT status FROM pipeline_runs ORDER BY id DESC LIMIT 1").front().get_text(0),
      "completed");
  auto billing = rows(db_url, "SELECT timestamp, product_type, total_cost FROM billing");
  ASSERT_FALSE(billing.empty());
  for (const auto& b : billing) {
    auto sum = rows(db_url,
                    "SELECT COALESCE(SUM(f.amount), 0) FROM chargeback_facts f JOIN "
                    "chargeback_dimensions d ON d.dimension_id = f.dimension_id WHERE f.timestamp "
                    "= '" +
                        b.get_text(0) + "' AND d.product_type = '" + b.get_text(1) + "'");
    EXPECT_EQ(sum.front().get_int(0), Money::parse(b.get_text(2))->units())
        << b.get_text(0) << " " << b.get_text(1);
  }
  EXPECT_GT(rows(db_url, "SELECT COUNT(*) FROM chargeback_facts").front().get_int(0), 0);
}

}  // namespace
}  // namespace chitragupt::testing
