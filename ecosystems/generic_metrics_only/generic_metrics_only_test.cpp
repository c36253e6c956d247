// generic_metrics_only: settings (reference §5.1), cost synthesis (§5.3) and allocation (§5.4)
// with the worked example 3.

#include <gtest/gtest.h>

#include "allocation/allocate_line.hpp"
#include "ecosystems/generic_metrics_only/ecosystem.hpp"
#include "sources/decimal_text.hpp"

namespace chitragupt::ecosystems::generic_metrics_only {
namespace {

using nlohmann::json;
constexpr double kGiB = 1073741824.0;

json example_three() {
  return json::parse(R"json({
    "cluster_id": "pg-prod-cluster",
    "metrics": {"url": "http://127.0.0.1:9"},
    "identity_source": {"source": "prometheus", "label": "principal",
                        "discovery_query": "sum by (principal) (pg_stat_activity_count)"},
    "cost_types": [
      {"name": "PG_COMPUTE", "product_category": "postgres", "rate": "0.50",
       "cost_quantity": {"type": "fixed", "count": 3}, "allocation_strategy": "even_split"},
      {"name": "PG_STORAGE", "product_category": "postgres", "rate": "0.0001",
       "cost_quantity": {"type": "storage_gib", "query": "sum(pg_database_size_bytes)"},
       "allocation_strategy": "even_split"},
      {"name": "PG_NETWORK", "product_category": "postgres", "rate": "0.05",
       "cost_quantity": {"type": "network_gib", "query": "sum(increase(pg_bytes[1h]))"},
       "allocation_strategy": "usage_ratio",
       "allocation_query": "sum by (principal) (increase(pg_bytes[1h]))",
       "allocation_label": "principal"}]
})json");
}

bool has_error(const json& settings, const std::string& path, const std::string& fragment = "") {
  for (const auto& e : parse_settings(settings).errors) {
    if (e.path == path && e.message.find(fragment) != std::string::npos) return true;
  }
  return false;
}

TEST(GenericSettings, the_worked_example_is_valid) {
  auto parsed = parse_settings(example_three());
  ASSERT_TRUE(parsed.settings);
  EXPECT_EQ(parsed.settings->cost_types.size(), 3u);
  EXPECT_EQ(parsed.settings->identity_label, "principal");
}

TEST(GenericSettings, every_bad_key_is_an_error_naming_its_path) {
  json s = example_three();
  s["identity_source"].erase("discovery_query");
  s["cost_types"][0]["cost_quantity"] = {{"type", "fixed"}, {"count", 0}};
  s["cost_types"][1]["cost_quantity"] = {{"type", "gallons"}};
  s["cost_types"][2].erase("allocation_label");
  s["cost_types"].push_back(s["cost_types"][0]);
  s["ecosystem_name"] = "postgres";
  EXPECT_TRUE(has_error(s, "identity_source.discovery_query", "required"));
  EXPECT_TRUE(has_error(s, "cost_types[0].cost_quantity.count", "at least 1"));
  EXPECT_TRUE(has_error(s, "cost_types[1].cost_quantity.type", "fixed, storage_gib, network_gib"));
  EXPECT_TRUE(has_error(s, "cost_types[2].allocation_label", "required"));
  EXPECT_TRUE(has_error(s, "cost_types[3].name", "duplicate"));
  EXPECT_TRUE(has_error(s, "ecosystem_name", "generic_metrics_only"));
  json empty = example_three();
  empty["cost_types"] = json::array();
  EXPECT_TRUE(has_error(empty, "cost_types", "at least one"));
  json none = example_three();
  none.erase("identity_source");
  EXPECT_TRUE(has_error(none, "identity_source.discovery_query", "required"));
}

// cost_quantity names all of its keys when one is unknown, and a key of the other kind of
// quantity is an error saying which type it belongs to (never silently ignored).
TEST(GenericSettings, cost_quantity_keys_belong_to_their_type) {
  json s = example_three();
  s["cost_types"][0]["cost_quantity"] = {{"type", "fixed"}, {"count", 3}, {"query", "up"}};
  s["cost_types"][1]["cost_quantity"]["count"] = 2;
  s["cost_types"][2]["cost_quantity"]["unit_of_measure"] = "GiB";
  EXPECT_TRUE(has_error(s, "cost_types[0].cost_quantity.query", "only to type storage_gib"));
  EXPECT_TRUE(has_error(s, "cost_types[1].cost_quantity.count", "only to type fixed"));
  EXPECT_TRUE(has_error(s, "cost_types[2].cost_quantity.unit_of_measure",
                        "valid keys: count, query, type"));
}

// An emitter whose type is missing or unknown still has its other keys checked: every error is
// reported at once (they were skipped until the type was fixed).
TEST(GenericSettings, an_emitter_without_a_type_still_has_its_keys_checked) {
  json s = example_three();
  s["emitters"] = json::array({{{"name", json::array()}, {"aggregation", "weekly"}},
                               {{"type", "kafka"}, {"lookback_days", 0}, {"params", 3}}});
  EXPECT_TRUE(has_error(s, "emitters[0].type", "required"));
  EXPECT_TRUE(has_error(s, "emitters[0].name", "expected a string"));
  EXPECT_TRUE(has_error(s, "emitters[0].aggregation", "hourly"));
  EXPECT_TRUE(has_error(s, "emitters[1].type", "unknown emitter type 'kafka'"));
  EXPECT_TRUE(has_error(s, "emitters[1].lookback_days", ""));
  EXPECT_TRUE(has_error(s, "emitters[1].params", "expected a mapping"));
}

// Reference §6, example 3.
TEST(GenericCost, worked_example_three_prices_each_cost_type) {
  const Settings s = *parse_settings(example_three()).settings;
  std::map<std::string, std::vector<double>> samples = {
      {"PG_STORAGE", std::vector<double>(24, 50 * kGiB)},
      {"PG_NETWORK", std::vector<double>(24, 0.5 * kGiB)}};
  auto lines = day_lines(s, *ccloud::CivilDate::parse("2026-03-10"), 24, samples);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].quantity, "72");
  EXPECT_EQ(lines[0].total_cost, "36.00");
  EXPECT_EQ(lines[1].quantity, "1200");
  EXPECT_EQ(*ccloud::compare_decimal(lines[1].total_cost, "0.12"), 0);
  EXPECT_EQ(lines[2].quantity, "12");
  EXPECT_EQ(*ccloud::compare_decimal(lines[2].total_cost, "0.60"), 0);
  EXPECT_EQ(lines[2].product_category, "postgres");
}

