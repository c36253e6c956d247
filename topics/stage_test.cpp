// The attribution stage on a real database (both engines) with a scripted metrics source:
// example 1 and 2 of the reference through storage, retries and ATTRIBUTION_FAILED, discovery,
// retention, emitters, and one test per topic_attribution key.

#include "topics/stage.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "storage/billing_store.hpp"
#include "storage/engine_test_fixture.hpp"
#include "storage/inventory_store.hpp"
#include "storage/migrator.hpp"
#include "topics/attribution.hpp"
#include "topics/emit.hpp"

namespace chitragupt::topics {
namespace {

// Series per (metric, cluster): topic -> samples.
using Script =
    std::map<std::pair<std::string, std::string>, std::map<std::string, std::vector<double>>>;

struct FakeSource {
  Script script;
  bool down = false;
  std::vector<std::string> asked;  // metric names
  TopicMetricsFetcher fetcher() {
    return [this](const std::string& metric, const std::string& cluster, std::int64_t, std::int64_t,
                  std::int64_t) -> Result<std::vector<TopicSeries>> {
      asked.push_back(metric);
      if (down) return Status::error("connection refused");
      std::vector<TopicSeries> out;
      auto it = script.find({metric, cluster});
      if (it == script.end()) return out;
      for (const auto& [topic, values] : it->second) out.push_back({topic, values});
      return out;
    };
  }
};

const char* kIn = "confluent_kafka_server_received_bytes";
const char* kOut = "confluent_kafka_server_sent_bytes";
const char* kRet = "confluent_kafka_server_retained_bytes";

class TopicStage : public storage::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (not_runnable()) return;
    db_ = open("t");
    storage::Migrator m(*db_);
    ASSERT_TRUE(m.upgrade().is_ok());
    settings_.enabled = true;
  }

  void line(const std::string& type, const std::string& cost, const std::string& cluster = "lkc-w1",
            const std::string& date = "2026-02-10") {
    storage::BillingRecord b;
    b.timestamp = date + " 00:00:00";
    b.env_id = "env-w1";
    b.resource_id = cluster;
    b.product_type = type;
    b.product_category = "KAFKA";
    b.quantity = "1";
    b.unit_price = cost;
    b.total_cost = cost;
    storage::BillingStore billing(*db_, "confluent_cloud", "t1");
    ASSERT_TRUE(billing.upsert({b}).is_ok());
    ASSERT_TRUE(billing.mark_gathered({date}, {}).is_ok());
    ASSERT_TRUE(db_->execute("UPDATE pipeline_state SET topic_overlay_gathered = 1").is_ok());
  }
  void topic(const std::string& name, const std::string& cluster = "lkc-w1") {
    storage::InventoryStore inv(*db_, "confluent_cloud", "t1");
    storage::ResourceRecord r;
    r.resource_id = cluster + ":topic:" + name;
    r.resource_type = "topic";
    r.display_name = name;
    r.parent_id = cluster;
    ASSERT_TRUE(inv.upsert_resources({r}, "2026-02-01 00:00:00").is_ok());
  }
  // Example 1's metrics.
  void example1_metrics() {
    source_.script[{kIn, "lkc-w1"}] = {
        {"orders", {300, 300}}, {"payments", {200, 200}}, {"__consumer_offsets", {50}}};
    source_.script[{kOut, "lkc-w1"}] = {
        {"orders", {1000}}, {"payments", {0}}, {"audit-log", {500}}};
    source_.script[{kRet, "lkc-w1"}] = {
        {"orders", {5e9, 6e9, 5.5e9}}, {"payments", {1e9, 1e9}}, {"audit-log", {3e9}}};
  }
  AttributionReport run(int limit = 3) {
    AttributionOptions o;
    o.retry_limit = limit;
    auto r =
        attribute_pending({*db_, "confluent_cloud", "t1", "prod"}, settings_, source_.fetcher(), o);
    EXPECT_TRUE(r.is_ok()) << r.error();
    return r.is_ok() ? *r : AttributionReport{};
  }
  // "type topic method amount" rows, in order.
  std::vector<std::string> rows() {
    auto r = db_->query(
        "SELECT d.product_type, d.topic_name, d.attribution_method, f.amount FROM "
        "topic_attribution_facts f JOIN topic_attribution_dimensions d ON d.dimension_id = "
        "f.dimension_id ORDER BY d.product_type, d.topic_name, d.attribution_method");
    EXPECT_TRUE(r.is_ok());
    std::vector<std::string> out;
    for (const auto& row : *r) {
      out.push_back(row.get_text(0) + " " + row.get_text(1) + " " + row.get_text(2) + " " +
                    allocation::Money::from_units(row.get_int(3)).to_string());
    }
    return out;
  }
  bool attributed(const std::string& date = "2026-02-10") {
    auto r = db_->query(
        "SELECT topic_attribution_calculated FROM pipeline_state WHERE tracking_date = ?", {date});
    return r.is_ok() && !r->empty() && r->front().get_int(0) == 1;
  }

