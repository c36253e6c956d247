#pragma once
// Base URLs and query strings for the API clients.

#include <string>
#include <utility>
#include <vector>

#include "common/status.hpp"

namespace chitragupt::ccloud {

// "https://api.confluent.cloud" or "http://127.0.0.1:8089/prefix": the origin httplib connects
// to, and a path prefix put in front of every endpoint path.
struct BaseUrl {
  std::string scheme;  // "http" | "https"
  std::string host;
  int port = 0;
  std::string path_prefix;  // "" or "/prefix" (no trailing slash)

  // "scheme://host:port", what httplib::Client takes.
  std::string origin() const;
  // The base URL without credentials or query, for messages.
  std::string display() const;

  // Errors: not http(s), no host, bad port, user info, query or fragment present.
  static Result<BaseUrl> parse(const std::string& url);
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 percent-encoding of everything but unreserved characters.
std::string percent_encode(const std::string& text);
// Decodes %XX and '+' (as space); malformed escapes are kept as they are.
std::string percent_decode(const std::string& text);
// "a=1&b=x%20y" from ordered params.
std::string encode_query(const QueryParams& params);
// The decoded value of `name` in the query part of `url` (absolute or relative); "" if absent.
std::string query_param_of(const std::string& url, const std::string& name);

}  // namespace chitragupt::ccloud
