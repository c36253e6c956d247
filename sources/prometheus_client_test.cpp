#include "sources/prometheus_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "sources/test_support.hpp"

namespace chitragupt::ccloud {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using testing::FakeServer;
using testing::RecordingClock;

constexpr const char* kMatrix = R"({"status":"success","data":{"resultType":"matrix","result":[
  {"metric":{"kafka_id":"lkc-abc","principal_id":"sa-1","instance":"x"},
   "values":[[1769904000,"300"],[1769907600,"0"]]},
  {"metric":{"kafka_id":"lkc-abc","principal_id":"sa-2"},"values":[[1769904000.5,"1.5e3"]]}]}})";

struct TelemetryFixture {
  FakeServer server;
  std::shared_ptr<RecordingClock> clock = std::make_shared<RecordingClock>();
  std::atomic<int> requests{0};

  std::unique_ptr<TelemetryClient> client(MetricsSettings settings = {}) {
    settings.url = server.url();
    TelemetryOptions options;
    options.clock = clock;
    options.uniform01 = [] { return 0.5; };
    options.request_timeout = milliseconds(2000);
    auto created = TelemetryClient::create(settings, options);
    EXPECT_TRUE(created.is_ok()) << created.error();
    return std::move(*created);
  }
};

TEST(ResourceFilter, the_first_empty_selector_gets_the_resource_label) {
  EXPECT_EQ(apply_resource_filter(metric_queries::kBytesIn.expression, "kafka_id", "lkc-abc"),
            "sum by (kafka_id, principal_id) "
            "(confluent_kafka_server_request_bytes{kafka_id=\"lkc-abc\"})");
  EXPECT_EQ(apply_resource_filter("a{} + b{}", "kafka_id", "lkc-1"), "a{kafka_id=\"lkc-1\"} + b{}");
}

TEST(ResourceFilter, no_filter_removes_the_braces_and_no_braces_is_unchanged) {
  EXPECT_EQ(apply_resource_filter("sum(m{})", "", "lkc-1"), "sum(m)");
  EXPECT_EQ(apply_resource_filter("sum(m{})", "kafka_id", ""), "sum(m)");
  EXPECT_EQ(apply_resource_filter("sum(m{job=\"k\"})", "kafka_id", "lkc-1"), "sum(m{job=\"k\"})");
  EXPECT_EQ(apply_resource_filter("m{}", "id", "a\"b"), "m{id=\"a\\\"b\"}");
}

TEST(MetricQueries, the_original_confluent_cloud_queries_are_named_constants) {
  EXPECT_EQ(metric_queries::kBytesOut.expression,
            "sum by (kafka_id, principal_id) (confluent_kafka_server_response_bytes{})");
  EXPECT_EQ(metric_queries::kFlinkCfuPrimary.expression,
            "sum by (compute_pool_id, flink_statement_name)(confluent_flink_num_cfu{})");
  EXPECT_EQ(metric_queries::kFlinkCfuFallback.expression,
            "sum by (compute_pool_id, flink_statement_name)"
            "(confluent_flink_statement_utilization_cfu_minutes_consumed{})");
  EXPECT_EQ(metric_queries::kFlinkCfuFallback.resource_label, "compute_pool_id");
  EXPECT_EQ(metric_queries::kBytesIn.resource_label, "kafka_id");
}

