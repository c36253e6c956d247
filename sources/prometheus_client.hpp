#pragma once
// The metrics source: a Prometheus-compatible HTTP API (Confluent's telemetry endpoint, or a
// Prometheus) at plugin_settings.metrics.url, queried as the original did (reference cost
// model §2, "Metrics"): POST {url}/api/v1/query_range form-encoded query,start,end,step
// (times "YYYY-MM-DDTHH:MM:SS+00:00", step in integer seconds) or /api/v1/query with
// query,time; auth none | basic | bearer; retry on 408/425/429/500/502/503/504 and transport
// errors, 4 attempts in all, waiting 1.0 * 2^attempt * U(0.8, 1.2) s between them; any other
// status >= 400, an unparseable body or "status":"error" is an error.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "ecosystems/confluent_cloud/settings.hpp"
#include "sources/clock.hpp"
#include "sources/url.hpp"

namespace httplib {
class Client;
}

namespace chitragupt::ccloud {

struct MetricRow {
  int64_t timestamp = 0;  // epoch seconds (fractions dropped)
  std::string metric_key;
  double value = 0.0;  // usage figures are ratios' inputs, not money: double is fine here
  std::map<std::string, std::string> labels;
};

// One Prometheus series: the samples that share one label set. A range query answers with
// thousands of these (a principal each) of 24 hourly samples: as series, the labels are held
// once per principal instead of once per sample.
struct MetricSample {
  int64_t timestamp = 0;  // epoch seconds (fractions dropped)
  double value = 0.0;
};
struct MetricSeries {
  std::string metric_key;
  std::map<std::string, std::string> labels;
  std::vector<MetricSample> samples;
};

enum class QueryMode { range, instant };

struct MetricQuery {
  std::string key;                      // metric_key of the rows it yields
  std::string expression;               // PromQL with a "{}" where the resource filter goes
  std::vector<std::string> label_keys;  // labels kept on rows (empty = all)
  std::string resource_label;           // label the resource id filters on
  QueryMode mode = QueryMode::range;
};

// The Confluent Cloud queries of the original.
namespace metric_queries {
inline const MetricQuery kBytesIn{
    "bytes_in",
    "sum by (kafka_id, principal_id) (confluent_kafka_server_request_bytes{})",
    {"kafka_id", "principal_id"},
    "kafka_id",
    QueryMode::range};
inline const MetricQuery kBytesOut{
    "bytes_out",
    "sum by (kafka_id, principal_id) (confluent_kafka_server_response_bytes{})",
    {"kafka_id", "principal_id"},
    "kafka_id",
    QueryMode::range};
inline const MetricQuery kFlinkCfuPrimary{
    "flink_cfu_primary",
    "sum by (compute_pool_id, flink_statement_name)(confluent_flink_num_cfu{})",
    {"compute_pool_id", "flink_statement_name"},
    "compute_pool_id",
    QueryMode::range};
inline const MetricQuery kFlinkCfuFallback{
    "flink_cfu_fallback",
    "sum by (compute_pool_id, flink_statement_name)"
    "(confluent_flink_statement_utilization_cfu_minutes_consumed{})",
    {"compute_pool_id", "flink_statement_name"},
    "compute_pool_id",
    QueryMode::range};
}  // namespace metric_queries

// The first "{}" becomes {label="resource_id"}; with no label or id it is removed; an
// expression without "{}" is returned unchanged. The id is escaped for a PromQL string.
std::string apply_resource_filter(const std::string& expression, const std::string& label,
                                  const std::string& resource_id);

// Series of a Prometheus API response (matrix, vector or scalar) for `query`, in response
// order; a scalar is one series without labels.
Result<std::vector<MetricSeries>> parse_prometheus_series(const nlohmann::json& body,
                                                          const MetricQuery& query);
// The same as rows: each series' samples in order, each with the series' key and labels.
Result<std::vector<MetricRow>> parse_prometheus_response(const nlohmann::json& body,
                                                         const MetricQuery& query);

struct TelemetryOptions {
  std::chrono::milliseconds request_timeout{30000};
  int attempts = 4;
  double backoff_base_seconds = 1.0;
  std::shared_ptr<Clock> clock;  // null = system_clock()
  Uniform01 uniform01;           // null = default_uniform01()
  StopToken stop;                // as HttpClientOptions::stop
};

// Not thread-safe: one client per thread.
class TelemetryClient {
 public:
  static Result<std::unique_ptr<TelemetryClient>> create(const MetricsSettings& settings,
                                                         TelemetryOptions options = {});
  ~TelemetryClient();
  TelemetryClient(const TelemetryClient&) = delete;
  TelemetryClient& operator=(const TelemetryClient&) = delete;

  // [start, end] at step_seconds, filtered to resource_id ("" = no filter).
  Result<std::vector<MetricRow>> query_range(const MetricQuery& query,
                                             const std::string& resource_id, int64_t start,
                                             int64_t end, int64_t step_seconds);
  Result<std::vector<MetricRow>> query_instant(const MetricQuery& query,
                                               const std::string& resource_id, int64_t time);
  // query_range as series (parse_prometheus_series).
  Result<std::vector<MetricSeries>> query_range_series(const MetricQuery& query,
                                                       const std::string& resource_id,
                                                       int64_t start, int64_t end,
                                                       int64_t step_seconds);

  // One form-encoded POST to `endpoint` (e.g. "/api/v1/query_range") with the retry rules;
  // the "data" member of a successful response.
  Result<nlohmann::json> post(const std::string& endpoint, const QueryParams& form);

  // The stop that later calls obey (a pipeline run binds its own).
  void set_stop(StopToken stop) { options_.stop = std::move(stop); }

 private:
  // The query_range POST of both shapes.
  Result<nlohmann::json> post_range(const MetricQuery& query, const std::string& resource_id,
                                    int64_t start, int64_t end, int64_t step_seconds);
  TelemetryClient(MetricsSettings settings, TelemetryOptions options, BaseUrl base);

  MetricsSettings settings_;
  TelemetryOptions options_;
  BaseUrl base_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace chitragupt::ccloud
