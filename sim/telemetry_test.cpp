// The Prometheus-compatible telemetry API and its PromQL subset.
#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "sim/promql.hpp"
#include "sim/telemetry_query.hpp"
#include "sim/test_support.hpp"

namespace ccloud_sim::testing {
namespace {

class TelemetryApi : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.started()); }

  json post(const char* path, const httplib::Params& params, int expected_status = 200) {
    auto res = client_.Post(path, params);
    EXPECT_TRUE(res);
    if (!res) return json();
    EXPECT_EQ(res->status, expected_status) << res->body;
    return json::parse(res->body);
  }

  TestServer server_{test_options(8, Preset::kSmall)};
  httplib::Client client_ = server_.client();
};

TEST_F(TelemetryApi, query_range_returns_a_prometheus_matrix_per_principal) {
  const auto& m = server_.sim().model();
  const std::string lkc = m.kafka_clusters[0].id;
  const json body =
      post("/api/v1/query_range", {{"query",
                                    "sum by (kafka_id, principal_id) "
                                    "(confluent_kafka_server_request_bytes{kafka_id=\"" +
                                        lkc + "\"})"},
                                   {"start", "2026-01-20T00:00:00+00:00"},
                                   {"end", "2026-01-21T00:00:00+00:00"},
                                   {"step", "3600"}});
  EXPECT_EQ(body["status"], "success");
  EXPECT_EQ(body["data"]["resultType"], "matrix");
  const auto& result = body["data"]["result"];
  ASSERT_FALSE(result.empty());
  const double start = *parse_time("2026-01-20T00:00:00Z");
  bool saw_positive = false;
  for (const auto& series : result) {
    ASSERT_EQ(series["metric"].size(), 2u) << series["metric"];
    EXPECT_EQ(series["metric"]["kafka_id"], lkc);
    EXPECT_TRUE(series["metric"]["principal_id"].is_string());
    for (const auto& point : series["values"]) {
      ASSERT_EQ(point.size(), 2u);
      ASSERT_TRUE(point[0].is_number_integer());
      ASSERT_TRUE(point[1].is_string());
      const auto t = point[0].get<int64_t>();
      EXPECT_EQ((t - static_cast<int64_t>(start)) % 3600, 0);
      EXPECT_GE(t, static_cast<int64_t>(start));
      EXPECT_LE(t, static_cast<int64_t>(start) + 86400);  // end is inclusive, as in Prometheus
      const std::string v = point[1];
      saw_positive = saw_positive || std::stoll(v) > 0;
    }
  }
  EXPECT_TRUE(saw_positive);
}

TEST_F(TelemetryApi, hourly_bytes_vary_and_include_zero_hours_across_the_window) {
  const auto& m = server_.sim().model();
  std::set<std::string> distinct;
  int zeros = 0;
  for (const auto& c : m.kafka_clusters) {
    const json body =
        post("/api/v1/query_range", {{"query",
                                      "sum by (kafka_id, principal_id) "
                                      "(confluent_kafka_server_response_bytes{kafka_id=\"" +
                                          c.id + "\"})"},
                                     {"start", std::to_string(m.window_start)},
                                     {"end", std::to_string(m.window_end - 3600)},
                                     {"step", "1h"}});
    for (const auto& series : body["data"]["result"]) {
      for (const auto& point : series["values"]) {
        distinct.insert(point[1].get<std::string>());
        zeros += point[1] == "0";
      }
    }
  }
  EXPECT_GT(zeros, 0);
  EXPECT_GT(distinct.size(), 100u);
}

TEST_F(TelemetryApi, unknown_queries_are_empty_and_malformed_ones_are_400) {
  const httplib::Params window{
      {"start", "2026-01-20T00:00:00Z"}, {"end", "2026-01-20T03:00:00Z"}, {"step", "3600"}};
  for (const char* query :
       {"no_such_metric{kafka_id=\"lkc-x\"}", "rate(foo[5m])",
        "sum by (kafka_id) (confluent_kafka_server_request_bytes{kafka_id=\"lkc-none\"})",
        "a + b"}) {
    auto params = window;
    params.emplace("query", query);
    const json body = post("/api/v1/query_range", params);
    EXPECT_EQ(body,
              json::parse(R"({"status":"success","data":{"resultType":"matrix","result":[]}})"))
        << query;
  }
  for (const char* query :
       {"sum by (kafka_id (x)", "foo{bar=\"baz\"", "foo{bar=baz}", "$$$", "foo bar"}) {
    auto params = window;
    params.emplace("query", query);
    const json body = post("/api/v1/query_range", params, 400);
    EXPECT_EQ(body["status"], "error") << query;
    EXPECT_EQ(body["errorType"], "bad_data") << query;
  }
  for (const httplib::Params& params :
       {httplib::Params{{"query", "up"}, {"start", "x"}, {"end", "1"}, {"step", "1"}},
        httplib::Params{{"query", "up"}, {"start", "10"}, {"end", "1"}, {"step", "1"}},
        httplib::Params{{"query", "up"}, {"start", "0"}, {"end", "1"}, {"step", "0"}},
        httplib::Params{{"query", "up"}, {"start", "0"}, {"end", "100000"}, {"step", "1"}},
        httplib::Params{{"start", "0"}, {"end", "1"}, {"step", "1"}}}) {
    EXPECT_EQ(post("/api/v1/query_range", params, 400)["status"], "error");
  }
}

