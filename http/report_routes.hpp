#pragma once
// How report route ids (report::routes(), e.g. "/tenants/{tenant}/chargebacks/{dimension_id}")
// become HTTP routes under /api/v1, and how an HTTP request becomes a report::Request.
// Pure functions: no I/O, no actors, no httplib.

#include <string>
#include <utility>
#include <vector>

#include "report/report.hpp"

namespace chitragupt::http {

constexpr const char* kApiPrefix = "/api/v1";

// A route id as an anchored regex over the request path ("/api/v1" + id, each {name} one
// path segment captured in order) and the names of its captures.
struct RoutePattern {
  std::string method;
  std::string route;  // the id
  std::string regex;
  std::vector<std::string> params;  // capture names in order, "tenant" included
};
RoutePattern route_pattern(const report::Route& route);

// Every report route's pattern in registration order: routes with fewer {params} first, so a
// literal segment ("chargebacks/aggregate") wins over a parameter ("chargebacks/{dimension_id}").
std::vector<RoutePattern> report_route_patterns();

// The query string of a request target ("/path?a=1&b=2"), decoded ('+' and %XX), in order,
// repeated keys kept.
std::vector<std::pair<std::string, std::string>> query_params(const std::string& target);

// Percent-decoding of one query component ('+' is a space).
std::string decode_query_component(const std::string& text);

}  // namespace chitragupt::http
