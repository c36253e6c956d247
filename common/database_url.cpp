#include "common/database_url.hpp"

#include <cctype>
#include <cstdlib>
#include <filesystem>

namespace chitragupt {
namespace {

// Decodes %XX escapes; false on a malformed escape.
bool percent_decode(const std::string& in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size() || !std::isxdigit(static_cast<unsigned char>(in[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      return false;
    }
    out += static_cast<char>(std::strtol(in.substr(i + 1, 2).c_str(), nullptr, 16));
    i += 2;
  }
  return true;
}

Result<DatabaseUrl> parse_sqlite(const std::string& rest) {
  // "sqlite:///x" leaves "/x" here: the path is what follows the third slash, so
  // "sqlite:////abs" gives "/abs" and "sqlite:///rel" gives "rel".
  if (rest.empty() || rest[0] != '/') {
    return Status::error(
        "SQLite URL must look like sqlite:///relative/path.db or "
        "sqlite:////absolute/path.db");
  }
  DatabaseUrl url;
  url.dialect = Dialect::sqlite;
  url.path = rest.substr(1);
  auto q = url.path.find('?');
  if (q != std::string::npos) url.path.resize(q);  // SQLAlchemy options are ignored
  if (url.path.empty()) return Status::error("SQLite URL has no database path");
  return url;
}

Result<DatabaseUrl> parse_postgresql(const std::string& rest) {
  // rest = "//[user[:pass]@]host[:port]/db[?k=v&...]"
  if (rest.rfind("//", 0) != 0) {
    return Status::error("PostgreSQL URL must look like postgresql://user:password@host:port/db");
  }
  std::string s = rest.substr(2);
  DatabaseUrl url;
  url.dialect = Dialect::postgresql;

  std::string query;
  if (auto q = s.find('?'); q != std::string::npos) {
    query = s.substr(q + 1);
    s.resize(q);
  }
  std::string authority = s;
  std::string db;
  if (auto slash = s.find('/'); slash != std::string::npos) {
    authority = s.substr(0, slash);
    db = s.substr(slash + 1);
  }
  if (auto at = authority.rfind('@'); at != std::string::npos) {
    std::string userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    std::string user = userinfo, pass;
    if (auto colon = userinfo.find(':'); colon != std::string::npos) {
      user = userinfo.substr(0, colon);
      pass = userinfo.substr(colon + 1);
    }
    if (!percent_decode(user, url.user) || !percent_decode(pass, url.password)) {
      return Status::error("PostgreSQL URL has a malformed percent-escape in the user or password");
    }
  }
  std::string hostport = authority;
  if (!hostport.empty() && hostport[0] == '[') {  // [ipv6]:port
    auto close = hostport.find(']');
    if (close == std::string::npos) return Status::error("PostgreSQL URL has an unclosed '['");
    url.host = hostport.substr(1, close - 1);
    hostport = hostport.substr(close + 1);
    if (!hostport.empty() && hostport[0] == ':')
      hostport = hostport.substr(1);
    else
      hostport.clear();
  } else if (auto colon = hostport.rfind(':'); colon != std::string::npos) {
    url.host = hostport.substr(0, colon);
    hostport = hostport.substr(colon + 1);
  } else {
    url.host = hostport;
    hostport.clear();
  }
  if (!hostport.empty()) {
    char* end = nullptr;
    long port = std::strtol(hostport.c_str(), &end, 10);
    if (*end != '\0' || port < 1 || port > 65535) {
      return Status::error("PostgreSQL URL has an invalid port");
    }
    url.port = static_cast<int>(port);
  }
  std::string host;
  if (!percent_decode(url.host, host)) return Status::error("PostgreSQL URL has a malformed host");
  url.host = host;
  if (!percent_decode(db, url.database)) {
    return Status::error("PostgreSQL URL has a malformed database name");
  }
  std::size_t start = 0;
  while (start < query.size()) {
    auto amp = query.find('&', start);
    std::string pair =
        query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    start = amp == std::string::npos ? query.size() : amp + 1;
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string k, v;
    if (!percent_decode(pair.substr(0, eq), k) ||
        !percent_decode(eq == std::string::npos ? "" : pair.substr(eq + 1), v)) {
      return Status::error("PostgreSQL URL has a malformed query parameter");
    }
    url.params[k] = v;
  }
  // libpq style: ?host=/var/run/postgresql selects a unix socket directory.
  if (auto it = url.params.find("host"); it != url.params.end() && url.host.empty()) {
    url.host = it->second;
    url.params.erase(it);
  }
  if (auto it = url.params.find("port"); it != url.params.end() && url.port == 0) {
    url.port = std::atoi(it->second.c_str());
    url.params.erase(it);
  }
  if (url.database.empty()) return Status::error("PostgreSQL URL names no database");
  return url;
}

}  // namespace

const char* to_string(Dialect d) { return d == Dialect::sqlite ? "sqlite" : "postgresql"; }

std::string DatabaseUrl::describe() const {
  if (dialect == Dialect::sqlite) return "sqlite:///" + path;
  std::string h = host.empty() ? "localhost" : host;
  if (port != 0) h += ":" + std::to_string(port);
  return "postgresql://" + h + "/" + database;
}

std::string DatabaseUrl::identity() const {
  if (dialect == Dialect::sqlite) {
    if (path == ":memory:") return "sqlite::memory:";
    std::error_code ec;
    auto abs = std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
    return "sqlite:" + (ec ? path : abs.lexically_normal().string());
  }
  return "postgresql:" + (host.empty() ? std::string("localhost") : host) + ":" +
         std::to_string(port == 0 ? 5432 : port) + "/" + database;
}

Result<DatabaseUrl> parse_database_url(const std::string& url) {
  auto sep = url.find("://");
  if (url.empty()) return Status::error("connection string is empty");
  if (sep == std::string::npos) {
    return Status::error(
        "connection string is not a URL (expected sqlite:///path.db or "
        "postgresql://user:password@host:port/db)");
  }
  const std::string scheme = url.substr(0, sep);
  const std::string rest = url.substr(sep + 1);  // keeps "//..."
  if (scheme == "sqlite") return parse_sqlite(rest.substr(2));
  if (scheme == "postgresql" || scheme == "postgresql+psycopg2" || scheme == "postgresql+psycopg" ||
      scheme == "postgres") {
    return parse_postgresql(rest);
  }
  // A well-formed scheme holds no credentials and is safe to name; anything else is not shown.
  bool plain = !scheme.empty() && scheme.size() <= 32;
  for (char c : scheme) {
    plain =
        plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.');
  }
  if (!plain) return Status::error("connection string has an invalid scheme");
  return Status::error("unsupported database scheme '" + scheme +
                       "' (use sqlite:/// or postgresql://)");
}

}  // namespace chitragupt