TEST_F(TelemetryApi, instant_queries_return_a_vector) {
  const auto& m = server_.sim().model();
  const json body =
      post("/api/v1/query", {{"query", "sum by (kafka_id) (confluent_kafka_server_retained_bytes)"},
                             {"time", "2026-01-25T12:00:00Z"}});
  EXPECT_EQ(body["data"]["resultType"], "vector");
  ASSERT_FALSE(body["data"]["result"].empty());
  for (const auto& sample : body["data"]["result"]) {
    EXPECT_EQ(sample["value"][0], *parse_time("2026-01-25T12:00:00Z"));
    EXPECT_TRUE(m.kafka_cluster(sample["metric"]["kafka_id"]) != nullptr);
  }
}

TEST_F(TelemetryApi, flink_cfu_and_topic_metrics_are_served) {
  bool saw_cfu = false;
  for (const auto& params : telemetry_queries(server_.sim().model())) {
    const json body = post("/api/v1/query_range", params);
    EXPECT_EQ(body["status"], "success");
    const std::string query = params.find("query")->second;
    if (query.find("confluent_flink_num_cfu") != std::string::npos) {
      for (const auto& s : body["data"]["result"]) {
        EXPECT_TRUE(s["metric"].contains("flink_statement_name"));
        EXPECT_TRUE(s["metric"].contains("compute_pool_id"));
        saw_cfu = true;
      }
    }
    if (query.find("sent_bytes") != std::string::npos) {
      EXPECT_FALSE(body["data"]["result"].empty());
      for (const auto& s : body["data"]["result"]) EXPECT_TRUE(s["metric"].contains("topic"));
    }
  }
  EXPECT_TRUE(saw_cfu);
}

// Billing network lines are the telemetry's bytes: Σ request_bytes over a day / 10^9 GB.
TEST_F(TelemetryApi, billing_network_write_matches_the_days_request_bytes) {
  const auto& m = server_.sim().model();
  const int64_t day = m.end_day - 3;
  const auto& c = m.kafka_clusters[0];
  const json body =
      post("/api/v1/query_range",
           {{"query", "sum(confluent_kafka_server_request_bytes{kafka_id=\"" + c.id + "\"})"},
            {"start", std::to_string(day * 86400)},
            {"end", std::to_string(day * 86400 + 86400 - 3600)},
            {"step", "3600"}});
  ASSERT_EQ(body["data"]["result"].size(), 1u);
  int64_t bytes = 0;
  for (const auto& p : body["data"]["result"][0]["values"])
    bytes += std::stoll(p[1].get<std::string>());
  int64_t billed_micros = 0;
  for (const auto& row : server_.sim().ledger().rows()) {
    if (row.day == day && row.resource_id == c.id && row.line_type == "KAFKA_NETWORK_WRITE") {
      billed_micros += row.quantity;
    }
  }
  // GB with 3 decimals: bytes / 10^6 rounded, in micros; JSON-exactness may add a few micros.
  const int64_t expected = (bytes / 1000 + 500) / 1000 * 1000;
  EXPECT_NEAR(static_cast<double>(billed_micros), static_cast<double>(expected), 20.0);
}

