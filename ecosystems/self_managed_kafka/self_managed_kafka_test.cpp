// self_managed_kafka: settings validation (every key of reference §4.1, errors by path), cost
// synthesis (§4.4 and the worked example 1), allocation tiers (§4.5, worked examples 2 and 4)
// and conservation over random days.

#include <gtest/gtest.h>

#include <random>

#include "allocation/allocate_line.hpp"
#include "ecosystems/ecosystem.hpp"
#include "ecosystems/metric_cost.hpp"
#include "ecosystems/self_managed_kafka/ecosystem.hpp"
#include "ecosystems/self_managed_kafka/settings.hpp"
#include "sources/decimal_text.hpp"

namespace chitragupt::ecosystems::self_managed_kafka {
namespace {

using allocation::Money;
using nlohmann::json;

constexpr double kGiB = 1073741824.0;

json valid_settings() {
  return json::parse(R"({
    "cluster_id": "kafka-prod-cluster", "broker_count": 3, "region": "eu-west-1",
    "cost_model": {"compute_hourly_rate": "0.50", "storage_per_gib_hourly": "0.0001",
                   "network_ingress_per_gib": "0.01", "network_egress_per_gib": "0.05",
                   "region_overrides": {"eu-west-1": {"compute_hourly_rate": "0.60"}}},
    "metrics": {"url": "http://127.0.0.1:9"}})");
}

std::vector<std::string> error_lines(const json& settings) {
  std::vector<std::string> out;
  for (const auto& e : parse_settings(settings).errors) out.push_back(e.path + ": " + e.message);
  return out;
}

bool has_error(const json& settings, const std::string& path, const std::string& fragment = "") {
  for (const auto& e : parse_settings(settings).errors) {
    if (e.path == path && e.message.find(fragment) != std::string::npos) return true;
  }
  return false;
}

TEST(SelfManagedKafkaSettings, the_reference_settings_are_valid_with_their_defaults) {
  auto parsed = parse_settings(valid_settings());
  ASSERT_TRUE(parsed.settings) << ::testing::PrintToString(error_lines(valid_settings()));
  const Settings& s = *parsed.settings;
  EXPECT_EQ(s.identity.source, IdentitySource::prometheus);
  EXPECT_EQ(s.identity.default_team, "UNASSIGNED");
  EXPECT_EQ(s.resource_source, ResourceSource::prometheus);
  EXPECT_EQ(s.admin_api.security_protocol, "PLAINTEXT");
  EXPECT_EQ(s.discovery_window_hours, 1);
  EXPECT_EQ(s.metrics_step_seconds, 3600);
  EXPECT_EQ(s.min_refresh_gap_seconds, 1800);
  EXPECT_EQ(s.effective_rates().compute_hourly_rate, "0.60");
  EXPECT_EQ(s.effective_rates().storage_per_gib_hourly, "0.0001");
}

TEST(SelfManagedKafkaSettings, every_bad_key_is_an_error_naming_its_path) {
  json s = valid_settings();
  s.erase("cluster_id");
  s["broker_count"] = 0;
  s["cost_model"].erase("network_egress_per_gib");
  s["cost_model"]["compute_hourly_rate"] = "cheap";
  s["cost_model"]["region_overrides"]["eu-west-1"]["compute_hourly_rte"] = "1";
  s["identity_source"] = {{"source", "ldap"},
                          {"discovery_window_hours", 2},
                          {"static_identities", json::array({json{{"identity_id", "u"}}})}};
  s["resource_source"] = {
      {"source", "admin_api"}, {"sasl_mechanism", "GSSAPI"}, {"security_protocol", "SASL_SSL"}};
  s["discovery_window_hours"] = 0;
  s["metrics"] = {{"url", "http://x"}, {"auth_type", "basic"}};
  s["metrics_step_seconds"] = 0;
  s["colour"] = "blue";
  EXPECT_TRUE(has_error(s, "cluster_id", "required"));
  EXPECT_TRUE(has_error(s, "broker_count", "at least 1"));
  EXPECT_TRUE(has_error(s, "cost_model.network_egress_per_gib", "required"));
  EXPECT_TRUE(has_error(s, "cost_model.compute_hourly_rate", "decimal"));
  EXPECT_TRUE(has_error(s, "cost_model.region_overrides.eu-west-1.compute_hourly_rte",
                        "did you mean compute_hourly_rate"));
  EXPECT_TRUE(has_error(s, "identity_source.source", "prometheus, static, both"));
  EXPECT_TRUE(has_error(s, "identity_source.discovery_window_hours", "top-level key"));
  EXPECT_TRUE(has_error(s, "identity_source.static_identities[0].identity_type", "required"));
  EXPECT_TRUE(has_error(s, "resource_source.bootstrap_servers", "admin_api"));
  EXPECT_TRUE(has_error(s, "resource_source.sasl_mechanism", "PLAIN"));
  EXPECT_TRUE(has_error(s, "discovery_window_hours", "at least 1"));
  EXPECT_TRUE(has_error(s, "metrics", "username and password required"));
  EXPECT_TRUE(has_error(s, "metrics_step_seconds", "at least 1"));
  EXPECT_TRUE(has_error(s, "colour", "unknown key"));
}

TEST(SelfManagedKafkaSettings, a_sasl_mechanism_needs_credentials_and_a_sasl_protocol) {
  json s = valid_settings();
  s["resource_source"] = {{"source", "admin_api"},
                          {"bootstrap_servers", "kafka:9092"},
                          {"sasl_mechanism", "SCRAM-SHA-512"},
                          {"sasl_password", "pw-secret-123"}};
  EXPECT_TRUE(has_error(s, "resource_source.sasl_username", "required"));
  EXPECT_TRUE(has_error(s, "resource_source.security_protocol", "SASL_PLAINTEXT or SASL_SSL"));
  for (const auto& line : error_lines(s)) EXPECT_EQ(line.find("pw-secret-123"), std::string::npos);
}

TEST(SelfManagedKafkaSettings, metrics_are_required) {
  json s = valid_settings();
  s.erase("metrics");
  EXPECT_TRUE(has_error(s, "metrics", "required"));
}

// Reference §6, example 1.
TEST(SelfManagedKafkaCost, worked_example_one_prices_the_day_with_the_region_override) {
  const Settings s = *parse_settings(valid_settings()).settings;
  DaySamples samples;
  for (int i = 0; i < 12; ++i) samples.storage_bytes.push_back(200 * kGiB);
  for (int i = 0; i < 12; ++i) samples.storage_bytes.push_back(210 * kGiB);
  for (int i = 0; i < 16; ++i) samples.bytes_in.push_back(3 * kGiB);
  for (int i = 0; i < 8; ++i) samples.bytes_in.push_back(1 * kGiB);
  for (int i = 0; i < 24; ++i) samples.bytes_out.push_back(6.25 * kGiB);
  auto lines = day_lines(s, *ccloud::CivilDate::parse("2026-03-10"), 24, samples);
  ASSERT_EQ(lines.size(), 4u);
  auto expect = [&](std::size_t i, const char* type, const char* quantity, const char* price,
                    const char* total) {
    EXPECT_EQ(lines[i].product_type, type);
    EXPECT_EQ(lines[i].quantity, quantity) << type;
    EXPECT_EQ(lines[i].unit_price, price) << type;
    EXPECT_EQ(*ccloud::compare_decimal(lines[i].total_cost, total), 0)
        << type << " " << lines[i].total_cost;
    EXPECT_EQ(lines[i].timestamp, "2026-03-10 00:00:00");
    EXPECT_EQ(lines[i].resource_id, "kafka-prod-cluster");
    EXPECT_EQ(lines[i].product_category, "kafka");
  };
  expect(0, kCompute, "72", "0.60", "43.20");
  expect(1, kStorage, "4920", "0.0001", "0.492");
  expect(2, kIngress, "56", "0.01", "0.56");
  expect(3, kEgress, "150", "0.05", "7.50");
}

TEST(SelfManagedKafkaCost, a_gib_is_two_to_the_thirtieth_bytes_exactly) {
  EXPECT_EQ(sum_gib({60e9}), "55.8793544769287109375");
  EXPECT_EQ(cost_of(sum_gib({60e9}), "0.01"), "0.558793544769287109375");
  EXPECT_EQ(mean_gib_hours({}, 24), "0");
}

TEST(SelfManagedKafkaCost, a_day_without_samples_still_bills_compute_and_zero_usage) {
  const Settings s = *parse_settings(valid_settings()).settings;
  auto lines = day_lines(s, *ccloud::CivilDate::parse("2026-03-10"), 24, DaySamples{});
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1].quantity, "0");
  EXPECT_EQ(*ccloud::compare_decimal(lines[2].total_cost, "0"), 0);
}

