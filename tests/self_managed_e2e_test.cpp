// self_managed_kafka and generic_metrics_only end to end on a REAL Prometheus: kafka-metrics-gen
// writes days of a cluster's broker metrics and their truth, promtool backfills them, Prometheus
// serves them on a free loopback port, and the real binary runs once against it. The billing
// lines must carry the truth's bytes (GiB = 2^30 bytes, exact), and each line's chargeback rows
// must be the exact split of its amount (usage ratio by principal bytes; even split over the
// principals seen) and sum to it. On SQLite and on the PostgreSQL test server.

#include <gtest/gtest.h>

#include <signal.h>

#include <dirent.h>
#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "allocation/money.hpp"
#include "allocation/split.hpp"
#include "sources/civil_date.hpp"
#include "sources/decimal_text.hpp"
#include "storage/billing_store.hpp"
#include "storage/database.hpp"
#include "storage/pg_test_env.hpp"
#include "storage/retention.hpp"
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
        {"--out", dir_->file("metrics.om"), "--truth", dir_->file("truth.json"), "--days", "7",
         "--brokers", "3", "--principals", "7", "--topics", "3", "--seed", "21",
         // The newest sample 10 minutes old: older than Prometheus' 5-minute lookback, as on
         // a Prometheus that scrapes seldom or holds backfilled data; discovery must still
         // find every broker, topic and principal of its window.
         "--end", std::to_string(std::time(nullptr) - 600)},
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

  // Discovery from Prometheus: exactly the generator's brokers, topics and principals.
  std::set<std::string> got, want = {"cluster kafka-dc1"};
  for (const auto& r : rows(db_url, "SELECT resource_type, resource_id FROM resources"))
    got.insert(r.get_text(0) + " " + r.get_text(1));
  for (const auto& b : (*truth_)["brokers"])
    want.insert("broker kafka-dc1:broker:" + b.get<std::string>());
  for (const auto& t : (*truth_)["topics"])
    want.insert("topic kafka-dc1:topic:" + t.get<std::string>());
  EXPECT_EQ(got, want);
  std::set<std::string> principals, want_principals;
  for (const auto& r :
       rows(db_url, "SELECT identity_id FROM identities WHERE identity_type = 'principal'"))
    principals.insert(r.get_text(0));
  for (const auto& p : (*truth_)["principals"]) want_principals.insert(p.get<std::string>());
  EXPECT_EQ(principals, want_principals);
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

// ---------------------------------------------------------------------------------------------
// Everything the Confluent Cloud path gives, for both ecosystems, on the real Prometheus: the
// engine (worker + API, periodic refresh on) runs its first cycle over 5 days, emits every date
// to CSV files and to the Prometheus gauges, then retention (retention_days: 3) deletes the
// older dates. The report routes then answer the dates kept, each billing line's chargeback
// rows summing to its amount exactly (decimal strings, never floats); resources and identities
// are exactly what the generator described; `chitragupt summary` prints the tenant's totals;
// GET /metrics shows the run's figures.

const std::regex kMoneyText(R"(-?[0-9]+\.[0-9]{4})");

// Σ of decimal strings, exactly (each must have four decimals: the API's money format).
Money sum_text(const std::vector<std::string>& amounts) {
  std::int64_t units = 0;
  for (const auto& a : amounts) {
    EXPECT_TRUE(std::regex_match(a, kMoneyText)) << "not a four-decimal amount: " << a;
    auto m = Money::parse(a);
    EXPECT_TRUE(m.is_ok()) << a;
    if (m) units += m->units();
  }
  return Money::from_units(units);
}

