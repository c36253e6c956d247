#include "http/cors.hpp"

#include <algorithm>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace chitragupt::http {

namespace {

constexpr const char* kAllowMethods = "GET, POST, PUT, DELETE, OPTIONS";
constexpr const char* kAllowHeaders = "Authorization, Content-Type";
constexpr const char* kExposeHeaders = "Content-Disposition, Retry-After, WWW-Authenticate";

}  // namespace

Cors::Cors(bool enabled, std::vector<std::string> origins)
    : enabled_(enabled), origins_(std::move(origins)) {}

bool Cors::allows(const std::string& origin) const {
  if (!enabled_ || origin.empty()) return false;
  return std::any_of(origins_.begin(), origins_.end(),
                     [&](const std::string& o) { return o == "*" || o == origin; });
}

bool Cors::apply(const httplib::Request& req, httplib::Response& res) const {
  if (!enabled_) return false;
  const std::string origin = req.get_header_value("Origin");
  const bool preflight =
      req.method == "OPTIONS" && req.has_header("Access-Control-Request-Method") && !origin.empty();
  res.set_header("Vary", "Origin");
  if (!allows(origin)) {
    if (!preflight) return false;
    res.status = 403;
    nlohmann::json body = {{"error",
                            {{"code", "cors_origin_not_allowed"},
                             {"message", "this origin is not in api.cors_origins"}}}};
    res.set_content(body.dump(), "application/json");
    return true;
  }
  res.set_header("Access-Control-Allow-Origin", origin);
  res.set_header("Access-Control-Expose-Headers", kExposeHeaders);
  if (!preflight) return false;
  res.status = 204;
  res.set_header("Access-Control-Allow-Methods", kAllowMethods);
  res.set_header("Access-Control-Allow-Headers", kAllowHeaders);
  res.set_header("Access-Control-Max-Age", "600");
  return true;
}

}  // namespace chitragupt::http
