#include "sim/telemetry_query.hpp"

#include <cmath>
#include <map>
#include <set>

#include "sim/promql.hpp"
#include "sim/sim_time.hpp"

namespace ccloud_sim {

namespace {

using json = nlohmann::json;

struct Point {
  double time;
  double value;
};
struct ValueSeries {
  Labels labels;
  std::vector<Point> points;
};

PromResponse bad_data(const std::string& message) {
  return PromResponse{400,
                      json{{"status", "error"}, {"errorType", "bad_data"}, {"error", message}}};
}

json time_json(double t) {
  if (std::floor(t) == t && std::fabs(t) < 1e15) return static_cast<int64_t>(t);
  return t;
}

std::string value_text(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  return json(v).dump();
}

struct Accumulator {
  double sum = 0, min = 0, max = 0;
  int64_t count = 0;
  void add(double v) {
    if (count == 0) {
      min = max = v;
    } else {
      min = std::min(min, v);
      max = std::max(max, v);
    }
    sum += v;
    ++count;
  }
  double result(const std::string& op) const {
    if (op == "sum") return sum;
    if (op == "min") return min;
    if (op == "max") return max;
    if (op == "count") return static_cast<double>(count);
    return sum / static_cast<double>(count);  // avg
  }
};

std::vector<ValueSeries> evaluate(const Telemetry& telemetry, const QueryExpr& expr, double start,
                                  double end, double step) {
  std::vector<ValueSeries> out;
  if (expr.aggregation.empty()) {
    auto keep = [&](const Labels& labels) {
      return matches_all(expr.matchers, expr.metric, labels);
    };
    for (auto& series : telemetry.select(expr.metric, keep, start, end, step)) {
      ValueSeries v;
      v.labels = std::move(series.labels);
      v.labels["__name__"] = expr.metric;
      for (const auto& s : series.samples) {
        v.points.push_back(Point{s.time, static_cast<double>(s.value)});
      }
      out.push_back(std::move(v));
    }
    return out;
  }
  const std::set<std::string> grouping(expr.grouping.begin(), expr.grouping.end());
  std::map<Labels, std::map<double, Accumulator>> groups;
  for (const auto& series : evaluate(telemetry, *expr.inner, start, end, step)) {
    Labels key;
    for (const auto& [name, value] : series.labels) {
      if (name == "__name__") continue;
      if (grouping.count(name) != 0 ? !expr.without : expr.without) key[name] = value;
    }
    auto& points = groups[key];
    for (const auto& p : series.points) points[p.time].add(p.value);
  }
  for (const auto& [labels, points] : groups) {
    ValueSeries v;
    v.labels = labels;
    for (const auto& [time, acc] : points)
      v.points.push_back(Point{time, acc.result(expr.aggregation)});
    out.push_back(std::move(v));
  }
  return out;
}

json labels_json(const Labels& labels) {
  json metric = json::object();
  for (const auto& [name, value] : labels) metric[name] = value;
  return metric;
}

std::optional<std::unique_ptr<QueryExpr>> parse_or_answer(const std::optional<std::string>& query,
                                                          PromResponse& answer,
                                                          const char* result_type) {
  if (!query || query->empty()) {
    answer = bad_data("invalid parameter \"query\": missing query");
    return std::nullopt;
  }
  ParsedQuery parsed = parse_query(*query);
  if (parsed.kind == ParsedQuery::Kind::kMalformed) {
    answer = bad_data("invalid parameter \"query\": parse error: " + parsed.error);
    return std::nullopt;
  }
  if (parsed.kind == ParsedQuery::Kind::kUnsupported) {
    answer =
        PromResponse{200, json{{"status", "success"},
                               {"data", {{"resultType", result_type}, {"result", json::array()}}}}};
    return std::nullopt;
  }
  return std::move(parsed.expr);
}

}  // namespace

PromResponse query_range(const Telemetry& telemetry, const std::optional<std::string>& query,
                         const std::optional<std::string>& start,
                         const std::optional<std::string>& end,
                         const std::optional<std::string>& step) {
  const auto t0 = start ? parse_time(*start) : std::nullopt;
  if (!t0)
    return bad_data("invalid parameter \"start\": cannot parse \"" + start.value_or("") +
                    "\" to a valid timestamp");
  const auto t1 = end ? parse_time(*end) : std::nullopt;
  if (!t1)
    return bad_data("invalid parameter \"end\": cannot parse \"" + end.value_or("") +
                    "\" to a valid timestamp");
  if (*t1 < *t0)
    return bad_data("invalid parameter \"end\": end timestamp must not be before start time");
  const auto width = step ? parse_duration(*step) : std::nullopt;
  if (!width)
    return bad_data("invalid parameter \"step\": cannot parse \"" + step.value_or("") +
                    "\" to a valid duration");
  if (*width <= 0) {
    return bad_data(
        "zero or negative query resolution step widths are not accepted. Try a "
        "positive integer");
  }
  if ((*t1 - *t0) / *width >= static_cast<double>(kMaxPointsPerSeries)) {
    return bad_data(
        "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing "
        "the query resolution (?step=XX)");
  }
  PromResponse answer;
  auto expr = parse_or_answer(query, answer, "matrix");
  if (!expr) return answer;
  json result = json::array();
  for (const auto& series : evaluate(telemetry, **expr, *t0, *t1, *width)) {
    json values = json::array();
    for (const auto& p : series.points)
      values.push_back(json::array({time_json(p.time), value_text(p.value)}));
    result.push_back(json{{"metric", labels_json(series.labels)}, {"values", std::move(values)}});
  }
  return PromResponse{200,
                      json{{"status", "success"},
                           {"data", {{"resultType", "matrix"}, {"result", std::move(result)}}}}};
}

PromResponse query_instant(const Telemetry& telemetry, const std::optional<std::string>& query,
                           const std::optional<std::string>& time, double default_time) {
  std::optional<double> at = default_time;
  if (time) at = parse_time(*time);
  if (!at)
    return bad_data("invalid parameter \"time\": cannot parse \"" + time.value_or("") +
                    "\" to a valid timestamp");
  PromResponse answer;
  auto expr = parse_or_answer(query, answer, "vector");
  if (!expr) return answer;
  const double from = *at - static_cast<double>(kSecondsPerHour);
  json result = json::array();
  for (const auto& series : evaluate(telemetry, **expr, from, from, kSecondsPerHour)) {
    if (series.points.empty()) continue;
    result.push_back(
        json{{"metric", labels_json(series.labels)},
             {"value", json::array({time_json(*at), value_text(series.points.back().value)})}});
  }
  return PromResponse{200,
                      json{{"status", "success"},
                           {"data", {{"resultType", "vector"}, {"result", std::move(result)}}}}};
}

}  // namespace ccloud_sim
