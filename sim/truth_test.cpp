// /sim/v1/truth agrees with what the endpoints actually serve.
#include <map>
#include <tuple>

#include <gtest/gtest.h>

#include "sim/money.hpp"
#include "sim/test_support.hpp"

namespace ccloud_sim::testing {
namespace {

// Exact decimal text of a JSON number → micros. Fails on exponents or more than 6 decimals.
int64_t parse_micros(const std::string& text) {
  EXPECT_EQ(text.find_first_of("eE"), std::string::npos) << text;
  const bool negative = !text.empty() && text[0] == '-';
  const std::string digits = negative ? text.substr(1) : text;
  const auto dot = digits.find('.');
  int64_t whole = std::stoll(digits.substr(0, dot));
  std::string fraction = dot == std::string::npos ? "" : digits.substr(dot + 1);
  EXPECT_LE(fraction.size(), 6u) << text;
  fraction.resize(6, '0');
  const int64_t micros = whole * 1000000 + std::stoll(fraction);
  return negative ? -micros : micros;
}

class Truth : public ::testing::TestWithParam<Preset> {};

TEST_P(Truth, billing_totals_equal_the_sum_over_all_billing_pages) {
  TestServer server(test_options(21, GetParam()));
  ASSERT_TRUE(server.started());
  auto client = server.client();
  auto res = client.Get("/sim/v1/truth");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  const json truth = json::parse(res->body);
  const std::string start = truth["window"]["start_date"];
  const std::string end = truth["window"]["end_date"];
  EXPECT_EQ(truth["window"]["days"], 30);

  struct Day {
    int64_t rows = 0, amount = 0;
    std::map<std::tuple<std::string, std::string, std::string, std::string>, int64_t> lines;
  };
  std::map<std::string, Day> days;
  for (const auto& row : all_items(client, "/billing/v1/costs?start_date=" + start +
                                               "&end_date=" + end + "&page_size=333")) {
    Day& day = days[row["start_date"]];
    const int64_t amount = parse_micros(row["amount"].dump());
    EXPECT_EQ(amount, parse_micros(row["original_amount"].dump()) -
                          parse_micros(row["discount_amount"].dump()));
    ++day.rows;
    day.amount += amount;
    const json& env = row["resource"]["environment"];
    day.lines[{env.is_null() ? "" : env["id"].get<std::string>(), row["resource"]["id"],
               row["product"], row["line_type"]}] += amount;
  }
  ASSERT_EQ(truth["billing"]["days"].size(), days.size());
  int64_t total = 0, total_quantized = 0, rows = 0, lines = 0;
  for (const auto& expected : truth["billing"]["days"]) {
    const Day& day = days[expected["date"]];
    int64_t quantized = 0;
    for (const auto& [key, amount] : day.lines) quantized += quantize_to_4(amount);
    EXPECT_EQ(expected["rows"].get<int64_t>(), day.rows) << expected["date"];
    EXPECT_EQ(expected["lines"].get<size_t>(), day.lines.size()) << expected["date"];
    EXPECT_EQ(expected["amount_raw"].get<std::string>(), fixed_text(day.amount, 6));
    EXPECT_EQ(expected["amount_quantized"].get<std::string>(), fixed_text(quantized, 4));
    total += day.amount;
    total_quantized += quantized;
    rows += day.rows;
    lines += static_cast<int64_t>(day.lines.size());
  }
  EXPECT_EQ(truth["billing"]["amount_raw"].get<std::string>(), fixed_text(total, 6));
  EXPECT_EQ(truth["billing"]["amount_quantized"].get<std::string>(),
            fixed_text(total_quantized, 4));
  EXPECT_EQ(truth["billing"]["rows"].get<int64_t>(), rows);
  EXPECT_EQ(truth["billing"]["lines"].get<int64_t>(), lines);
  EXPECT_LT(lines, rows) << "some rows must be tiers of one line";
}

TEST_P(Truth, object_counts_equal_what_the_listings_return) {
  TestServer server(test_options(21, GetParam()));
  ASSERT_TRUE(server.started());
  auto client = server.client();
  const json objects = json::parse(client.Get("/sim/v1/truth")->body)["objects"];
  const auto& m = server.sim().model();
  std::map<std::string, size_t> counted;
  auto envs = all_items(client, "/org/v2/environments");
  counted["environments"] = envs.size();
  for (const auto& env : envs) {
    const std::string id = env["id"];
    auto clusters = all_items(client, "/cmk/v2/clusters?environment=" + id);
    counted["kafka_clusters"] += clusters.size();
    counted["schema_registries"] += all_items(client, "/srcm/v3/clusters?environment=" + id).size();
    counted["ksqldb_clusters"] +=
        all_items(client, "/ksqldbcm/v2/clusters?environment=" + id).size();
    counted["flink_compute_pools"] +=
        all_items(client, "/fcpm/v2/compute-pools?environment=" + id).size();
    counted["flink_statements"] += all_items(client, "/sql/v1/organizations/" + m.organization.id +
                                                         "/environments/" + id + "/statements")
                                       .size();
    for (const auto& c : clusters) {
      auto res = client.Get(("/connect/v1/environments/" + id + "/clusters/" +
                             c["id"].get<std::string>() + "/connectors")
                                .c_str());
      counted["connectors"] += json::parse(res->body).size();
    }
  }
  counted["service_accounts"] = all_items(client, "/iam/v2/service-accounts?page_size=100").size();
  counted["users"] = all_items(client, "/iam/v2/users?page_size=100").size();
  counted["api_keys"] = all_items(client, "/iam/v2/api-keys?page_size=100").size();
  auto providers = all_items(client, "/iam/v2/identity-providers");
  counted["identity_providers"] = providers.size();
  for (const auto& p : providers) {
    counted["identity_pools"] +=
        all_items(client,
                  "/iam/v2/identity-providers/" + p["id"].get<std::string>() + "/identity-pools")
            .size();
  }
  ASSERT_EQ(objects.size(), counted.size());
  for (const auto& [kind, n] : counted) EXPECT_EQ(objects[kind].get<size_t>(), n) << kind;
}

INSTANTIATE_TEST_SUITE_P(Presets, Truth, ::testing::Values(Preset::kSmall, Preset::kMedium),
                         [](const auto& info) { return preset_name(info.param); });

TEST(Money, decimal_texts_and_half_up_quantization) {
  EXPECT_EQ(micros_json_text(100000000), "100.0");
  EXPECT_EQ(micros_json_text(649), "0.000649");
  EXPECT_EQ(micros_json_text(12500000), "12.5");
  EXPECT_EQ(fixed_text(123450000, 4), "123.4500");
  EXPECT_EQ(fixed_text(-1, 6), "-0.000001");
  EXPECT_EQ(quantize_to_4(1000050), 1000100);  // 1.00005 → 1.0001
  EXPECT_EQ(quantize_to_4(1000049), 1000000);
  EXPECT_EQ(quantize_to_4(-50), -100);
  EXPECT_FALSE(json_prints_exactly(649));  // nlohmann prints 0.0006489999999999999
  EXPECT_TRUE(json_prints_exactly(next_json_exact(649)));
  EXPECT_EQ(scale_round(33333333, 3, 1), 99999999);
}

}  // namespace
}  // namespace ccloud_sim::testing
