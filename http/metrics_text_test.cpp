#include <gtest/gtest.h>

#include "http/request_metrics.hpp"
#include "http/tenant_metrics_text.hpp"

namespace chitragupt::http {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST(RequestMetrics, counts_by_route_and_code_and_fills_cumulative_buckets) {
  RequestMetrics m;
  m.record("/health", 200, 0.0002);
  m.record("/health", 200, 0.003);
  m.record("/api/v1/tenants/{tenant}/billing", 404, 0.02);
  auto text = m.render();
  EXPECT_TRUE(has_line(text, "chitragupt_http_requests_total{route=\"/health\",code=\"200\"} 2"))
      << text;
  EXPECT_TRUE(has_line(
      text, "chitragupt_http_requests_total{route=\"/api/v1/tenants/{tenant}/billing\",code=\"404\"} 1"));
  EXPECT_TRUE(has_line(
      text, "chitragupt_http_request_duration_seconds_bucket{route=\"/health\",le=\"0.0005\"} 1"));
  EXPECT_TRUE(has_line(
      text, "chitragupt_http_request_duration_seconds_bucket{route=\"/health\",le=\"0.005\"} 2"));
  EXPECT_TRUE(has_line(
      text, "chitragupt_http_request_duration_seconds_bucket{route=\"/health\",le=\"+Inf\"} 2"));
  EXPECT_TRUE(has_line(text, "chitragupt_http_request_duration_seconds_count{route=\"/health\"} 2"));
}

TEST(RequestMetrics, label_values_are_escaped_and_numbers_read_back_exactly) {
  EXPECT_EQ(prometheus_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  EXPECT_EQ(prometheus_number(0.1), "0.1");
  EXPECT_EQ(prometheus_number(1767225600.5), "1767225600.5");
  EXPECT_EQ(prometheus_number(2), "2");
}

TEST(TenantMetricsText, every_family_for_every_tenant_with_zero_statuses_and_cumulative_buckets) {
  messages::TenantMetrics a;
  a.tenant = "acme";
  a.up = true;
  a.runs_by_status = {{"completed", 3}, {"failed", 1}};
  a.duration_buckets.assign(messages::run_duration_buckets().size(), 0);
  a.duration_buckets[0] = 1;  // <= 1 s
  a.duration_buckets[2] = 3;  // <= 15 s
  a.duration_count = 4;
  a.duration_sum_s = 30.5;
  a.last_success_unix_s = 1767225600.0;
  a.rows_written = 1234;
  messages::TenantMetrics b;
  b.tenant = "quote\"d";
  b.duration_buckets.assign(messages::run_duration_buckets().size(), 0);
  auto text = render_tenant_metrics({a, b});
  EXPECT_TRUE(has_line(text, "chitragupt_pipeline_runs_total{tenant=\"acme\",status=\"completed\"} 3"));
  EXPECT_TRUE(has_line(text, "chitragupt_pipeline_runs_total{tenant=\"acme\",status=\"interrupted\"} 0"));
  EXPECT_TRUE(has_line(text, "chitragupt_pipeline_runs_total{tenant=\"quote\\\"d\",status=\"failed\"} 0"));
  EXPECT_TRUE(has_line(text, "chitragupt_pipeline_duration_seconds_bucket{tenant=\"acme\",le=\"5\"} 1"));
  EXPECT_TRUE(has_line(text, "chitragupt_pipeline_duration_seconds_bucket{tenant=\"acme\",le=\"15\"} 4"));
  EXPECT_TRUE(has_line(text, "chitragupt_pipeline_duration_seconds_bucket{tenant=\"acme\",le=\"+Inf\"} 4"));
  EXPECT_TRUE(has_line(text, "chitragupt_pipeline_duration_seconds_sum{tenant=\"acme\"} 30.5"));
  EXPECT_TRUE(has_line(text, "chitragupt_last_success_timestamp_seconds{tenant=\"acme\"} 1767225600"));
  EXPECT_EQ(text.find("chitragupt_last_success_timestamp_seconds{tenant=\"quote"), std::string::npos);
  EXPECT_TRUE(has_line(text, "chitragupt_chargeback_rows_written_total{tenant=\"acme\"} 1234"));
  EXPECT_TRUE(has_line(text, "chitragupt_tenant_up{tenant=\"acme\"} 1"));
  EXPECT_TRUE(has_line(text, "chitragupt_tenant_up{tenant=\"quote\\\"d\"} 0"));
  EXPECT_TRUE(has_line(text, "# TYPE chitragupt_pipeline_duration_seconds histogram"));
}

}  // namespace
}  // namespace chitragupt::http
