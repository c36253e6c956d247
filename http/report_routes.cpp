#include "http/report_routes.hpp"

#include <algorithm>

namespace chitragupt::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string escape_regex_literal(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

RoutePattern route_pattern(const report::Route& route) {
  RoutePattern p;
  p.method = route.method;
  p.route = route.route;
  std::string full = std::string(kApiPrefix) + route.route;
  std::size_t pos = 0;
  while (pos < full.size()) {
    auto open = full.find('{', pos);
    if (open == std::string::npos) {
      p.regex += escape_regex_literal(full.substr(pos));
      break;
    }
    auto close = full.find('}', open);
    p.regex += escape_regex_literal(full.substr(pos, open - pos));
    p.params.push_back(full.substr(open + 1, close - open - 1));
    p.regex += "([^/]+)";
    pos = close + 1;
  }
  return p;
}

std::vector<RoutePattern> report_route_patterns() {
  std::vector<RoutePattern> out;
  for (const auto& r : report::routes()) out.push_back(route_pattern(r));
  std::stable_sort(out.begin(), out.end(), [](const RoutePattern& a, const RoutePattern& b) {
    return a.params.size() < b.params.size();
  });
  return out;
}

std::string decode_query_component(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> query_params(const std::string& target) {
  std::vector<std::pair<std::string, std::string>> out;
  auto q = target.find('?');
  if (q == std::string::npos) return out;
  std::string query = target.substr(q + 1);
  if (auto hash = query.find('#'); hash != std::string::npos) query.resize(hash);
  std::size_t pos = 0;
  while (pos <= query.size()) {
    auto amp = query.find('&', pos);
    if (amp == std::string::npos) amp = query.size();
    std::string part = query.substr(pos, amp - pos);
    if (!part.empty()) {
      auto eq = part.find('=');
      if (eq == std::string::npos) {
        out.emplace_back(decode_query_component(part), "");
      } else {
        out.emplace_back(decode_query_component(part.substr(0, eq)),
                         decode_query_component(part.substr(eq + 1)));
      }
    }
    pos = amp + 1;
  }
  return out;
}

}  // namespace chitragupt::http
