#pragma once
// Test support: a real Prometheus (Debian's prometheus + promtool) on a free loopback port,
// serving metrics backfilled from an OpenMetrics file with
// `promtool tsdb create-blocks-from openmetrics`.

#include <memory>
#include <string>

#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {

class PrometheusProcess {
 public:
  // Backfills `openmetrics_file` into `dir`/data and starts Prometheus on it. ok() says whether
  // it is ready; error() why not.
  PrometheusProcess(const std::string& openmetrics_file, const std::string& dir);
  bool ok() const { return port_ != 0; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  std::unique_ptr<EngineProcess> process_;
  int port_ = 0;
  std::string error_;
};

// Whether the prometheus and promtool binaries are installed.
bool prometheus_available();

}  // namespace chitragupt::testing