TEST(GenericCost, fixed_lines_stay_when_the_metric_queries_return_nothing) {
  const Settings s = *parse_settings(example_three()).settings;
  auto lines = day_lines(s, *ccloud::CivilDate::parse("2026-03-10"), 24, {});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].product_type, "PG_COMPUTE");
}

allocation::MetricRow row(const std::string& key, const std::string& principal, double value) {
  allocation::MetricRow r;
  r.metric_key = key;
  r.value = value;
  r.labels["principal_id"] = principal;
  return r;
}

std::map<std::string, std::string> allocate(const Settings& s, const std::string& type,
                                            const std::string& total,
                                            const std::vector<allocation::MetricRow>& metrics,
                                            std::string* method = nullptr) {
  allocation::BillingLine l;
  l.ecosystem = "generic_metrics_only";
  l.tenant_id = "t";
  l.resource_id = "pg-prod-cluster";
  l.product_category = "postgres";
  l.product_type = type;
  l.total_cost = *allocation::Decimal::parse(total);
  allocation::LineInputs in;
  in.metrics = &metrics;
  auto registry = cost_model(s);
  auto rows = allocation::allocate_line(l, in, registry);
  EXPECT_TRUE(rows.is_ok());
  std::map<std::string, std::string> out;
  if (!rows.is_ok()) return out;
  for (const auto& r : *rows) out[r.identity_id] = r.amount.to_string();
  if (method && !rows->empty()) *method = rows->front().allocation_method;
  return out;
}

TEST(GenericAllocation, worked_example_three_splits_evenly_and_by_usage) {
  const Settings s = *parse_settings(example_three()).settings;
  const std::vector<allocation::MetricRow> metrics = {
      row("discovery", "user:carol", 1), row("discovery", "user:alice", 1),
      row("discovery", "user:bob", 1), row("alloc_PG_NETWORK", "user:alice", 3),
      row("alloc_PG_NETWORK", "user:bob", 1)};
  EXPECT_EQ(allocate(s, "PG_COMPUTE", "36.00", metrics),
            (std::map<std::string, std::string>{
                {"user:alice", "12.0000"}, {"user:bob", "12.0000"}, {"user:carol", "12.0000"}}));
  EXPECT_EQ(allocate(s, "PG_STORAGE", "0.12", metrics).at("user:carol"), "0.0400");
  std::string method;
  EXPECT_EQ(allocate(s, "PG_NETWORK", "0.60", metrics, &method),
            (std::map<std::string, std::string>{{"user:alice", "0.4500"}, {"user:bob", "0.1500"}}));
  EXPECT_EQ(method, "usage_ratio");
}

TEST(GenericAllocation, without_usage_the_network_line_splits_over_everyone_seen) {
  const Settings s = *parse_settings(example_three()).settings;
  const std::vector<allocation::MetricRow> metrics = {row("discovery", "b", 1),
                                                      row("discovery", "a", 1)};
  std::string method;
  EXPECT_EQ(allocate(s, "PG_NETWORK", "1.00", metrics, &method),
            (std::map<std::string, std::string>{{"a", "0.5000"}, {"b", "0.5000"}}));
  EXPECT_EQ(method, "even_split");
  EXPECT_EQ(allocate(s, "PG_NETWORK", "1.00", {}),
            (std::map<std::string, std::string>{{"UNALLOCATED", "1.0000"}}));
}

}  // namespace
}  // namespace chitragupt::ecosystems::generic_metrics_only
