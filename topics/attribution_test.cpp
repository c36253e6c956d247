#include "topics/attribution.hpp"

#include <random>

#include <gtest/gtest.h>

namespace chitragupt::topics {
namespace {

using allocation::Money;

Money m(const char* text) { return *Money::parse(text); }

TopicLine line(const char* type, const char* amount) {
  return {"2026-02-10 00:00:00", "KAFKA", type, m(amount)};
}

// Example 1 of the reference: orders, payments, audit-log; __consumer_offsets excluded.
TopicUsage example_usage() {
  return {{kBytesIn, {{"orders", 600}, {"payments", 400}}},
          {kBytesOut, {{"orders", 1000}, {"payments", 0}, {"audit-log", 500}}},
          {kRetainedBytes, {{"orders", 6e9}, {"payments", 1e9}, {"audit-log", 3e9}}}};
}
const std::vector<std::string> kTopics = {"audit-log", "orders", "payments"};

std::vector<std::string> amounts(const std::vector<TopicRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.topic_name + "=" + r.amount.to_string());
  return out;
}

std::vector<TopicRow> run(const char* type, const char* amount, const TopicSettings& s = {},
                          const TopicUsage& usage = example_usage(),
                          const std::vector<std::string>& topics = kTopics) {
  const auto table = model_table(s);
  return attribute_line(line(type, amount), table.at(type), topics, usage,
                        s.missing_metrics_behavior);
}

TEST(TopicModels, example1_network_write_splits_by_bytes_in) {
  auto rows = run("KAFKA_NETWORK_WRITE", "12.00");
  EXPECT_EQ(amounts(rows),
            (std::vector<std::string>{"audit-log=0.0000", "orders=7.2000", "payments=4.8000"}));
  EXPECT_EQ(rows[0].attribution_method, "bytes_ratio");
}

TEST(TopicModels, example1_network_read_splits_by_bytes_out) {
  EXPECT_EQ(amounts(run("KAFKA_NETWORK_READ", "9.00")),
            (std::vector<std::string>{"audit-log=3.0000", "orders=6.0000", "payments=0.0000"}));
}

TEST(TopicModels, example1_storage_splits_by_max_retained) {
  auto rows = run("KAFKA_STORAGE", "4.50");
  EXPECT_EQ(amounts(rows),
            (std::vector<std::string>{"audit-log=1.3500", "orders=2.7000", "payments=0.4500"}));
  EXPECT_EQ(rows[0].attribution_method, "retained_bytes_ratio");
}

TEST(TopicModels, example1_ckus_split_by_bytes_in_plus_out) {
  EXPECT_EQ(amounts(run("KAFKA_NUM_CKUS", "30.00")),
            (std::vector<std::string>{"audit-log=6.0000", "orders=19.2000", "payments=4.8000"}));
  EXPECT_EQ(amounts(run("KAFKA_NUM_CKU", "30.00")).size(), 3u);
}

TEST(TopicModels, example1_even_split_remainder_goes_to_first_topic_in_byte_order) {
  EXPECT_EQ(amounts(run("KAFKA_PARTITION", "1.00")),
            (std::vector<std::string>{"audit-log=0.3334", "orders=0.3333", "payments=0.3333"}));
  auto base = run("KAFKA_BASE", "2.00");
  EXPECT_EQ(amounts(base),
            (std::vector<std::string>{"audit-log=0.6666", "orders=0.6667", "payments=0.6667"}));
  EXPECT_EQ(base[0].attribution_method, "even_split");
}

TEST(TopicModels, unmapped_product_type_is_not_in_the_table) {
  EXPECT_EQ(model_table({}).count("KAFKA_REST_PRODUCE"), 0u);
}

TEST(TopicModels, example1_overrides_disable_base_and_add_rest_produce) {
  TopicSettings s;
  s.cost_mapping_overrides = {{"KAFKA_BASE", "disabled"}, {"KAFKA_REST_PRODUCE", "even_split"}};
  auto base = run("KAFKA_BASE", "2.00", s);
  ASSERT_EQ(base.size(), 1u);  // recorded, not dropped
  EXPECT_EQ(base[0].topic_name, kUnattributed);
  EXPECT_EQ(base[0].attribution_method, kDisabled);
  EXPECT_EQ(base[0].amount, m("2.00"));
  EXPECT_EQ(amounts(run("KAFKA_REST_PRODUCE", "0.75", s)),
            (std::vector<std::string>{"audit-log=0.2500", "orders=0.2500", "payments=0.2500"}));
}

TEST(TopicModels, example2_zero_usage_falls_back_to_even_split) {
  TopicUsage zero = {{kBytesOut, {{"t1", 0}, {"t2", 0}, {"t3", 0}}}};
  const std::vector<std::string> topics = {"t1", "t2", "t3"};
  auto read = run("KAFKA_NETWORK_READ", "8.40", {}, zero, topics);
  EXPECT_EQ(amounts(read), (std::vector<std::string>{"t1=2.8000", "t2=2.8000", "t3=2.8000"}));
  EXPECT_EQ(read[0].attribution_method, "even_split");
  EXPECT_EQ(amounts(run("KAFKA_BASE", "1.60", {}, zero, topics)),
            (std::vector<std::string>{"t1=0.5334", "t2=0.5333", "t3=0.5333"}));
}

TEST(TopicModels, example2_skip_records_the_line_as_unattributed) {
  TopicSettings s;
  s.missing_metrics_behavior = "skip";
  auto read = run("KAFKA_NETWORK_READ", "8.40", s, {}, {"t1", "t2", "t3"});
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].topic_name, kUnattributed);
  EXPECT_EQ(read[0].attribution_method, kSkippedNoMetrics);
  EXPECT_EQ(read[0].amount, m("8.40"));
  EXPECT_EQ(run("KAFKA_BASE", "1.60", s, {}, {"t1", "t2", "t3"}).size(), 3u);
}