  std::unique_ptr<storage::Database> db_;
  TopicSettings settings_;
  FakeSource source_;
};

TEST_P(TopicStage, example1_all_default_models_through_storage) {
  if (not_runnable()) return;
  for (const char* t : {"orders", "payments", "audit-log"}) topic(t);
  example1_metrics();
  for (auto [type, cost] :
       std::vector<std::pair<const char*, const char*>>{{"KAFKA_NETWORK_WRITE", "12.00"},
                                                        {"KAFKA_NETWORK_READ", "9.00"},
                                                        {"KAFKA_STORAGE", "4.50"},
                                                        {"KAFKA_NUM_CKUS", "30.00"},
                                                        {"KAFKA_PARTITION", "1.00"},
                                                        {"KAFKA_BASE", "2.00"},
                                                        {"KAFKA_REST_PRODUCE", "0.75"}})
    line(type, cost);
  auto report = run();
  EXPECT_EQ(report.dates_attributed, 1);
  EXPECT_EQ(report.rows_written, 18);
  EXPECT_TRUE(attributed());
  EXPECT_EQ(
      rows(),
      (std::vector<std::string>{
          "KAFKA_BASE audit-log even_split 0.6666", "KAFKA_BASE orders even_split 0.6667",
          "KAFKA_BASE payments even_split 0.6667",
          "KAFKA_NETWORK_READ audit-log bytes_ratio 3.0000",
          "KAFKA_NETWORK_READ orders bytes_ratio 6.0000",
          "KAFKA_NETWORK_READ payments bytes_ratio 0.0000",
          "KAFKA_NETWORK_WRITE audit-log bytes_ratio 0.0000",
          "KAFKA_NETWORK_WRITE orders bytes_ratio 7.2000",
          "KAFKA_NETWORK_WRITE payments bytes_ratio 4.8000",
          "KAFKA_NUM_CKUS audit-log bytes_ratio 6.0000",
          "KAFKA_NUM_CKUS orders bytes_ratio 19.2000", "KAFKA_NUM_CKUS payments bytes_ratio 4.8000",
          "KAFKA_PARTITION audit-log even_split 0.3334", "KAFKA_PARTITION orders even_split 0.3333",
          "KAFKA_PARTITION payments even_split 0.3333",
          "KAFKA_STORAGE audit-log retained_bytes_ratio 1.3500",
          "KAFKA_STORAGE orders retained_bytes_ratio 2.7000",
          "KAFKA_STORAGE payments retained_bytes_ratio 0.4500"}));
  // Re-attributing the date (recalculation) gives the same rows.
  auto before = rows();
  ASSERT_TRUE(db_->execute("UPDATE pipeline_state SET topic_attribution_calculated = 0").is_ok());
  run();
  EXPECT_EQ(rows(), before);
}

TEST_P(TopicStage, cost_mapping_overrides_disable_base_and_add_rest_produce) {
  if (not_runnable()) return;
  for (const char* t : {"orders", "payments", "audit-log"}) topic(t);
  example1_metrics();
  settings_.cost_mapping_overrides = {{"KAFKA_BASE", "disabled"},
                                      {"KAFKA_REST_PRODUCE", "even_split"}};
  line("KAFKA_BASE", "2.00");
  line("KAFKA_REST_PRODUCE", "0.75");
  run();
  EXPECT_EQ(rows(), (std::vector<std::string>{"KAFKA_BASE __UNATTRIBUTED__ DISABLED 2.0000",
                                              "KAFKA_REST_PRODUCE audit-log even_split 0.2500",
                                              "KAFKA_REST_PRODUCE orders even_split 0.2500",
                                              "KAFKA_REST_PRODUCE payments even_split 0.2500"}));
}

