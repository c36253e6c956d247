// The slice of PromQL the simulator's telemetry API understands.
//
//   expr      := aggregate | selector
//   aggregate := ("sum"|"min"|"max"|"avg"|"count") [grouping] "(" expr ")" [grouping]
//   grouping  := ("by"|"without") "(" [label {"," label}] ")"
//   selector  := metric ["{" [matcher {"," matcher}] "}"] | "{" matcher {"," matcher} "}"
//   matcher   := label ("=" | "!=" | "=~" | "!~") string
//
// That covers what chitragupt sends (reference §2: `sum by (kafka_id, principal_id)
// (confluent_kafka_server_request_bytes{kafka_id="lkc-…"})` and friends). Valid PromQL beyond it
// (functions, range vectors, binary operators) is *unsupported* and answers an empty result;
// text that is not PromQL at all (unbalanced brackets, stray characters, an unterminated string)
// is *malformed* and answers a 400 error.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/telemetry.hpp"

namespace ccloud_sim {

struct LabelMatcher {
  enum class Op { kEqual, kNotEqual, kRegex, kNotRegex };
  std::string label;
  Op op = Op::kEqual;
  std::string value;
};

struct QueryExpr {
  // Either an aggregation over `inner`, or (aggregation empty) a selector.
  std::string aggregation;
  bool without = false;
  std::vector<std::string> grouping;
  std::unique_ptr<QueryExpr> inner;
  std::string metric;  // may be empty when matchers name __name__
  std::vector<LabelMatcher> matchers;
};

struct ParsedQuery {
  enum class Kind { kOk, kUnsupported, kMalformed };
  Kind kind = Kind::kMalformed;
  std::unique_ptr<QueryExpr> expr;  // set when kOk
  std::string error;                // set otherwise
};

ParsedQuery parse_query(std::string_view text);

// True when `labels` (plus __name__ = metric) satisfy every matcher. Regexes are anchored.
bool matches_all(const std::vector<LabelMatcher>& matchers, const std::string& metric,
                 const Labels& labels);

}  // namespace ccloud_sim
