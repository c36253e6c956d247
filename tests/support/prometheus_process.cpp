#include "tests/support/prometheus_process.hpp"

#include <unistd.h>

namespace chitragupt::testing {

bool prometheus_available() {
  return access("/usr/bin/prometheus", X_OK) == 0 && access("/usr/bin/promtool", X_OK) == 0;
}

PrometheusProcess::PrometheusProcess(const std::string& openmetrics_file, const std::string& dir) {
  const std::string data = dir + "/data";
  auto backfill = run_program("/usr/bin/promtool",
                              {"tsdb", "create-blocks-from", "openmetrics", openmetrics_file, data},
                              std::chrono::seconds(600));
  if (backfill.exit_code != 0) {
    error_ = "promtool backfill failed: " + backfill.err + backfill.out;
    return;
  }
  write_file(dir + "/prometheus.yml", "global:\n  scrape_interval: 1h\nscrape_configs: []\n");
  const int port = free_port();
  process_ = std::make_unique<EngineProcess>(
      std::vector<std::string>{"--config.file=" + dir + "/prometheus.yml",
                               "--storage.tsdb.path=" + data, "--storage.tsdb.retention.time=100y",
                               "--web.listen-address=127.0.0.1:" + std::to_string(port),
                               "--log.level=warn"},
      dir, "/usr/bin/prometheus", "prometheus");
  if (!eventually([&] { return http_get(port, "/-/ready").status == 200; },
                  std::chrono::seconds(60))) {
    error_ = "prometheus did not become ready: " + process_->stderr_text();
    return;
  }
  port_ = port;
}

}  // namespace chitragupt::testing