TEST_P(TopicStage, missing_metrics_behavior_even_split_and_skip) {
  if (not_runnable()) return;
  for (const char* t : {"t1", "t2", "t3"}) topic(t, "lkc-r2");
  source_.script[{kOut, "lkc-r2"}] = {{"t1", {0}}, {"t2", {0}}, {"t3", {0}}};
  line("KAFKA_NETWORK_READ", "8.40", "lkc-r2", "2026-03-05");
  line("KAFKA_BASE", "1.60", "lkc-r2", "2026-03-05");
  run();
  EXPECT_EQ(
      rows(),
      (std::vector<std::string>{
          "KAFKA_BASE t1 even_split 0.5334", "KAFKA_BASE t2 even_split 0.5333",
          "KAFKA_BASE t3 even_split 0.5333", "KAFKA_NETWORK_READ t1 even_split 2.8000",
          "KAFKA_NETWORK_READ t2 even_split 2.8000", "KAFKA_NETWORK_READ t3 even_split 2.8000"}));
  settings_.missing_metrics_behavior = "skip";
  ASSERT_TRUE(db_->execute("UPDATE pipeline_state SET topic_attribution_calculated = 0").is_ok());
  run();
  EXPECT_EQ(rows(), (std::vector<std::string>{
                        "KAFKA_BASE t1 even_split 0.5334", "KAFKA_BASE t2 even_split 0.5333",
                        "KAFKA_BASE t3 even_split 0.5333",
                        "KAFKA_NETWORK_READ __UNATTRIBUTED__ SKIPPED_NO_METRICS 8.4000"}));
  EXPECT_TRUE(attributed("2026-03-05"));
}

TEST_P(TopicStage, retry_limit_then_attribution_failed) {
  if (not_runnable()) return;
  topic("t1", "lkc-r2");
  line("KAFKA_NETWORK_READ", "8.40", "lkc-r2", "2026-03-05");
  line("KAFKA_BASE", "1.60", "lkc-r2", "2026-03-05");
  source_.down = true;
  EXPECT_EQ(run(3).dates_pending, 1);
  EXPECT_EQ(run(3).dates_pending, 1);
  EXPECT_FALSE(attributed("2026-03-05"));
  EXPECT_TRUE(rows().empty());
  EXPECT_EQ(run(3).dates_attributed, 1);
  EXPECT_TRUE(attributed("2026-03-05"));
  EXPECT_EQ(rows(), (std::vector<std::string>{
                        "KAFKA_BASE __UNATTRIBUTED__ ATTRIBUTION_FAILED 1.6000",
                        "KAFKA_NETWORK_READ __UNATTRIBUTED__ ATTRIBUTION_FAILED 8.4000"}));
}

TEST_P(TopicStage, retry_limit_of_one_fails_at_the_first_outage) {
  if (not_runnable()) return;
  line("KAFKA_BASE", "1.60", "lkc-r2", "2026-03-05");
  source_.down = true;
  EXPECT_EQ(run(1).dates_attributed, 1);
  EXPECT_EQ(rows().size(), 1u);
}

TEST_P(TopicStage, a_cluster_without_topics_keeps_its_cost_as_no_topics) {
  if (not_runnable()) return;
  line("KAFKA_NETWORK_WRITE", "5.00", "lkc-empty");
  run();
  EXPECT_EQ(rows(),
            (std::vector<std::string>{"KAFKA_NETWORK_WRITE __UNATTRIBUTED__ NO_TOPICS 5.0000"}));
}

TEST_P(TopicStage, exclude_topic_patterns_remove_topics_from_the_split) {
  if (not_runnable()) return;
  source_.script[{kIn, "lkc-w1"}] = {{"orders", {100}}, {"tmp-1", {100}}};
  settings_.exclude_topic_patterns = {"tmp-*"};
  line("KAFKA_NETWORK_WRITE", "2.00");
  run();
  EXPECT_EQ(rows(), (std::vector<std::string>{"KAFKA_NETWORK_WRITE orders bytes_ratio 2.0000"}));
}

TEST_P(TopicStage, metric_name_overrides_change_the_queried_metric) {
  if (not_runnable()) return;
  settings_.metric_name_overrides = {{kBytesIn, "my_bytes_in"}};
  source_.script[{"my_bytes_in", "lkc-w1"}] = {{"a", {1}}, {"b", {3}}};
  line("KAFKA_NETWORK_WRITE", "4.00");
  run();
  EXPECT_NE(std::find(source_.asked.begin(), source_.asked.end(), "my_bytes_in"),
            source_.asked.end());
  EXPECT_EQ(std::find(source_.asked.begin(), source_.asked.end(), kIn), source_.asked.end());
  EXPECT_EQ(rows(), (std::vector<std::string>{"KAFKA_NETWORK_WRITE a bytes_ratio 1.0000",
                                              "KAFKA_NETWORK_WRITE b bytes_ratio 3.0000"}));
}

