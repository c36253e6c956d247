#include "sources/prometheus_client.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "sources/civil_date.hpp"
#include "sources/json_text.hpp"
#include "sources/request_deadline.hpp"

namespace chitragupt::ccloud {
namespace {

using nlohmann::json;

bool retryable_status(int status) {
  static const std::set<int> kRetryable = {408, 425, 429, 500, 502, 503, 504};
  return kRetryable.count(status) > 0;
}

std::optional<double> sample_value(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return std::nullopt;
  const std::string text = v.get<std::string>();
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);  // also "NaN", "+Inf"
  if (text.empty() || end == nullptr || *end != '\0') return std::nullopt;
  return value;
}

Status add_sample(const json& pair, const MetricQuery& query, MetricSeries& series) {
  if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number()) {
    return Status::error("malformed sample in response to " + query.key);
  }
  auto value = sample_value(pair[1]);
  if (!value) return Status::error("malformed sample value in response to " + query.key);
  // Seconds since 1970, before the year 10000: anything else (1e71, found by the fuzzer) would
  // not fit the integer it becomes.
  const double at = pair[0].get<double>();
  if (!(at >= 0.0 && at < 253402300800.0)) {
    return Status::error("sample timestamp out of range in response to " + query.key);
  }
  series.samples.push_back({static_cast<int64_t>(std::floor(at)), *value});
  return Status::ok();
}