TEST(PromQl, parses_the_queries_chitragupt_sends) {
  auto q = parse_query(
      "sum by (kafka_id, principal_id) "
      "(confluent_kafka_server_request_bytes{kafka_id=\"lkc-abc\"})");
  ASSERT_EQ(q.kind, ParsedQuery::Kind::kOk) << q.error;
  EXPECT_EQ(q.expr->aggregation, "sum");
  EXPECT_EQ(q.expr->grouping, (std::vector<std::string>{"kafka_id", "principal_id"}));
  ASSERT_TRUE(q.expr->inner);
  EXPECT_EQ(q.expr->inner->metric, "confluent_kafka_server_request_bytes");
  ASSERT_EQ(q.expr->inner->matchers.size(), 1u);
  EXPECT_EQ(q.expr->inner->matchers[0].value, "lkc-abc");

  q = parse_query("sum by (compute_pool_id, flink_statement_name)(confluent_flink_num_cfu{})");
  ASSERT_EQ(q.kind, ParsedQuery::Kind::kOk) << q.error;
  EXPECT_TRUE(q.expr->inner->matchers.empty());

  q = parse_query("sum(x{a=~\"lkc-.*\", b!=\"y\",}) by (a)");
  ASSERT_EQ(q.kind, ParsedQuery::Kind::kOk) << q.error;
  EXPECT_EQ(q.expr->grouping, std::vector<std::string>{"a"});
  EXPECT_TRUE(matches_all(q.expr->inner->matchers, "x", Labels{{"a", "lkc-1"}, {"b", "z"}}));
  EXPECT_FALSE(matches_all(q.expr->inner->matchers, "x", Labels{{"a", "xlkc-1"}}));
}

TEST(PromQl, tells_unsupported_from_malformed) {
  EXPECT_EQ(parse_query("rate(x[5m])").kind, ParsedQuery::Kind::kUnsupported);
  EXPECT_EQ(parse_query("x[5m]").kind, ParsedQuery::Kind::kUnsupported);
  EXPECT_EQ(parse_query("x / y").kind, ParsedQuery::Kind::kUnsupported);
  EXPECT_EQ(parse_query("sum(increase(x[1h]))").kind, ParsedQuery::Kind::kUnsupported);
  EXPECT_EQ(parse_query("").kind, ParsedQuery::Kind::kMalformed);
  EXPECT_EQ(parse_query("sum(x").kind, ParsedQuery::Kind::kMalformed);
  EXPECT_EQ(parse_query("x{a=\"b}").kind, ParsedQuery::Kind::kMalformed);
  EXPECT_EQ(parse_query("{}").kind, ParsedQuery::Kind::kMalformed);
  EXPECT_EQ(parse_query("x{a=~\"(\"}").kind, ParsedQuery::Kind::kMalformed);
}

TEST(PromQl, aggregations_group_and_sum_series) {
  const auto model = generate_org(4, Preset::kSmall, 20485, 10);
  const Telemetry telemetry(model);
  const auto& lkc = model.kafka_clusters[0].id;
  const std::string start = std::to_string((model.end_day - 1) * 86400);
  const std::string end = std::to_string((model.end_day - 1) * 86400 + 7200);
  auto per_principal = query_range(
      telemetry,
      "sum by (principal_id) (confluent_kafka_server_request_bytes{kafka_id=\"" + lkc + "\"})",
      start, end, std::string("3600"));
  auto total =
      query_range(telemetry, "sum(confluent_kafka_server_request_bytes{kafka_id=\"" + lkc + "\"})",
                  start, end, std::string("3600"));
  ASSERT_EQ(total.status, 200);
  ASSERT_EQ(total.body["data"]["result"].size(), 1u);
  EXPECT_TRUE(total.body["data"]["result"][0]["metric"].empty());
  for (size_t k = 0; k < 3; ++k) {
    int64_t sum = 0;
    for (const auto& s : per_principal.body["data"]["result"]) {
      for (const auto& p : s["values"]) {
        if (p[0] == total.body["data"]["result"][0]["values"][k][0])
          sum += std::stoll(p[1].get<std::string>());
      }
    }
    EXPECT_EQ(std::to_string(sum), total.body["data"]["result"][0]["values"][k][1]);
  }
  auto raw =
      query_range(telemetry, "confluent_kafka_server_request_bytes{kafka_id=\"" + lkc + "\"}",
                  start, end, std::string("1h"));
  ASSERT_FALSE(raw.body["data"]["result"].empty());
  EXPECT_EQ(raw.body["data"]["result"][0]["metric"]["__name__"],
            "confluent_kafka_server_request_bytes");
  // A 2-hour step sums the two hours it covers.
  auto wide =
      query_range(telemetry, "sum(confluent_kafka_server_request_bytes{kafka_id=\"" + lkc + "\"})",
                  start, start, std::string("7200"));
  const auto& hourly = total.body["data"]["result"][0]["values"];
  EXPECT_EQ(std::to_string(std::stoll(hourly[0][1].get<std::string>()) +
                           std::stoll(hourly[1][1].get<std::string>())),
            wide.body["data"]["result"][0]["values"][0][1]);
}

}  // namespace
}  // namespace ccloud_sim::testing