TEST_P(TopicStage, retention_days_deletes_older_rows_and_their_dimensions) {
  if (not_runnable()) return;
  topic("t1");
  line("KAFKA_BASE", "1.00", "lkc-w1", "2026-01-01");
  line("KAFKA_BASE", "1.00", "lkc-w1", "2026-03-01");
  run();
  ASSERT_EQ(rows().size(), 2u);  // one dimension, two facts
  EXPECT_EQ(db_->query("SELECT COUNT(*) FROM topic_attribution_dimensions")->front().get_int(0), 1);
  settings_.retention_days = 30;
  std::tm tm{};
  strptime("2026-03-10", "%Y-%m-%d", &tm);
  auto deleted = apply_topic_retention({*db_, "confluent_cloud", "t1", "prod"}, settings_,
                                       static_cast<std::int64_t>(timegm(&tm)));
  ASSERT_TRUE(deleted.is_ok());
  EXPECT_EQ(*deleted, 1);
  auto left = db_->query("SELECT timestamp FROM topic_attribution_facts");
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().get_text(0), "2026-03-01 00:00:00");
  settings_.retention_days = 1;
  ASSERT_TRUE(apply_topic_retention({*db_, "confluent_cloud", "t1", "prod"}, settings_,
                                    static_cast<std::int64_t>(timegm(&tm)))
                  .is_ok());
  EXPECT_EQ(db_->query("SELECT COUNT(*) FROM topic_attribution_dimensions")->front().get_int(0), 0);
}

TEST_P(TopicStage, discovery_upserts_topics_and_ends_the_missing_ones) {
  if (not_runnable()) return;
  storage::InventoryStore inv(*db_, "confluent_cloud", "t1");
  storage::ResourceRecord c;
  c.resource_id = "lkc-w1";
  c.resource_type = "kafka_cluster";
  ASSERT_TRUE(inv.upsert_resources({c}, "2026-02-01 00:00:00").is_ok());
  topic("gone");
  line("KAFKA_BASE", "1.00");
  ASSERT_TRUE(db_->execute("UPDATE pipeline_state SET topic_overlay_gathered = 0").is_ok());
  source_.script[{kIn, "lkc-w1"}] = {{"orders", {1}}};
  source_.script[{kRet, "lkc-w1"}] = {{"audit", {1}}};
  std::tm tm{};
  strptime("2026-02-12", "%Y-%m-%d", &tm);
  auto found = discover_topics({*db_, "confluent_cloud", "t1", "prod"}, settings_,
                               source_.fetcher(), timegm(&tm), "2026-02-01", "2026-02-12");
  ASSERT_TRUE(found.is_ok()) << found.error();
  EXPECT_EQ(found->topics, 2);
  auto r = db_->query(
      "SELECT resource_id, parent_id, display_name, status FROM resources WHERE resource_type = "
      "'topic' ORDER BY resource_id");
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].get_text(0), "lkc-w1:topic:audit");
  EXPECT_EQ((*r)[0].get_text(1), "lkc-w1");
  EXPECT_EQ((*r)[1].get_text(3), "deleted");  // gone
  EXPECT_EQ((*r)[2].get_text(2), "orders");
  EXPECT_EQ(db_->query("SELECT topic_overlay_gathered FROM pipeline_state")->front().get_int(0), 1);
}

TEST_P(TopicStage, csv_emitter_writes_each_attributed_date_once) {
  if (not_runnable()) return;
  topic("t1");
  topic("t2");
  line("KAFKA_BASE", "1.00");
  run();
  storage::testing::TempDir dir;
  emitters::EmitterSpec csv;
  csv.name = "csv";
  csv.output_dir = dir.path();
  csv.filename_template = "topic_attr_{tenant_id}_{date}.csv";
  settings_.emitters = {csv};
  auto first =
      emit_topic_attribution({*db_, "confluent_cloud", "t1", "prod"}, settings_, "2026-02-20");
  EXPECT_EQ(first.dates_emitted, 1);
  std::ifstream in(dir.file("topic_attr_t1_2026-02-10.csv"));
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(),
            "ecosystem,tenant_id,timestamp,env_id,cluster_resource_id,topic_name,"
            "product_category,product_type,attribution_method,amount\r\n"
            "confluent_cloud,t1,2026-02-10T00:00:00+00:00,env-w1,lkc-w1,t1,KAFKA,KAFKA_BASE,"
            "even_split,0.5000\r\n"
            "confluent_cloud,t1,2026-02-10T00:00:00+00:00,env-w1,lkc-w1,t2,KAFKA,KAFKA_BASE,"
            "even_split,0.5000\r\n");
  EXPECT_EQ(emit_topic_attribution({*db_, "confluent_cloud", "t1", "prod"}, settings_, "2026-02-20")
                .dates_emitted,
            0);
  // Disabled: nothing is emitted.
  settings_.enabled = false;
  ASSERT_TRUE(db_->execute("DELETE FROM emission_records").is_ok());
  EXPECT_EQ(emit_topic_attribution({*db_, "confluent_cloud", "t1", "prod"}, settings_, "2026-02-20")
                .dates_emitted,
            0);
}

CHITRAGUPT_ON_BOTH_ENGINES(TopicStage);

}  // namespace
}  // namespace chitragupt::topics