TEST(TelemetryClient, query_range_posts_a_form_and_parses_the_matrix_into_rows) {
  TelemetryFixture f;
  std::string content_type, query, start, end, step;
  f.server.server().Post("/api/v1/query_range",
                         [&](const httplib::Request& req, httplib::Response& res) {
                           content_type = req.get_header_value("Content-Type");
                           query = req.get_param_value("query");
                           start = req.get_param_value("start");
                           end = req.get_param_value("end");
                           step = req.get_param_value("step");
                           res.set_content(kMatrix, "application/json");
                         });
  f.server.start();
  auto rows = f.client()->query_range(metric_queries::kBytesIn, "lkc-abc", 1769904000,
                                      1769904000 + 86400, 3600);
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  EXPECT_EQ(content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(query,
            "sum by (kafka_id, principal_id) "
            "(confluent_kafka_server_request_bytes{kafka_id=\"lkc-abc\"})");
  EXPECT_EQ(start, "2026-02-01T00:00:00+00:00");
  EXPECT_EQ(end, "2026-02-02T00:00:00+00:00");
  EXPECT_EQ(step, "3600");
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].timestamp, 1769904000);
  EXPECT_EQ((*rows)[0].metric_key, "bytes_in");
  EXPECT_EQ((*rows)[0].value, 300.0);
  EXPECT_EQ((*rows)[0].labels, (std::map<std::string, std::string>{{"kafka_id", "lkc-abc"},
                                                                   {"principal_id", "sa-1"}}));
  EXPECT_EQ((*rows)[1].value, 0.0);
  EXPECT_EQ((*rows)[2].timestamp, 1769904000);
  EXPECT_EQ((*rows)[2].value, 1500.0);
  EXPECT_EQ((*rows)[2].labels.at("principal_id"), "sa-2");
}

TEST(TelemetryClient, instant_query_posts_time_and_parses_a_vector) {
  TelemetryFixture f;
  std::string time;
  f.server.server().Post("/api/v1/query", [&](const httplib::Request& req, httplib::Response& res) {
    time = req.get_param_value("time");
    res.set_content(R"({"status":"success","data":{"resultType":"vector","result":[
      {"metric":{"compute_pool_id":"lfcp-1","flink_statement_name":"s"},"value":[1769907600,"2"]}]}})",
                    "application/json");
  });
  f.server.start();
  auto rows = f.client()->query_instant(metric_queries::kFlinkCfuPrimary, "lfcp-1", 1769907600);
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  EXPECT_EQ(time, "2026-02-01T01:00:00+00:00");
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].value, 2.0);
  EXPECT_EQ((*rows)[0].labels.at("flink_statement_name"), "s");
}

TEST(TelemetryClient, bearer_auth_sends_the_token) {
  TelemetryFixture f;
  std::string authorization;
  f.server.server().Post(
      "/api/v1/query_range", [&](const httplib::Request& req, httplib::Response& res) {
        authorization = req.get_header_value("Authorization");
        res.set_content(R"({"status":"success","data":{"resultType":"matrix","result":[]}})",
                        "application/json");
      });
  f.server.start();
  MetricsSettings settings;
  settings.auth_type = MetricsAuthType::bearer;
  settings.bearer_token = "tok-123";
  ASSERT_TRUE(f.client(settings)->query_range(metric_queries::kBytesIn, "", 0, 3600, 60).is_ok());
  EXPECT_EQ(authorization, "Bearer tok-123");
}

TEST(TelemetryClient, basic_auth_sends_username_and_password_and_none_sends_nothing) {
  TelemetryFixture f;
  std::vector<std::string> authorizations;
  std::mutex mutex;
  f.server.server().Post(
      "/api/v1/query_range", [&](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(mutex);
        authorizations.push_back(req.get_header_value("Authorization"));
        res.set_content(R"({"status":"success","data":{"resultType":"matrix","result":[]}})",
                        "application/json");
      });
  f.server.start();
  MetricsSettings basic;
  basic.auth_type = MetricsAuthType::basic;
  basic.username = "MKEY";
  basic.password = "mpass";
  ASSERT_TRUE(f.client(basic)->query_range(metric_queries::kBytesIn, "", 0, 3600, 60).is_ok());
  ASSERT_TRUE(f.client()->query_range(metric_queries::kBytesIn, "", 0, 3600, 60).is_ok());
  EXPECT_EQ(authorizations, (std::vector<std::string>{"Basic TUtFWTptcGFzcw==", ""}));
}

TEST(TelemetryClient, retryable_statuses_are_retried_with_jittered_doubling_waits) {
  TelemetryFixture f;
  f.server.server().Post("/api/v1/query_range",
                         [&](const httplib::Request&, httplib::Response& res) {
                           int n = f.requests++;
                           if (n == 0) {
                             res.status = 429;
                             return;
                           }
                           if (n == 1) {
                             res.status = 504;
                             return;
                           }
                           res.set_content(kMatrix, "application/json");
                         });
  f.server.start();
  auto rows = f.client()->query_range(metric_queries::kBytesIn, "lkc-abc", 0, 3600, 60);
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  EXPECT_EQ(f.clock->sleeps(), (std::vector<milliseconds>{milliseconds(1000), milliseconds(2000)}));
}

