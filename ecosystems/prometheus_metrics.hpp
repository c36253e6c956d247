#pragma once
// The calculate stage's metrics from a Prometheus-compatible source, for any ecosystem: each
// ecosystem names its queries by metric key (a catalogue) and which label of each names the
// charged identity; the fetcher runs the queries a line group needs over [start, end) and hands
// the allocation engine series whose identity label is `principal_id`.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ecosystems/ecosystem.hpp"
#include "sources/metrics_settings.hpp"
#include "sources/prometheus_client.hpp"

namespace chitragupt::ecosystems {

struct CataloguedQuery {
  ccloud::MetricQuery query;
  // The label that names the charged identity; renamed to principal_id ("" = none, or the
  // query already calls it principal_id).
  std::string identity_label;
};
using QueryCatalogue = std::map<std::string, CataloguedQuery>;  // by query.key

// `workers` clients of `metrics` shared by that many concurrent callers (a client serves one
// request at a time; more callers wait). Each range query covers [start, end - step], so a
// window's samples are its own and the next window's first sample is not counted twice.
// Keys missing from the catalogue are skipped.
// Its clients obey `stop`.
Result<MetricSeriesFetcher> prometheus_fetcher(const ccloud::MetricsSettings& metrics,
                                               QueryCatalogue catalogue, int workers,
                                               std::int64_t step_seconds,
                                               const StopToken& stop = {});

}  // namespace chitragupt::ecosystems