// --- allocation

allocation::BillingLine line(const std::string& type, const std::string& total) {
  allocation::BillingLine l;
  l.ecosystem = "self_managed_kafka";
  l.tenant_id = "t";
  l.timestamp = ccloud::CivilDate::parse("2026-03-10")->epoch_seconds();
  l.resource_id = "kafka-prod-cluster";
  l.product_category = "kafka";
  l.product_type = type;
  l.total_cost = *allocation::Decimal::parse(total);
  return l;
}

allocation::MetricRow row(const std::string& key, const std::string& principal, double value) {
  allocation::MetricRow r;
  r.timestamp = ccloud::CivilDate::parse("2026-03-10")->epoch_seconds();
  r.metric_key = key;
  r.value = value;
  r.labels["principal_id"] = principal;
  return r;
}

struct Allocated {
  std::map<std::string, std::string> amounts;  // identity -> amount
  std::vector<allocation::ChargebackRow> rows;
};

Allocated allocate(const Settings& s, const allocation::BillingLine& l,
                   const std::vector<allocation::MetricRow>* metrics) {
  auto registry = cost_model(s);
  allocation::LineInputs in;
  in.metrics = metrics;
  auto rows = allocation::allocate_line(l, in, registry);
  EXPECT_TRUE(rows.is_ok()) << (rows.is_ok() ? "" : rows.error());
  Allocated out;
  if (!rows.is_ok()) return out;
  out.rows = *rows;
  for (const auto& r : *rows) out.amounts[r.identity_id] = r.amount.to_string();
  return out;
}