TEST(TelemetryClient, gives_up_after_four_attempts) {
  TelemetryFixture f;
  f.server.server().Post("/api/v1/query_range",
                         [&](const httplib::Request&, httplib::Response& res) {
                           ++f.requests;
                           res.status = 502;
                         });
  f.server.start();
  auto rows = f.client()->query_range(metric_queries::kBytesIn, "lkc-abc", 0, 3600, 60);
  ASSERT_FALSE(rows.is_ok());
  EXPECT_EQ(f.requests.load(), 4);
  EXPECT_EQ(rows.error(), "POST /api/v1/query_range failed after 4 attempts: HTTP 502");
  EXPECT_EQ(f.clock->sleeps().size(), 3u);
}

TEST(TelemetryClient, a_slow_server_times_out_and_is_retried) {
  TelemetryFixture f;
  f.server.server().Post("/api/v1/query_range",
                         [&](const httplib::Request&, httplib::Response& res) {
                           ++f.requests;
                           f.server.slow_down(milliseconds(3000));
                           res.set_content(kMatrix, "application/json");
                         });
  f.server.start();
  MetricsSettings settings;
  settings.url = f.server.url();
  TelemetryOptions options;
  options.clock = f.clock;
  options.attempts = 2;
  options.request_timeout = milliseconds(250);
  auto client = TelemetryClient::create(settings, options);
  ASSERT_TRUE(client.is_ok());
  auto rows = (*client)->query_range(metric_queries::kBytesIn, "lkc-1", 0, 3600, 60);
  ASSERT_FALSE(rows.is_ok());
  EXPECT_EQ(rows.error(), "POST /api/v1/query_range failed after 2 attempts: timed out");
  EXPECT_EQ(f.requests.load(), 2);
}

TEST(TelemetryClient, other_client_errors_and_error_status_fail_at_once) {
  TelemetryFixture f;
  f.server.server().Post("/api/v1/query_range",
                         [&](const httplib::Request&, httplib::Response& res) {
                           ++f.requests;
                           res.status = 400;
                         });
  f.server.server().Post("/api/v1/query", [&](const httplib::Request&, httplib::Response& res) {
    ++f.requests;
    res.set_content(R"({"status":"error","errorType":"bad_data","error":"parse error"})",
                    "application/json");
  });
  f.server.start();
  auto client = f.client();
  auto range = client->query_range(metric_queries::kBytesIn, "lkc-abc", 0, 3600, 60);
  ASSERT_FALSE(range.is_ok());
  EXPECT_EQ(range.error(), "POST /api/v1/query_range: HTTP 400");
  auto instant = client->query_instant(metric_queries::kBytesIn, "lkc-abc", 0);
  ASSERT_FALSE(instant.is_ok());
  EXPECT_EQ(instant.error(), "POST /api/v1/query: query failed: bad_data: parse error");
  EXPECT_EQ(f.requests.load(), 2);
  EXPECT_TRUE(f.clock->sleeps().empty());
}

TEST(TelemetryClient, unauthorized_is_an_authentication_failure_without_the_token) {
  TelemetryFixture f;
  f.server.server().Post("/api/v1/query_range", [&](const httplib::Request&,
                                                    httplib::Response& res) { res.status = 401; });
  f.server.start();
  MetricsSettings settings;
  settings.auth_type = MetricsAuthType::bearer;
  settings.bearer_token = "tok-secret";
  auto rows = f.client(settings)->query_range(metric_queries::kBytesIn, "lkc-1", 0, 3600, 60);
  ASSERT_FALSE(rows.is_ok());
  EXPECT_EQ(rows.error(), "authentication failed (HTTP 401) for /api/v1/query_range");
}

