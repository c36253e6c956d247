#pragma once
// Parsing of storage connection strings (SQLAlchemy syntax, as the original accepted):
//   sqlite:///relative/path.db   sqlite:////absolute/path.db   sqlite:///:memory:
//   postgresql://user:pass@host:port/db?sslmode=...&options=...
//   postgresql+psycopg2://...    postgresql+psycopg://...      (drop-in compatibility)
// User and password may be percent-encoded. A connection string is a secret: only
// DatabaseUrl::describe() may be shown to people (it never contains the user or password).

#include <map>
#include <string>

#include "common/status.hpp"

namespace chitragupt {

enum class Dialect { sqlite, postgresql };

const char* to_string(Dialect d);

struct DatabaseUrl {
  Dialect dialect = Dialect::sqlite;
  // sqlite: the file path as written after "sqlite:///" (relative to the working directory),
  // or an absolute path, or ":memory:".
  std::string path;
  // postgresql (decoded):
  std::string user;
  std::string password;
  std::string host;  // may be empty (default socket) or a directory (unix socket)
  int port = 0;      // 0 = default
  std::string database;
  std::map<std::string, std::string> params;  // query parameters, decoded

  // "sqlite:///data/x.db" or "postgresql://host:port/db": safe for logs and errors.
  std::string describe() const;
  // A key that identifies the database itself (for "two tenants on one database" checks):
  // the absolute, normalised path for SQLite; host:port/db for PostgreSQL.
  std::string identity() const;
};

// Errors name what is wrong without echoing the URL (it may hold a password).
Result<DatabaseUrl> parse_database_url(const std::string& url);

}  // namespace chitragupt