// json::value() throws on a type mismatch; server data must not be able to do that.
std::string string_member(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string escape_promql(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string apply_resource_filter(const std::string& expression, const std::string& label,
                                  const std::string& resource_id) {
  size_t pos = expression.find("{}");
  if (pos == std::string::npos) return expression;
  std::string filter;
  if (!label.empty() && !resource_id.empty()) {
    filter = "{" + label + "=\"" + escape_promql(resource_id) + "\"}";
  }
  return expression.substr(0, pos) + filter + expression.substr(pos + 2);
}

Result<std::vector<MetricSeries>> parse_prometheus_series(const json& data,
                                                          const MetricQuery& query) {
  // Accepts the whole response or just its "data" member.
  const json& d = data.contains("resultType") || !data.contains("data") ? data : data["data"];
  if (!d.is_object()) return Status::error("response to " + query.key + " has no data");
  const std::string type = string_member(d, "resultType");
  auto result = d.find("result");
  if (result == d.end()) return Status::error("response to " + query.key + " has no result");
  std::vector<MetricSeries> out;
  if (type == "scalar") {
    out.push_back({query.key, {}, {}});
    Status s = add_sample(*result, query, out.back());
    if (!s) return s;
    return out;
  }
  if (!result->is_array()) return Status::error("response to " + query.key + ": bad result");
  out.reserve(result->size());
  for (const auto& entry : *result) {
    out.push_back({query.key, {}, {}});
    MetricSeries& series = out.back();
    if (auto metric = entry.find("metric"); metric != entry.end() && metric->is_object()) {
      for (const auto& [name, value] : metric->items()) {
        if (!value.is_string()) continue;
        bool keep = query.label_keys.empty() ||
                    std::find(query.label_keys.begin(), query.label_keys.end(), name) !=
                        query.label_keys.end();
        if (keep) series.labels[name] = value.get<std::string>();
      }
    }
    if (auto values = entry.find("values"); values != entry.end() && values->is_array()) {
      series.samples.reserve(values->size());
      for (const auto& pair : *values) {
        Status s = add_sample(pair, query, series);
        if (!s) return s;
      }
    }
    if (auto value = entry.find("value"); value != entry.end()) {
      Status s = add_sample(*value, query, series);
      if (!s) return s;
    }
  }
  return out;
}

Result<std::vector<MetricRow>> parse_prometheus_response(const json& data,
                                                         const MetricQuery& query) {
  auto series = parse_prometheus_series(data, query);
  if (!series) return series.status();
  std::vector<MetricRow> rows;
  for (const MetricSeries& one : *series) {
    for (const MetricSample& sample : one.samples) {
      rows.push_back({sample.timestamp, one.metric_key, sample.value, one.labels});
    }
  }
  return rows;
}

Result<std::unique_ptr<TelemetryClient>> TelemetryClient::create(const MetricsSettings& settings,
                                                                 TelemetryOptions options) {
  auto base = BaseUrl::parse(settings.url);
  if (!base) return Status::error("metrics.url: " + base.error());
  if (!options.clock) options.clock = system_clock();
  if (!options.uniform01) options.uniform01 = default_uniform01();
  options.attempts = std::max(1, options.attempts);
  return std::unique_ptr<TelemetryClient>(
      new TelemetryClient(settings, std::move(options), std::move(*base)));
}

TelemetryClient::TelemetryClient(MetricsSettings settings, TelemetryOptions options, BaseUrl base)
    : settings_(std::move(settings)), options_(std::move(options)), base_(std::move(base)) {
  client_ = std::make_unique<httplib::Client>(base_.origin());
  client_->set_connection_timeout(options_.request_timeout);
  // The watchdog (request_deadline.hpp) enforces request_timeout on the whole request;
  // httplib's per-call timeouts are only a backstop behind it.
  client_->set_read_timeout(options_.request_timeout + std::chrono::seconds(1));
  client_->set_write_timeout(options_.request_timeout + std::chrono::seconds(1));
  client_->set_keep_alive(true);
  switch (settings_.auth_type) {
    case MetricsAuthType::basic:
      client_->set_basic_auth(settings_.username, settings_.password);
      break;
    case MetricsAuthType::bearer:
      client_->set_bearer_token_auth(settings_.bearer_token);
      break;
    case MetricsAuthType::none:
      break;
  }
}

TelemetryClient::~TelemetryClient() = default;

Result<json> TelemetryClient::post(const std::string& endpoint, const QueryParams& form) {
  const std::string path = base_.path_prefix + endpoint;
  const std::string body = encode_query(form);
  std::string problem;
  auto interrupted = [&] {
    return Status::error("POST " + path + " interrupted (" + options_.stop.reason() + ")");
  };
  for (int attempt = 0; attempt < options_.attempts; ++attempt) {
    if (options_.stop.stop_requested()) return interrupted();
    RequestEnd how = RequestEnd::finished;
    auto res = run_with_deadline(
        *client_, options_.request_timeout, options_.stop,
        [&] { return client_->Post(path, body, "application/x-www-form-urlencoded"); }, how);
    if (how == RequestEnd::stopped || options_.stop.stop_requested()) {
      client_->stop();
      return interrupted();
    }
    if (!res) {
      problem = how == RequestEnd::timed_out
                    ? "timed out"
                    : "transport error (" + httplib::to_string(res.error()) + ")";
      client_->stop();
    } else if (res->status == 401 || res->status == 403) {
      return Status::error("authentication failed (HTTP " + std::to_string(res->status) + ") for " +
                           path);
    } else if (retryable_status(res->status)) {
      problem = "HTTP " + std::to_string(res->status);
    } else if (res->status >= 400) {
      return Status::error("POST " + path + ": HTTP " + std::to_string(res->status));
    } else if (auto parsed = parse_json(res->body); !parsed) {
      // A truncated or garbled body may be transient, as in HttpClient: try again.
      problem = parsed.error();
    } else {
      const json& j = *parsed;
      if (!j.is_object()) return Status::error("POST " + path + ": expected a JSON object");
      if (string_member(j, "status") == "error") {
        std::string detail = string_member(j, "errorType");
        std::string message = string_member(j, "error");
        if (!message.empty()) detail += (detail.empty() ? "" : ": ") + message;
        return Status::error("POST " + path + ": query failed" +
                             (detail.empty() ? "" : ": " + detail));
      }
      auto data = j.find("data");
      if (data == j.end()) return Status::error("POST " + path + ": response has no data");
      return *data;
    }
    if (attempt + 1 < options_.attempts) {
      double seconds = options_.backoff_base_seconds * std::pow(2.0, attempt) *
                       (0.8 + 0.4 * options_.uniform01());
      auto wait = std::chrono::milliseconds(static_cast<int64_t>(std::llround(seconds * 1000)));
      spdlog::warn("metrics_request_retry endpoint={} attempt={} reason=\"{}\" wait_ms={}", path,
                   attempt + 1, problem, wait.count());
      if (!options_.clock->sleep_unless_stopped(wait, options_.stop)) return interrupted();
    }
  }
  return Status::error("POST " + path + " failed after " + std::to_string(options_.attempts) +
                       " attempts: " + problem);
}

Result<nlohmann::json> TelemetryClient::post_range(const MetricQuery& query,
                                                   const std::string& resource_id, int64_t start,
                                                   int64_t end, int64_t step_seconds) {
  return post(
      "/api/v1/query_range",
      {{"query", apply_resource_filter(query.expression, query.resource_label, resource_id)},
       {"start", format_utc_offset(start)},
       {"end", format_utc_offset(end)},
       {"step", std::to_string(step_seconds)}});
}

Result<std::vector<MetricRow>> TelemetryClient::query_range(const MetricQuery& query,
                                                            const std::string& resource_id,
                                                            int64_t start, int64_t end,
                                                            int64_t step_seconds) {
  auto data = post_range(query, resource_id, start, end, step_seconds);
  if (!data) return data.status();
  return parse_prometheus_response(*data, query);
}

Result<std::vector<MetricSeries>> TelemetryClient::query_range_series(
    const MetricQuery& query, const std::string& resource_id, int64_t start, int64_t end,
    int64_t step_seconds) {
  auto data = post_range(query, resource_id, start, end, step_seconds);
  if (!data) return data.status();
  return parse_prometheus_series(*data, query);
}

Result<std::vector<MetricRow>> TelemetryClient::query_instant(const MetricQuery& query,
                                                              const std::string& resource_id,
                                                              int64_t time) {
  auto data =
      post("/api/v1/query",
           {{"query", apply_resource_filter(query.expression, query.resource_label, resource_id)},
            {"time", format_utc_offset(time)}});
  if (!data) return data.status();
  return parse_prometheus_response(*data, query);
}

}  // namespace chitragupt::ccloud