// The amount of the line `type` of a truth day, as the engine must price it (28 significant
// digits, GiB = 2^30 bytes): the rates of smk_config / generic_settings below.
std::string expected_total(const std::string& ecosystem, const std::string& type,
                           const nlohmann::json& t) {
  auto gib = [](std::int64_t bytes) {
    return *ccloud::divide_by_power_of_two(std::to_string(bytes), 30);
  };
  auto times = [](const std::string& a, const std::string& b) {
    return *ccloud::round_significant(*ccloud::multiply_decimal(a, b), 28);
  };
  const std::string storage_gib_hours = times(gib(t["storage_bytes"].get<int64_t>()), "24");
  if (ecosystem == "self_managed_kafka") {
    if (type == "SELF_KAFKA_COMPUTE") return times("72", "0.60");
    if (type == "SELF_KAFKA_STORAGE") return times(storage_gib_hours, "0.000125");
    if (type == "SELF_KAFKA_NETWORK_INGRESS")
      return times(gib(t["bytes_in"].get<int64_t>()), "0.01");
    if (type == "SELF_KAFKA_NETWORK_EGRESS")
      return times(gib(t["bytes_out"].get<int64_t>()), "0.09");
  } else {
    if (type == "PG_COMPUTE") return times("72", "0.50");
    if (type == "PG_STORAGE") return times(storage_gib_hours, "0.0001");
    if (type == "PG_NETWORK") return times(gib(t["bytes_out"].get<int64_t>()), "0.05");
  }
  ADD_FAILURE() << "unexpected product type " << type;
  return "0";
}

std::string generic_settings(const std::string& prometheus_url) {
  return "      cluster_id: pg-prod\n      display_name: Postgres prod\n"
         "      metrics:\n        url: " +
         prometheus_url +
         "\n      identity_source:\n        label: principal\n"
         "        discovery_query: \"sum by (principal) "
         "(kafka_server_brokertopicmetrics_bytesin_total{})\"\n"
         "      cost_types:\n"
         "        - name: PG_COMPUTE\n          product_category: postgres\n"
         "          rate: \"0.50\"\n          cost_quantity: {type: fixed, count: 3}\n"
         "          allocation_strategy: even_split\n"
         "        - name: PG_STORAGE\n          product_category: postgres\n"
         "          rate: \"0.0001\"\n"
         "          cost_quantity: {type: storage_gib, query: \"sum(kafka_log_log_size)\"}\n"
         "          allocation_strategy: even_split\n"
         "        - name: PG_NETWORK\n          product_category: postgres\n"
         "          rate: \"0.05\"\n"
         "          cost_quantity: {type: network_gib, query: "
         "\"sum(increase(kafka_server_brokertopicmetrics_bytesout_total[1h]))\"}\n"
         "          allocation_strategy: usage_ratio\n"
         "          allocation_query: \"sum by (principal) "
         "(increase(kafka_server_brokertopicmetrics_bytesout_total[1h]))\"\n"
         "          allocation_label: principal\n";
}

std::string smk_settings(const std::string& prometheus_url) {
  return "      cluster_id: kafka-dc1\n      broker_count: 3\n"
         "      region: eu-west-1\n      discovery_window_hours: 240\n"
         "      cost_model:\n        compute_hourly_rate: \"0.50\"\n"
         "        storage_per_gib_hourly: \"0.000125\"\n        network_ingress_per_gib: \"0.01\"\n"
         "        network_egress_per_gib: \"0.09\"\n        region_overrides:\n"
         "          eu-west-1:\n            compute_hourly_rate: \"0.60\"\n"
         "      metrics:\n        url: " +
         prometheus_url +
         "\n      identity_source:\n        principal_to_team:\n          \"User:svc-1\": data\n";
}

// A CSV file of the csv emitter: its rows as column -> value (no field needs quoting here).
std::vector<std::map<std::string, std::string>> csv_rows(const std::string& path) {
  std::vector<std::map<std::string, std::string>> out;
  std::istringstream in(read_file(path));
  std::string line;
  std::vector<std::string> header;
  auto split = [](const std::string& l) {
    std::vector<std::string> cells;
    std::stringstream ss(l);
    for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
    if (!l.empty() && l.back() == ',') cells.emplace_back();
    return cells;
  };
  if (!std::getline(in, line)) return out;
  header = split(line);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    EXPECT_EQ(line.find('"'), std::string::npos) << line;
    auto cells = split(line);
    EXPECT_EQ(cells.size(), header.size()) << line;
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") out.push_back(n);
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The value of the sample `series` (name{labels} as rendered) in a text exposition, or "".
std::string sample_text(const std::string& text, const std::string& series) {
  auto pos = ("\n" + text).find("\n" + series + " ");
  if (pos == std::string::npos) return "";
  std::string rest = text.substr(pos + series.size() + 1);
  return rest.substr(0, rest.find_first_of(" \n"));
}

// Σ of every sample of `family` whose labels contain `tenant_label`, exactly (decimal text).
Money gauge_sum(const std::string& text, const std::string& family, const std::string& tenant_label,
                int* count = nullptr) {
  std::int64_t units = 0;
  int n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(family + "{", 0) != 0 || line.find(tenant_label) == std::string::npos) continue;
    std::string value = line.substr(line.find("} ") + 2);
    value = value.substr(0, value.find(' '));
    auto m = Money::parse(value);
    EXPECT_TRUE(m.is_ok()) << line;
    if (m) units += m->units();
    ++n;
  }
  if (count) *count = n;
  return Money::from_units(units);
}