TEST(PrometheusResponse, label_keys_limit_the_labels_kept_and_bad_samples_are_errors) {
  MetricQuery all_labels{"k", "m{}", {}, "", QueryMode::range};
  auto rows = parse_prometheus_response(json::parse(kMatrix), all_labels);
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  EXPECT_EQ((*rows)[0].labels.at("instance"), "x");
  auto bad = parse_prometheus_response(
      json::parse(R"({"resultType":"matrix","result":[{"metric":{},"values":[["x","1"]]}]})"),
      all_labels);
  EXPECT_FALSE(bad.is_ok());
  auto scalar = parse_prometheus_response(
      json::parse(R"({"resultType":"scalar","result":[5,"7"]})"), all_labels);
  ASSERT_TRUE(scalar.is_ok());
  EXPECT_EQ((*scalar)[0].value, 7.0);
  // A timestamp no integer holds (the fuzzer's 1.77e71) or before 1970 is an error, not UB.
  for (const char* at : {"1.7676e71", "-1", "1e300", "253402300800"}) {
    auto out_of_range = parse_prometheus_response(
        json::parse(std::string(R"({"resultType":"scalar","result":[)") + at + R"(,"7"]})"),
        all_labels);
    ASSERT_FALSE(out_of_range.is_ok()) << at;
    EXPECT_NE(out_of_range.error().find("timestamp out of range"), std::string::npos);
  }
}

TEST(PrometheusResponse, series_hold_each_label_set_once_and_expand_to_the_same_rows) {
  auto series = parse_prometheus_series(json::parse(kMatrix), metric_queries::kBytesIn);
  ASSERT_TRUE(series.is_ok()) << series.error();
  ASSERT_EQ(series->size(), 2u);
  EXPECT_EQ((*series)[0].metric_key, "bytes_in");
  EXPECT_EQ((*series)[0].labels, (std::map<std::string, std::string>{{"kafka_id", "lkc-abc"},
                                                                     {"principal_id", "sa-1"}}));
  ASSERT_EQ((*series)[0].samples.size(), 2u);
  EXPECT_EQ((*series)[0].samples[1].timestamp, 1769907600);
  EXPECT_EQ((*series)[0].samples[1].value, 0.0);
  EXPECT_EQ((*series)[1].samples[0].value, 1500.0);

  auto rows = parse_prometheus_response(json::parse(kMatrix), metric_queries::kBytesIn);
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  std::size_t r = 0;
  for (const auto& one : *series) {
    for (const auto& sample : one.samples) {
      ASSERT_LT(r, rows->size());
      EXPECT_EQ((*rows)[r].timestamp, sample.timestamp);
      EXPECT_EQ((*rows)[r].value, sample.value);
      EXPECT_EQ((*rows)[r].labels, one.labels);
      ++r;
    }
  }
  EXPECT_EQ(r, rows->size());
  EXPECT_FALSE(parse_prometheus_series(
                   json::parse(R"({"resultType":"matrix","result":[{"values":[[1,"x"]]}]})"),
                   metric_queries::kBytesIn)
                   .is_ok());
}

TEST(TelemetryClient, query_range_series_posts_the_same_form_as_query_range) {
  TelemetryFixture f;
  std::string query, end;
  f.server.server().Post("/api/v1/query_range",
                         [&](const httplib::Request& req, httplib::Response& res) {
                           query = req.get_param_value("query");
                           end = req.get_param_value("end");
                           res.set_content(kMatrix, "application/json");
                         });
  f.server.start();
  auto series = f.client()->query_range_series(metric_queries::kBytesOut, "lkc-abc", 1769904000,
                                               1769904000 + 82800, 3600);
  ASSERT_TRUE(series.is_ok()) << series.error();
  EXPECT_EQ(query,
            "sum by (kafka_id, principal_id) "
            "(confluent_kafka_server_response_bytes{kafka_id=\"lkc-abc\"})");
  EXPECT_EQ(end, "2026-02-01T23:00:00+00:00");
  ASSERT_EQ(series->size(), 2u);
  EXPECT_EQ((*series)[1].labels.at("principal_id"), "sa-2");
}

}  // namespace
}  // namespace chitragupt::ccloud
