// Topic attribution end to end: the real engine against a real ccloud-sim with per-topic
// series. After --run-once every attributed billing line is split across its cluster's topics
// exactly (rows sum to the line), the per-topic totals equal the split of the simulator's
// truth usage, the CSV emitter wrote each date, and a second run changes nothing.

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <httplib.h>

#include "allocation/money.hpp"
#include "storage/database.hpp"
#include "tests/support/engine_process.hpp"
#include "topics/attribution.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;

class TopicAttributionE2E : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string config_path_ = dir_.file("config.yaml");
  std::string db_url_ = "sqlite:///" + dir_.file("tenant.db");
  std::string csv_dir_ = dir_.file("ta-csv");

  void write_config(const SimProcess& sim, const std::string& extra = "") {
    write_file(config_path_,
               "tenants:\n  acme:\n    ecosystem: confluent_cloud\n    tenant_id: acme\n"
               "    lookback_days: 5\n    cutoff_days: 1\n    storage:\n      connection_string: " +
                   db_url_ +
                   "\n    plugin_settings:\n      ccloud_api:\n        key: sim-key\n"
                   "        secret: sim-secret\n        base_url: " +
                   sim.base_url() + "\n      metrics:\n        url: " + sim.base_url() +
                   "\n        auth_type: basic\n        username: sim-key\n"
                   "        password: sim-secret\n"
                   "      topic_attribution:\n        enabled: true\n"
                   "        emitters:\n          - type: csv\n            params:\n"
                   "              output_dir: " +
                   csv_dir_ + "\n" + extra);
    mkdir(csv_dir_.c_str(), 0755);
  }

  int run_once() {
    EngineProcess engine({"--config-file", config_path_, "--mode", "worker", "--run-once"},
                         dir_.path());
    auto code = engine.wait_exit(240s);
    log_ = engine.stderr_text();
    return code.value_or(-1);
  }

  std::vector<storage::Row> rows(const std::string& sql) {
    auto db = storage::open_database(db_url_);
    EXPECT_TRUE(db.is_ok());
    auto r = (*db)->query(sql);
    EXPECT_TRUE(r.is_ok()) << r.error();
    return r.is_ok() ? *r : std::vector<storage::Row>{};
  }

  std::string log_;
};

nlohmann::json sim_truth(const SimProcess& sim) {
  httplib::Client client("127.0.0.1", sim.port());
  client.set_basic_auth("sim-key", "sim-secret");
  client.set_read_timeout(30, 0);
  auto res = client.Get("/sim/v1/truth");
  if (!res || res->status != 200) return nullptr;
  return nlohmann::json::parse(res->body);
}