TEST(TopicModels, empty_universe_is_recorded_with_the_whole_amount) {
  auto rows = run("KAFKA_NETWORK_WRITE", "5.00", {}, {}, {});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].attribution_method, kNoTopics);
  EXPECT_EQ(rows[0].amount, m("5.00"));
}

TEST(TopicModels, failed_row_carries_the_amount) {
  auto row = failed_row(line("KAFKA_NETWORK_READ", "8.40"));
  EXPECT_EQ(row.topic_name, kUnattributed);
  EXPECT_EQ(row.attribution_method, kAttributionFailed);
  EXPECT_EQ(row.amount, m("8.40"));
}

TEST(TopicModels, bytes_ratio_override_on_base_splits_by_bytes_in_and_out) {
  TopicSettings s;
  s.cost_mapping_overrides = {{"KAFKA_BASE", "bytes_ratio"}};
  auto rows = run("KAFKA_BASE", "25.00", s);
  // in+out: audit-log 500, orders 1600, payments 400 of 2500.
  EXPECT_EQ(amounts(rows),
            (std::vector<std::string>{"audit-log=5.0000", "orders=16.0000", "payments=4.0000"}));
  EXPECT_EQ(rows[0].attribution_method, "bytes_ratio");
}

TEST(TopicModels, retained_bytes_override_applies_to_any_type) {
  TopicSettings s;
  s.cost_mapping_overrides = {{"KAFKA_NETWORK_WRITE", "retained_bytes_ratio"}};
  EXPECT_EQ(amounts(run("KAFKA_NETWORK_WRITE", "10.00", s)),
            (std::vector<std::string>{"audit-log=3.0000", "orders=6.0000", "payments=1.0000"}));
}

TEST(TopicModels, negative_usage_counts_as_none) {
  TopicUsage usage = {{kBytesIn, {{"a", -50}, {"b", 100}}}};
  EXPECT_EQ(amounts(run("KAFKA_NETWORK_WRITE", "1.00", {}, usage, {"a", "b"})),
            (std::vector<std::string>{"a=0.0000", "b=1.0000"}));
}

TEST(TopicModels, exclude_patterns_are_whole_name_globs) {
  const std::vector<std::string> p = {"__consumer_offsets", "_schemas", "_confluent-*",
                                      "tmp-[0-9]?"};
  EXPECT_TRUE(excluded_topic("__consumer_offsets", p));
  EXPECT_TRUE(excluded_topic("_confluent-metrics", p));
  EXPECT_TRUE(excluded_topic("tmp-1x", p));
  EXPECT_FALSE(excluded_topic("tmp-x1", p));
  EXPECT_FALSE(excluded_topic("orders_schemas", p));
  EXPECT_FALSE(excluded_topic("_Confluent-x", p));  // case-sensitive
}

// Property: for random lines, topics and usage, a line's rows sum to its amount exactly, and
// running it again gives the same rows.
TEST(TopicModels, property_rows_sum_to_the_line_amount_and_rerun_is_identical) {
  std::mt19937_64 rng(20260202);
  const std::vector<std::string> types = {"KAFKA_NETWORK_WRITE", "KAFKA_NETWORK_READ",
                                          "KAFKA_STORAGE",       "KAFKA_NUM_CKU",
                                          "KAFKA_PARTITION",     "KAFKA_BASE"};
  for (int iter = 0; iter < 3000; ++iter) {
    const std::size_t n = rng() % 12;
    std::vector<std::string> topics;
    for (std::size_t i = 0; i < n; ++i) topics.push_back("t" + std::to_string(i));
    std::sort(topics.begin(), topics.end());
    TopicUsage usage;
    for (const auto& key : {kBytesIn, kBytesOut, kRetainedBytes}) {
      for (const auto& t : topics) {
        if (rng() % 3 == 0) continue;
        usage[key][t] = static_cast<double>(rng() % 1000000) * (rng() % 5 == 0 ? 1e6 : 1);
      }
    }
    const Money amount = Money::from_units(static_cast<std::int64_t>(rng() % 100000000) -
                                           (rng() % 10 == 0 ? 50000000 : 0));
    TopicSettings s;
    if (rng() % 2) s.missing_metrics_behavior = "skip";
    const auto& type = types[rng() % types.size()];
    TopicLine l{"2026-01-01 00:00:00", "KAFKA", type, amount};
    const Model model = model_table(s).at(type);
    auto rows = attribute_line(l, model, topics, usage, s.missing_metrics_behavior);
    Money sum;
    for (const auto& r : rows) sum += r.amount;
    ASSERT_EQ(sum, amount) << "iteration " << iter << " type " << type << " n " << n;
    auto again = attribute_line(l, model, topics, usage, s.missing_metrics_behavior);
    ASSERT_EQ(amounts(again), amounts(rows));
  }
}

}  // namespace
}  // namespace chitragupt::topics