struct EngineCase {
  std::string ecosystem;
  bool postgres = false;
};
void PrintTo(const EngineCase& c, std::ostream* out) {
  *out << c.ecosystem << (c.postgres ? " on PostgreSQL" : " on SQLite");
}

class RealPrometheusEngine : public RealPrometheus,
                             public ::testing::WithParamInterface<EngineCase> {};

TEST_P(RealPrometheusEngine, emits_keeps_retention_and_serves_conserved_reports) {
  const EngineCase c = GetParam();
  const bool smk = c.ecosystem == "self_managed_kafka";
  std::unique_ptr<pg_env::PgScratchDatabase> scratch;
  TempDir run;
  std::string db_url = "sqlite:///" + run.file("tenant.db");
  if (c.postgres) {
    const auto& server = pg_env::PgServer::get();
    if (!server.available()) {
      if (pg_env::running_in_ci()) FAIL() << server.why_not();
      GTEST_SKIP() << "SKIPPED: no PostgreSQL test server: " << server.why_not();
    }
    scratch = std::make_unique<pg_env::PgScratchDatabase>();
    db_url = scratch->url();
  }
  const int api_port = free_port();
  const int gauge_port = free_port();
  const std::string csv_dir = run.file("csv");
  const std::string config = run.file("config.yaml");
  write_file(config,
             "features:\n  enable_periodic_refresh: true\n  refresh_interval: 86400\n"
             "api:\n  host: 127.0.0.1\n  port: " +
                 std::to_string(api_port) + "\ntenants:\n  t1:\n    ecosystem: " + c.ecosystem +
                 "\n    tenant_id: t1\n    lookback_days: 6\n    cutoff_days: 1\n"
                 "    retention_days: 3\n    storage:\n      connection_string: " +
                 db_url + "\n    plugin_settings:\n" +
                 (smk ? smk_settings(prometheus_->url()) : generic_settings(prometheus_->url())) +
                 "      emitters:\n        - type: csv\n          params:\n"
                 "            output_dir: " +
                 csv_dir +
                 "\n        - type: prometheus\n          params: {host: 127.0.0.1, port: " +
                 std::to_string(gauge_port) + "}\n");
  auto validated = run_binary({"--config-file", config, "--validate"});
  ASSERT_EQ(validated.exit_code, 0) << validated.out << validated.err;

  EngineProcess engine({"--config-file", config, "--mode", "both"}, run.path());
  const std::string api = "/api/v1/tenants/t1";
  // The first cycle: gather, calculate, emit, then retention.
  ASSERT_TRUE(eventually(
      [&] {
        return engine.stderr_text().find("event=retention_cleanup") != std::string::npos ||
               engine.stdout_text().find("event=retention_cleanup") != std::string::npos;
      },
      180s))
      << engine.stderr_text();
  auto status = http_get(api_port, api + "/pipeline/status");
  ASSERT_EQ(status.status, 200) << status.body;

  // The run's dates: [today - 6, today - 1); retention keeps those >= today - 3.
  const auto today = ccloud::CivilDate::from_epoch_seconds(std::time(nullptr));
  std::vector<std::string> run_dates, kept_dates;
  for (int d = 6; d >= 2; --d) run_dates.push_back(today.plus_days(-d).to_string());
  const std::string cutoff = storage::retention_cutoff(std::time(nullptr), 3).day;
  for (const auto& d : run_dates)
    if (d >= cutoff) kept_dates.push_back(d);
  ASSERT_EQ(kept_dates.size(), 2u);
  const std::vector<std::string> types =
      smk ? std::vector<std::string>{"SELF_KAFKA_COMPUTE", "SELF_KAFKA_NETWORK_EGRESS",
                                     "SELF_KAFKA_NETWORK_INGRESS", "SELF_KAFKA_STORAGE"}
          : std::vector<std::string>{"PG_COMPUTE", "PG_NETWORK", "PG_STORAGE"};

  // 1. The CSV emitter wrote every date of the run (before retention), one file each, whose
  //    rows sum per line to the line's amount.
  std::vector<std::string> want_files;
  for (const auto& d : run_dates) want_files.push_back("t1_" + d + ".csv");
  EXPECT_EQ(files_in(csv_dir), want_files);
  std::size_t csv_total_rows = 0;
  std::map<std::string, std::vector<std::map<std::string, std::string>>> csv_by_date;
  for (const auto& d : run_dates) {
    auto rows = csv_rows(csv_dir + "/t1_" + d + ".csv");
    csv_total_rows += rows.size();
    const auto& t = day_truth(d);
    ASSERT_FALSE(t.is_null()) << d;
    for (const auto& type : types) {
      std::vector<std::string> amounts;
      for (const auto& r : rows) {
        if (r.at("product_type") != type) continue;
        EXPECT_EQ(r.at("ecosystem"), c.ecosystem);
        EXPECT_EQ(r.at("tenant_id"), "t1");
        EXPECT_EQ(r.at("timestamp"), d + "T00:00:00+00:00");
        amounts.push_back(r.at("amount"));
      }
      EXPECT_FALSE(amounts.empty()) << d << " " << type;
      EXPECT_EQ(sum_text(amounts).to_string(),
                Money::parse(expected_total(c.ecosystem, type, t))->to_string())
          << "CSV conservation " << d << " " << type;
    }
    csv_by_date[d] = std::move(rows);
  }

  // 2. Retention deleted the older dates of this ecosystem's tables, and only those.
  const std::string billing_table = storage::billing_table_of(c.ecosystem);
  EXPECT_EQ(std::string(billing_table), "billing");
  auto count = [&](const std::string& sql) { return rows(db_url, sql).front().get_int(0); };
  EXPECT_EQ(count("SELECT COUNT(*) FROM billing WHERE timestamp < '" + cutoff + "'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM chargeback_facts WHERE timestamp < '" + cutoff + "'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM pipeline_state WHERE tracking_date < '" + cutoff + "'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM billing"),
            static_cast<std::int64_t>(kept_dates.size() * types.size()));
  EXPECT_EQ(count("SELECT COUNT(*) FROM pipeline_state WHERE chargeback_calculated = 1"),
            static_cast<std::int64_t>(kept_dates.size()));
  const std::string log = engine.stderr_text() + engine.stdout_text();
  EXPECT_NE(
      log.find("billing=" + std::to_string((run_dates.size() - kept_dates.size()) * types.size())),
      std::string::npos)
      << "retention's report names the deleted billing lines:\n"
      << log;

  // 3. The report routes answer the kept dates; every line conserved, exactly.
  const std::string range =
      "start_date=" + run_dates.front() + "&end_date=" + run_dates.back() + "&page_size=1000";
  auto billing = http_get(api_port, api + "/billing?" + range);
  ASSERT_EQ(billing.status, 200) << billing.body;
  const auto billing_items = billing.json()["items"];
  ASSERT_EQ(billing_items.size(), kept_dates.size() * types.size()) << billing.body;
  auto chargebacks = http_get(api_port, api + "/chargebacks?" + range);
  ASSERT_EQ(chargebacks.status, 200) << chargebacks.body;
  const auto charge_items = chargebacks.json()["items"];
  ASSERT_EQ(chargebacks.json()["total"].get<std::size_t>(), charge_items.size());
  std::map<std::string, std::vector<std::string>> rows_of_line;  // timestamp|resource|type
  std::map<std::string, std::vector<std::string>> amounts_of_identity_day;
  for (const auto& r : charge_items) {
    const std::string ts = r["timestamp"].get<std::string>();
    rows_of_line[ts + "|" + r["resource_id"].get<std::string>() + "|" +
                 r["product_type"].get<std::string>()]
        .push_back(r["amount"].get<std::string>());
    amounts_of_identity_day[ts.substr(0, 10) + "|" + r["identity_id"].get<std::string>()].push_back(
        r["amount"].get<std::string>());
    EXPECT_EQ(r["ecosystem"], c.ecosystem);
  }
  std::int64_t billed_units = 0;
  std::map<std::string, std::int64_t> billed_by_month;
  for (const auto& b : billing_items) {
    const std::string ts = b["timestamp"].get<std::string>();
    const std::string date = ts.substr(0, 10);
    EXPECT_TRUE(std::find(kept_dates.begin(), kept_dates.end(), date) != kept_dates.end()) << ts;
    const std::string type = b["product_type"].get<std::string>();
    const std::string total = b["total_cost"].get<std::string>();
    EXPECT_EQ(b["ecosystem"], c.ecosystem);
    EXPECT_EQ(b["resource_id"], smk ? "kafka-dc1" : "pg-prod");
    EXPECT_EQ(ccloud::compare_decimal(total, expected_total(c.ecosystem, type, day_truth(date))), 0)
        << date << " " << type << ": " << total;
    const Money line = *Money::parse(total);
    billed_units += line.units();
    billed_by_month[date.substr(0, 7)] += line.units();
    const auto& mine = rows_of_line[ts + "|" + b["resource_id"].get<std::string>() + "|" + type];
    EXPECT_FALSE(mine.empty()) << date << " " << type;
    EXPECT_EQ(sum_text(mine).to_string(), line.to_string())
        << "API conservation " << date << " " << type;
  }
  EXPECT_EQ(rows_of_line.size(), billing_items.size()) << "chargeback rows without a line";

  // The API's rows of a kept date are the CSV file's rows of that date.
  for (const auto& d : kept_dates) {
    std::multiset<std::string> from_csv, from_api;
    for (const auto& r : csv_by_date[d])
      from_csv.insert(r.at("product_type") + "|" + r.at("identity_id") + "|" + r.at("amount"));
    for (const auto& r : charge_items) {
      if (r["timestamp"].get<std::string>().substr(0, 10) != d) continue;
      from_api.insert(r["product_type"].get<std::string>() + "|" +
                      r["identity_id"].get<std::string>() + "|" + r["amount"].get<std::string>());
    }
    EXPECT_EQ(from_api, from_csv) << d;
  }

  auto aggregate = http_get(api_port, api +
                                          "/chargebacks/aggregate?group_by=identity_id&"
                                          "time_bucket=day&start_date=" +
                                          run_dates.front() + "&end_date=" + run_dates.back());
  ASSERT_EQ(aggregate.status, 200) << aggregate.body;
  const auto agg = aggregate.json();
  EXPECT_EQ(agg["total_amount"].get<std::string>(), Money::from_units(billed_units).to_string());
  EXPECT_EQ(agg["total_rows"].get<std::size_t>(), charge_items.size());
  std::size_t buckets = 0;
  for (const auto& bucket : agg["buckets"]) {
    const std::string key = bucket["time_bucket"].get<std::string>() + "|" +
                            bucket["dimensions"]["identity_id"].get<std::string>();
    ASSERT_TRUE(amounts_of_identity_day.count(key)) << key;
    EXPECT_EQ(bucket["total_amount"].get<std::string>(),
              sum_text(amounts_of_identity_day[key]).to_string())
        << key;
    ++buckets;
  }
  EXPECT_EQ(buckets, amounts_of_identity_day.size());

  // 4. Resources and identities: exactly what the generator described.
  auto resources = http_get(api_port, api + "/resources?page_size=1000");
  ASSERT_EQ(resources.status, 200) << resources.body;
  std::set<std::string> got_resources, want_resources;
  const auto resource_items = resources.json()["items"];
  for (const auto& r : resource_items) {
    got_resources.insert(r["resource_type"].get<std::string>() + " " +
                         r["resource_id"].get<std::string>());
  }
  const std::string cluster = smk ? "kafka-dc1" : "pg-prod";
  want_resources.insert("cluster " + cluster);
  if (smk) {
    for (const auto& b : (*truth_)["brokers"])
      want_resources.insert("broker kafka-dc1:broker:" + b.get<std::string>());
    for (const auto& t : (*truth_)["topics"])
      want_resources.insert("topic kafka-dc1:topic:" + t.get<std::string>());
  }
  EXPECT_EQ(got_resources, want_resources) << resources.body;
  auto identities = http_get(api_port, api + "/identities?page_size=1000");
  ASSERT_EQ(identities.status, 200) << identities.body;
  std::set<std::string> got_identities, want_identities;
  const auto identity_items = identities.json()["items"];
  for (const auto& i : identity_items) {
    const std::string id = i["identity_id"].get<std::string>();
    got_identities.insert(id);
    if (id == "User:svc-1") {
      EXPECT_EQ(i["display_name"], smk ? "data" : "User:svc-1");
    }
  }
  for (const auto& p : (*truth_)["principals"]) want_identities.insert(p.get<std::string>());
  got_identities.erase("UNALLOCATED");  // the engine's own sentinel, where the engine keeps it
  EXPECT_EQ(got_identities, want_identities) << identities.body;

  // 5. GET /metrics: the run's figures, and the prometheus emitter's gauges (the newest emitted
  //    date: its billing and its chargebacks, equal) there and on the emitter's own listener.
  auto metrics = http_get(api_port, "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(sample_text(metrics.body,
                        "chitragupt_pipeline_runs_total{tenant=\"t1\",status=\"completed\"}"),
            "1")
      << metrics.body;
  EXPECT_EQ(sample_text(metrics.body, "chitragupt_tenant_up{tenant=\"t1\"}"), "1");
  EXPECT_EQ(sample_text(metrics.body, "chitragupt_chargeback_rows_written_total{tenant=\"t1\"}"),
            std::to_string(csv_total_rows))
      << "rows written by the run = the rows the CSV emitter wrote";
  const std::string newest = kept_dates.back();
  std::int64_t newest_billed = 0;
  for (const auto& b : billing_items) {
    if (b["timestamp"].get<std::string>().substr(0, 10) == newest)
      newest_billed += Money::parse(b["total_cost"].get<std::string>())->units();
  }
  for (int port : {api_port, gauge_port}) {
    auto gauges = http_get(port, "/metrics");
    ASSERT_EQ(gauges.status, 200) << port;
    int charge_samples = 0, billing_samples = 0;
    EXPECT_EQ(gauge_sum(gauges.body, "chitragupta_chargeback_amount", "tenant_id=\"t1\"",
                        &charge_samples),
              Money::from_units(newest_billed))
        << port << "\n"
        << gauges.body;
    EXPECT_EQ(
        gauge_sum(gauges.body, "chitragupta_billing_amount", "tenant_id=\"t1\"", &billing_samples),
        Money::from_units(newest_billed));
    EXPECT_EQ(billing_samples, static_cast<int>(types.size()));
    EXPECT_GT(charge_samples, 0);
    EXPECT_NE(gauges.body.find("chitragupta_resource_active{tenant_id=\"t1\",ecosystem=\"" +
                               c.ecosystem + "\",resource_id=\"" + cluster + "\""),
              std::string::npos)
        << gauges.body;
  }

  // 6. `chitragupt summary`: per month of the kept dates, the tenant's totals, balanced.
  for (const auto& [month, units] : billed_by_month) {
    auto summary =
        run_binary({"summary", "--config-file", config, "--tenant", "t1", "--month", month});
    EXPECT_EQ(summary.exit_code, 0) << summary.out << summary.err;
    int days = 0;
    for (const auto& d : kept_dates) days += d.substr(0, 7) == month ? 1 : 0;
    EXPECT_NE(summary.out.find("t1 (" + c.ecosystem + ") — " + month + ": " + std::to_string(days) +
                               " of "),
              std::string::npos)
        << summary.out;
    std::string total = Money::from_units(units).to_string();
    // format_amount groups thousands; these totals stay below 1,000.
    EXPECT_LT(units, 1000 * 10000);
    EXPECT_TRUE(std::regex_search(
        summary.out,
        std::regex("total billed +" + std::regex_replace(total, std::regex("\\."), "\\.") + " ")))
        << summary.out;
    EXPECT_TRUE(std::regex_search(
        summary.out,
        std::regex("total allocated +" + std::regex_replace(total, std::regex("\\."), "\\.") +
                   "  = billed, to the cent")))
        << summary.out;
  }

  engine.signal(SIGTERM);
  EXPECT_EQ(engine.wait_exit(30s), std::optional<int>(0)) << engine.stderr_text();
}

INSTANTIATE_TEST_SUITE_P(BothEcosystems, RealPrometheusEngine,
                         ::testing::Values(EngineCase{"self_managed_kafka", false},
                                           EngineCase{"generic_metrics_only", false},
                                           EngineCase{"self_managed_kafka", true},
                                           EngineCase{"generic_metrics_only", true}),
                         [](const ::testing::TestParamInfo<EngineCase>& info) {
                           return info.param.ecosystem +
                                  (info.param.postgres ? "_postgresql" : "_sqlite");
                         });

}  // namespace
}  // namespace chitragupt::testing
