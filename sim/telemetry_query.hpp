// The Prometheus HTTP API over the simulated telemetry: /api/v1/query_range and /api/v1/query.
//
// Pure functions from request parameters to (status, JSON body), so they test without HTTP.
// Success bodies follow Prometheus: {"status":"success","data":{"resultType":"matrix",
// "result":[{"metric":{…},"values":[[<unix time>,"<value>"],…]}]}} (instant queries:
// resultType "vector" and "value":[t,"v"]). Errors: 400 {"status":"error","errorType":
// "bad_data","error":"…"}. Range samples include `end` when it falls on the step grid, as
// Prometheus does. An instant query at t reports the hour before t.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/telemetry.hpp"

namespace ccloud_sim {

struct PromResponse {
  int status = 200;
  nlohmann::json body;
};

constexpr int64_t kMaxPointsPerSeries = 11000;  // Prometheus' own limit

PromResponse query_range(const Telemetry& telemetry, const std::optional<std::string>& query,
                         const std::optional<std::string>& start,
                         const std::optional<std::string>& end,
                         const std::optional<std::string>& step);

// `default_time` is used when `time` is absent (the simulator passes its "now").
PromResponse query_instant(const Telemetry& telemetry, const std::optional<std::string>& query,
                           const std::optional<std::string>& time, double default_time);

}  // namespace ccloud_sim