std::vector<allocation::MetricRow> example_two_metrics() {
  return {row("bytes_in_per_principal", "User:alice", 40 * kGiB),
          row("bytes_in_per_principal", "User:bob", 16 * kGiB),
          row("bytes_in_per_principal", "User:carol", 0),
          row("bytes_out_per_principal", "User:alice", 90 * kGiB),
          row("bytes_out_per_principal", "User:bob", 60 * kGiB)};
}

// Reference §6, example 2.
TEST(SelfManagedKafkaAllocation, compute_splits_evenly_over_every_principal_seen_even_at_zero) {
  const Settings s = *parse_settings(valid_settings()).settings;
  auto metrics = example_two_metrics();
  auto compute = allocate(s, line(kCompute, "43.20"), &metrics);
  EXPECT_EQ(compute.amounts,
            (std::map<std::string, std::string>{
                {"User:alice", "14.4000"}, {"User:bob", "14.4000"}, {"User:carol", "14.4000"}}));
  EXPECT_EQ(compute.rows[0].allocation_method, "even_split");
  EXPECT_EQ(compute.rows[0].cost_type, allocation::CostType::kUsage);
  EXPECT_FALSE(compute.rows[0].allocation_detail.has_value());
  auto storage = allocate(s, line(kStorage, "0.492"), &metrics);
  EXPECT_EQ(storage.amounts.at("User:carol"), "0.1640");
}

TEST(SelfManagedKafkaAllocation, network_goes_by_usage_ratio_and_zero_byte_principals_get_none) {
  const Settings s = *parse_settings(valid_settings()).settings;
  auto metrics = example_two_metrics();
  auto ingress = allocate(s, line(kIngress, "0.56"), &metrics);
  EXPECT_EQ(ingress.amounts,
            (std::map<std::string, std::string>{{"User:alice", "0.4000"}, {"User:bob", "0.1600"}}));
  EXPECT_EQ(ingress.rows[0].allocation_method, "usage_ratio");
  EXPECT_EQ(ingress.rows[0].allocation_detail,
            std::optional<std::string>("usage_ratio_allocation"));
  auto egress = allocate(s, line(kEgress, "7.50"), &metrics);
  EXPECT_EQ(egress.amounts,
            (std::map<std::string, std::string>{{"User:alice", "4.5000"}, {"User:bob", "3.0000"}}));
}

TEST(SelfManagedKafkaAllocation, a_static_source_without_identities_goes_to_unallocated) {
  json j = valid_settings();
  j["identity_source"] = {{"source", "static"}};
  const Settings s = *parse_settings(j).settings;
  auto compute = allocate(s, line(kCompute, "43.200"), nullptr);
  ASSERT_EQ(compute.rows.size(), 1u);
  EXPECT_EQ(compute.rows[0].identity_id, "UNALLOCATED");
  EXPECT_EQ(compute.rows[0].allocation_method, "terminal");
  EXPECT_EQ(compute.rows[0].allocation_detail, std::optional<std::string>("no_identities_located"));
  EXPECT_EQ(compute.rows[0].metadata.chain_tier, std::optional<int>(2));
  // Quantized, so the rows sum to the billed amount (the original stored the unrounded one).
  auto tiny = allocate(s, line(kIngress, "0.0931322574615478515625"), nullptr);
  EXPECT_EQ(tiny.amounts.at("UNALLOCATED"), "0.0931");
}

