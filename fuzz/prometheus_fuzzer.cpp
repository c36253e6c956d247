// Fuzz target: Prometheus query API answers (matrix, vector, scalar; "status":"error"), as the
// telemetry client reads them into rows and series. The first byte picks the query shape
// (label filter or all labels, range or instant), the rest is the body. Checked besides
// crashes: rows and series agree (the rows are the series' samples).

#include <cstddef>
#include <cstdint>
#include <string>

#include "sources/json_text.hpp"
#include "sources/prometheus_client.hpp"
#include "fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace cc = chitragupt::ccloud;
  if (size == 0) return 0;
  cc::MetricQuery query = cc::metric_queries::kBytesIn;
  if (data[0] & 1) query.label_keys.clear();  // keep every label
  if (data[0] & 2) query.mode = cc::QueryMode::instant;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto body = cc::parse_json(text);
  if (!body) return 0;
  auto rows = cc::parse_prometheus_response(*body, query);
  auto series = cc::parse_prometheus_series(*body, query);
  FUZZ_CHECK(rows.is_ok() == series.is_ok(), "rows and series disagree on the error");
  if (rows) {
    std::size_t samples = 0;
    for (const auto& s : *series) samples += s.samples.size();
    FUZZ_CHECK(samples == rows->size(), "rows are not the series' samples");
  }
  return 0;
}
