#pragma once
// Test support: the throwaway PostgreSQL server of scripts/pg-test-cluster.sh, and fresh
// databases on it (one per test, dropped afterwards).
//
// The server is found through CHITRAGUPT_TEST_PG_URL, a superuser URL such as
// postgresql://chitragupt:<password>@127.0.0.1:<port>/postgres (scripts/test.sh exports it).
// When it is unset or the server does not answer, CHITRAGUPT_REQUIRE_POSTGRESQL() prints a
// loud "SKIPPED: PostgreSQL ..." line and skips the test; with CI=true it fails the test
// instead, so CI can never pass without having run them.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "common/database_url.hpp"
#include "storage/database.hpp"

namespace chitragupt::storage::testing {

inline bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

inline std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// "%XX" for everything but unreserved characters (RFC 3986).
inline std::string percent_encode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xf];
    }
  }
  return out;
}

class PgServer {
 public:
  // Probed once per process.
  static const PgServer& get() {
    static const PgServer server;
    return server;
  }

  bool available() const { return available_; }
  const std::string& why_not() const { return why_not_; }
  const DatabaseUrl& admin() const { return admin_; }
  const std::string& host() const { return admin_.host; }
  int port() const { return admin_.port; }

  // A URL for `database` on this server as `user` / `password` (default: the admin's),
  // over TCP; `query` ("sslmode=disable&...") is appended as given.
  std::string url_for(const std::string& database, const std::string& query = "") const {
    return url_as(admin_.user, admin_.password, database, query);
  }
  std::string url_as(const std::string& user, const std::string& password,
                     const std::string& database, const std::string& query = "") const {
    std::string url = "postgresql://" + percent_encode(user);
    if (!password.empty()) url += ":" + percent_encode(password);
    url += "@" + admin_.host + ":" + std::to_string(admin_.port) + "/" + percent_encode(database);
    if (!query.empty()) url += "?" + query;
    return url;
  }

  // A connection to the server's maintenance database, for CREATE/DROP DATABASE and roles.
  Result<std::unique_ptr<Database>> connect_admin() const {
    return open_database(url_for(admin_.database));
  }

 private:
  PgServer() {
    const std::string url = env_or_empty("CHITRAGUPT_TEST_PG_URL");
    if (url.empty()) {
      why_not_ =
          "CHITRAGUPT_TEST_PG_URL is not set (scripts/test.sh starts a server with "
          "scripts/pg-test-cluster.sh and sets it)";
      return;
    }
    auto parsed = parse_database_url(url);
    if (!parsed || parsed->dialect != Dialect::postgresql) {
      why_not_ = "CHITRAGUPT_TEST_PG_URL is not a postgresql:// URL";
      return;
    }
    admin_ = *parsed;
    auto db = connect_admin();
    if (!db) {
      why_not_ = "the server does not answer: " + db.error();
      return;
    }
    available_ = true;
  }

  bool available_ = false;
  std::string why_not_;
  DatabaseUrl admin_;
};

// "chitragupt_t<pid>_<n>_<random>": unique across the test processes ctest runs side by side.
inline std::string unique_pg_name(const std::string& prefix = "chitragupt_t") {
  static std::atomic<int> counter{0};
  static const unsigned salt = std::random_device{}();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%d_%d_%08x", prefix.c_str(), static_cast<int>(getpid()),
                ++counter, salt);
  return buf;
}

// A fresh, empty database on the test server; dropped (connections and all) on destruction.
class PgScratchDatabase {
 public:
  PgScratchDatabase() : name_(unique_pg_name()) {
    auto admin = PgServer::get().connect_admin();
    if (!admin) {
      status_ = admin.status();
      return;
    }
    // The name is ours (digits, letters, '_'), never input: it may be spliced into SQL.
    status_ = (*admin)->execute("CREATE DATABASE " + name_);
  }
  ~PgScratchDatabase() {
    if (!status_) return;
    auto admin = PgServer::get().connect_admin();
    if (admin) (*admin)->execute("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  PgScratchDatabase(const PgScratchDatabase&) = delete;
  PgScratchDatabase& operator=(const PgScratchDatabase&) = delete;

  const Status& status() const { return status_; }
  const std::string& name() const { return name_; }
  std::string url() const { return PgServer::get().url_for(name_); }

 private:
  std::string name_;
  Status status_;
};

}  // namespace chitragupt::storage::testing

// Skips the current test (loudly) when the PostgreSQL test server is not there; fails it
// instead under CI=true. Use in a test body or in SetUp().
#define CHITRAGUPT_REQUIRE_POSTGRESQL()                                                            \
  do {                                                                                             \
    const auto& chitragupt_pg_ = ::chitragupt::storage::testing::PgServer::get();                  \
    if (!chitragupt_pg_.available()) {                                                             \
      if (::chitragupt::storage::testing::running_in_ci()) {                                       \
        FAIL() << "PostgreSQL tests must run under CI=true, but " << chitragupt_pg_.why_not();     \
      }                                                                                            \
      std::fprintf(stderr, "SKIPPED: PostgreSQL test server unavailable: %s\n",                    \
                   chitragupt_pg_.why_not().c_str());                                              \
      GTEST_SKIP() << "SKIPPED: PostgreSQL test server unavailable: " << chitragupt_pg_.why_not(); \
    }                                                                                              \
  } while (0)