TEST(SelfManagedKafkaAllocation, static_identities_share_when_no_principal_was_measured) {
  json j = valid_settings();
  j["identity_source"] = {
      {"source", "both"},
      {"static_identities",
       json::array({json{{"identity_id", "team-a"}, {"identity_type", "team"}},
                    json{{"identity_id", "team-b"}, {"identity_type", "team"}}})}};
  const Settings s = *parse_settings(j).settings;
  std::vector<allocation::MetricRow> none;
  auto compute = allocate(s, line(kCompute, "1.00"), &none);
  EXPECT_EQ(compute.amounts,
            (std::map<std::string, std::string>{{"team-a", "0.5000"}, {"team-b", "0.5000"}}));
  EXPECT_EQ(compute.rows[0].allocation_detail,
            std::optional<std::string>("no_active_identities_located"));
  auto ingress = allocate(s, line(kIngress, "1.00"), &none);
  EXPECT_EQ(ingress.rows[0].allocation_detail, std::optional<std::string>("no_metrics_located"));
}

// Reference §6, example 4: remainders go to the first ids in sorted order.
TEST(SelfManagedKafkaAllocation, remainders_land_on_the_first_sorted_principals) {
  const Settings s = *parse_settings(valid_settings()).settings;
  std::vector<allocation::MetricRow> seven;
  for (int i = 1; i <= 7; ++i)
    seven.push_back(row("bytes_in_per_principal", "u" + std::to_string(i), 1));
  auto compute = allocate(s, line(kCompute, "36.00"), &seven);
  EXPECT_EQ(compute.amounts.at("u1"), "5.1428");
  EXPECT_EQ(compute.amounts.at("u3"), "5.1428");
  EXPECT_EQ(compute.amounts.at("u4"), "5.1429");
  std::vector<allocation::MetricRow> three = {row("bytes_in_per_principal", "c", 1),
                                              row("bytes_in_per_principal", "a", 1),
                                              row("bytes_in_per_principal", "b", 1)};
  auto even = allocate(s, line(kCompute, "0.50"), &three);
  EXPECT_EQ(even.amounts, (std::map<std::string, std::string>{
                              {"a", "0.1666"}, {"b", "0.1667"}, {"c", "0.1667"}}));
  // The original gave the usage-ratio cent to the first series Prometheus returned (c); here it
  // goes to the first sorted id, whatever the series order.
  auto usage = allocate(s, line(kIngress, "10.00"), &three);
  EXPECT_EQ(usage.amounts, (std::map<std::string, std::string>{
                               {"a", "3.3334"}, {"b", "3.3333"}, {"c", "3.3333"}}));
}

TEST(SelfManagedKafkaAllocation, every_line_conserves_its_amount_over_random_days) {
  std::mt19937_64 rng(7);
  json j = valid_settings();
  j["identity_source"] = {{"source", "both"},
                          {"static_identities",
                           json::array({json{{"identity_id", "ops"}, {"identity_type", "team"}}})}};
  const Settings s = *parse_settings(j).settings;
  for (int round = 0; round < 300; ++round) {
    std::vector<allocation::MetricRow> metrics;
    const int principals = static_cast<int>(rng() % 9);
    for (int p = 0; p < principals; ++p) {
      for (const char* key : {"bytes_in_per_principal", "bytes_out_per_principal"}) {
        for (int h = 0; h < 3; ++h) {
          metrics.push_back(row(key, "User:" + std::to_string(rng() % 20),
                                rng() % 4 == 0 ? 0.0 : static_cast<double>(rng() % 100000000)));
        }
      }
    }
    const std::string total =
        std::to_string(rng() % 100000) + "." + std::to_string(rng() % 1000000000);
    for (const char* type : {kCompute, kStorage, kIngress, kEgress}) {
      auto allocated = allocate(s, line(type, total), &metrics);
      std::int64_t sum = 0;
      for (const auto& r : allocated.rows) {
        EXPECT_GE(r.amount.units(), 0);
        sum += r.amount.units();
      }
      EXPECT_EQ(sum, allocation::Decimal::parse(total)->to_money()->units())
          << type << " " << total;
    }
  }
}

TEST(Ecosystems, the_registry_knows_the_three_ecosystems_and_nothing_else) {
  EXPECT_NE(find("confluent_cloud"), nullptr);
  EXPECT_NE(find("self_managed_kafka"), nullptr);
  EXPECT_NE(find("generic_metrics_only"), nullptr);
  EXPECT_EQ(find("aws_msk"), nullptr);
  config::TenantConfig t;
  t.ecosystem = "aws_msk";
  EXPECT_FALSE(create(t).is_ok());
}

}  // namespace
}  // namespace chitragupt::ecosystems::self_managed_kafka
