#include "http/request_metrics.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace chitragupt::http {

std::string prometheus_label_value(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string prometheus_number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  char buf[64];
  if (value == std::floor(value) && std::fabs(value) < 1e15) {  // whole seconds, counts
    std::snprintf(buf, sizeof buf, "%.0f", value);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.17g", value);
  // Prefer the short form when it reads back the same (0.1, not 0.10000000000000001).
  for (int precision = 1; precision < 17; ++precision) {
    char shorter[64];
    std::snprintf(shorter, sizeof shorter, "%.*g", precision, value);
    if (std::strtod(shorter, nullptr) == value) return shorter;
  }
  return buf;
}

const std::vector<double>& RequestMetrics::latency_buckets() {
  static const std::vector<double> b = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                        0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return b;
}

RequestMetrics::RequestMetrics() = default;

void RequestMetrics::record(const std::string& route, int status, double seconds) {
  const auto& bounds = latency_buckets();
  std::lock_guard<std::mutex> lock(mu_);
  requests_[{route, status}]++;
  Latency& l = latency_[route];
  if (l.buckets.empty()) l.buckets.assign(bounds.size(), 0);
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (seconds <= bounds[i]) {
      l.buckets[i]++;
      break;
    }
  }
  l.count++;
  l.sum += seconds;
}

std::string RequestMetrics::render() const {
  const auto& bounds = latency_buckets();
  std::string out;
  out += "# HELP chitragupt_http_requests_total HTTP requests answered, by route id and status code.\n";
  out += "# TYPE chitragupt_http_requests_total counter\n";
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [key, n] : requests_) {
    out += "chitragupt_http_requests_total{route=\"" + prometheus_label_value(key.first) +
           "\",code=\"" + std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP chitragupt_http_request_duration_seconds Time to answer an HTTP request, by route id.\n";
  out += "# TYPE chitragupt_http_request_duration_seconds histogram\n";
  for (const auto& [route, l] : latency_) {
    const std::string label = "route=\"" + prometheus_label_value(route) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      cumulative += l.buckets[i];
      out += "chitragupt_http_request_duration_seconds_bucket{" + label + ",le=\"" +
             prometheus_number(bounds[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "chitragupt_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(l.count) + "\n";
    out += "chitragupt_http_request_duration_seconds_sum{" + label + "} " +
           prometheus_number(l.sum) + "\n";
    out += "chitragupt_http_request_duration_seconds_count{" + label + "} " +
           std::to_string(l.count) + "\n";
  }
  return out;
}

}  // namespace chitragupt::http
