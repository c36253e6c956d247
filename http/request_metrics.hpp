#pragma once
// The HTTP front end's own figures for /metrics: requests by route id and status code, and a
// latency histogram by route id. Routes are ids ("/api/v1/tenants/{tenant}/billing"), never raw
// paths, so the number of series stays bounded whatever clients send.
//
// Thread-safe: every server thread records, /metrics renders.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace chitragupt::http {

class RequestMetrics {
 public:
  RequestMetrics();
  void record(const std::string& route, int status, double seconds);
  // chitragupt_http_requests_total and chitragupt_http_request_duration_seconds as Prometheus
  // text exposition 0.0.4 (HELP/TYPE always present).
  std::string render() const;

  static const std::vector<double>& latency_buckets();  // upper bounds in seconds; +Inf implicit

 private:
  struct Latency {
    std::vector<std::uint64_t> buckets;  // not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Latency> latency_;
};

// Prometheus text helpers shared by the /metrics renderers.
std::string prometheus_label_value(const std::string& value);  // \\, \", \n escaped
std::string prometheus_number(double value);                   // shortest exact-enough text

}  // namespace chitragupt::http
