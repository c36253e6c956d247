#include "sources/url.hpp"

#include <cctype>

namespace chitragupt::ccloud {

std::string BaseUrl::origin() const { return scheme + "://" + host + ":" + std::to_string(port); }

std::string BaseUrl::display() const { return origin() + path_prefix; }

Result<BaseUrl> BaseUrl::parse(const std::string& url) {
  BaseUrl out;
  size_t sep = url.find("://");
  if (sep == std::string::npos) return Status::error("must start with http:// or https://");
  out.scheme = url.substr(0, sep);
  for (char& c : out.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (out.scheme != "http" && out.scheme != "https") {
    return Status::error("must start with http:// or https://");
  }
  std::string rest = url.substr(sep + 3);
  if (rest.find_first_of("?#") != std::string::npos) {
    return Status::error("must not contain a query or fragment");
  }
  size_t slash = rest.find('/');
  std::string authority = slash == std::string::npos ? rest : rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : rest.substr(slash);
  if (authority.find('@') != std::string::npos) {
    return Status::error("must not contain credentials (use the key/secret settings)");
  }
  out.port = out.scheme == "https" ? 443 : 80;
  std::string host = authority;
  std::string port_text;
  bool has_port = false;
  if (!authority.empty() && authority[0] == '[') {  // [::1]:8080
    size_t close = authority.find(']');
    if (close == std::string::npos) return Status::error("has an invalid host");
    host = authority.substr(0, close + 1);
    std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return Status::error("has an invalid host");
      port_text = after.substr(1);
      has_port = true;
    }
  } else if (size_t colon = authority.find(':'); colon != std::string::npos) {
    host = authority.substr(0, colon);
    port_text = authority.substr(colon + 1);
    has_port = true;
  }
  if (has_port) {
    if (port_text.empty() || port_text.size() > 5 ||
        port_text.find_first_not_of("0123456789") != std::string::npos) {
      return Status::error("has an invalid port");
    }
    out.port = std::stoi(port_text);
    if (out.port < 1 || out.port > 65535) return Status::error("has an invalid port");
  }
  if (host.empty()) return Status::error("has no host");
  out.host = host;
  while (!path.empty() && path.back() == '/') path.pop_back();
  out.path_prefix = path;
  return out;
}

std::string percent_encode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string percent_decode(const std::string& text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else if (text[i] == '+') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string encode_query(const QueryParams& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += percent_encode(name) + "=" + percent_encode(value);
  }
  return out;
}

std::string query_param_of(const std::string& url, const std::string& name) {
  size_t q = url.find('?');
  if (q == std::string::npos) return "";
  std::string query = url.substr(q + 1);
  size_t hash = query.find('#');
  if (hash != std::string::npos) query = query.substr(0, hash);
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    std::string pair = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    size_t eq = pair.find('=');
    std::string key = percent_decode(pair.substr(0, eq));
    if (key == name) return eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1));
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return "";
}

}  // namespace chitragupt::ccloud