TEST_F(TopicAttributionE2E, per_topic_totals_equal_the_split_of_the_simulators_truth) {
  SimProcess sim({"--seed", "11", "--preset", "small"}, dir_.path());
  ASSERT_GT(sim.port(), 0) << sim.stderr_text();
  write_config(sim);
  ASSERT_EQ(run_once(), 0) << log_;
  auto truth = sim_truth(sim);
  ASSERT_TRUE(truth.is_object());

  // Topics became resources under their clusters.
  EXPECT_GT(rows("SELECT COUNT(*) FROM resources WHERE resource_type = 'topic' AND parent_id "
                 "LIKE 'lkc-%'")
                .front()
                .get_int(0),
            0);
  // Every date with billing was attributed.
  EXPECT_EQ(rows("SELECT COUNT(*) FROM pipeline_state WHERE topic_attribution_calculated = 0")
                .front()
                .get_int(0),
            0);

  // Expected rows from the truth usage and the gathered lines.
  std::map<std::pair<std::string, std::string>, topics::TopicUsage> usage;  // (cluster, date)
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> universe;
  const std::vector<std::string> excluded = topics::TopicSettings{}.exclude_topic_patterns;
  for (const auto& c : truth["topics"]) {
    for (const auto& d : c["days"]) {
      auto key = std::make_pair(c["kafka_id"].get<std::string>(), d["date"].get<std::string>());
      auto& u = usage[key];
      for (const auto& [name, v] : d["topics"].items()) {
        if (topics::excluded_topic(name, excluded)) continue;
        universe[key].push_back(name);
        u[topics::kBytesIn][name] = v["bytes_in"].get<double>();
        u[topics::kBytesOut][name] = v["bytes_out"].get<double>();
        if (v["retained_max"].get<double>() > 0)
          u[topics::kRetainedBytes][name] = v["retained_max"].get<double>();
      }
      std::sort(universe[key].begin(), universe[key].end());
    }
  }
  const auto table = topics::model_table({});
  std::map<std::string, std::int64_t> expected;  // cluster|date|type|topic -> units
  int lines = 0;
  for (const auto& r : rows("SELECT resource_id, substr(timestamp, 1, 10), product_type, "
                            "product_category, total_cost, timestamp FROM ccloud_billing WHERE "
                            "resource_id LIKE 'lkc-%'")) {
    auto model = table.find(r.get_text(2));
    if (model == table.end()) continue;
    auto key = std::make_pair(r.get_text(0), r.get_text(1));
    topics::TopicLine line{r.get_text(5), r.get_text(3), r.get_text(2),
                           *allocation::Money::parse(r.get_text(4))};
    for (const auto& row :
         topics::attribute_line(line, model->second, universe[key], usage[key], "even_split")) {
      expected[key.first + "|" + key.second + "|" + line.product_type + "|" + row.topic_name] +=
          row.amount.units();
    }
    lines++;
  }
  ASSERT_GT(lines, 0);
  std::map<std::string, std::int64_t> stored;
  for (const auto& r :
       rows("SELECT d.cluster_resource_id, substr(f.timestamp, 1, 10), d.product_type, "
            "d.topic_name, SUM(f.amount) FROM topic_attribution_facts f JOIN "
            "topic_attribution_dimensions d ON d.dimension_id = f.dimension_id GROUP BY 1, 2, 3, "
            "4")) {
    stored[r.get_text(0) + "|" + r.get_text(1) + "|" + r.get_text(2) + "|" + r.get_text(3)] =
        r.get_int(4);
  }
  EXPECT_EQ(stored, expected);

  // Conservation per line: the rows of each attributed line sum to its quantized amount.
  for (const auto& r : rows(
           "SELECT b.resource_id, b.timestamp, b.product_type, b.total_cost, (SELECT SUM(f.amount) "
           "FROM topic_attribution_facts f JOIN topic_attribution_dimensions d ON d.dimension_id "
           "= f.dimension_id WHERE d.cluster_resource_id = b.resource_id AND f.timestamp = "
           "b.timestamp AND d.product_type = b.product_type AND d.env_id = b.env_id) FROM "
           "ccloud_billing b WHERE b.resource_id LIKE 'lkc-%'")) {
    if (!table.count(r.get_text(2))) continue;
    EXPECT_EQ(r.get_int(4), allocation::Money::parse(r.get_text(3))->units())
        << r.get_text(0) << " " << r.get_text(1) << " " << r.get_text(2);
  }

  // The CSV emitter wrote one file per attributed date, summing to the date's rows.
  for (const auto& d : rows("SELECT tracking_date FROM pipeline_state WHERE "
                            "topic_attribution_calculated = 1")) {
    const std::string csv = read_file(csv_dir_ + "/topic_attr_acme_" + d.get_text(0) + ".csv");
    ASSERT_EQ(csv.rfind("ecosystem,tenant_id,timestamp,env_id,cluster_resource_id,topic_name,", 0),
              0u)
        << d.get_text(0);
    std::int64_t sum = 0;
    std::size_t at = csv.find("\r\n") + 2;
    while (at < csv.size()) {
      auto end = csv.find("\r\n", at);
      std::string line = csv.substr(at, end - at);
      sum += allocation::Money::parse(line.substr(line.rfind(',') + 1))->units();
      at = end + 2;
    }
    EXPECT_EQ(sum, rows("SELECT SUM(f.amount) FROM topic_attribution_facts f WHERE "
                        "substr(f.timestamp, 1, 10) = '" +
                        d.get_text(0) + "'")
                       .front()
                       .get_int(0));
  }

  // A second run changes no row.
  auto dump = [&] {
    std::vector<std::string> out;
    for (const auto& r : rows("SELECT f.timestamp, d.cluster_resource_id, d.topic_name, "
                              "d.product_type, d.attribution_method, f.amount FROM "
                              "topic_attribution_facts f JOIN topic_attribution_dimensions d ON "
                              "d.dimension_id = f.dimension_id ORDER BY 1, 2, 3, 4, 5")) {
      std::string s;
      for (std::size_t i = 0; i < r.values.size(); ++i) s += r.get_text(i) + "|";
      out.push_back(s);
    }
    return out;
  };
  auto before = dump();
  ASSERT_EQ(run_once(), 0) << log_;
  EXPECT_EQ(dump(), before);
}

}  // namespace
}  // namespace chitragupt::testing
