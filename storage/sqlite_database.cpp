#include "storage/sqlite_database.hpp"
#include "storage/sql_excerpt.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <unordered_map>

namespace chitragupt::storage {
namespace {

constexpr int kBusyTimeoutMs = 5000;
// Callers use a few dozen distinct SQL texts; the bound only stops a misuse from leaking.
constexpr std::size_t kStatementCacheLimit = 512;

std::string excerpt(std::string_view sql) { return sql_excerpt(sql); }

Status bind_params(sqlite3_stmt* stmt, const Params& params) {
  int expected = sqlite3_bind_parameter_count(stmt);
  if (static_cast<std::size_t>(expected) != params.size()) {
    return Status::error("statement takes " + std::to_string(expected) + " parameters, " +
                         std::to_string(params.size()) + " given");
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    int index = static_cast<int>(i) + 1;
    int rc = SQLITE_OK;
    const Value& v = params[i];
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, index, *n);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      // STATIC: the parameters outlive the step, and every run rebinds every parameter.
      rc = sqlite3_bind_text(stmt, index, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
    } else {
      rc = sqlite3_bind_null(stmt, index);
    }
    if (rc != SQLITE_OK) {
      return Status::error("cannot bind parameter " + std::to_string(index) + ": " +
                           sqlite3_errstr(rc));
    }
  }
  return Status::ok();
}

Row read_row(sqlite3_stmt* stmt) {
  Row row;
  int n = sqlite3_column_count(stmt);
  row.values.reserve(static_cast<std::size_t>(n));
  for (int c = 0; c < n; ++c) {
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_NULL:
        row.values.emplace_back(std::monostate{});
        break;
      case SQLITE_INTEGER:
        row.values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c)));
        break;
      default: {
        // TEXT and BLOB as bytes; a REAL (never written by us) as SQLite's text rendering.
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        int bytes = sqlite3_column_bytes(stmt, c);
        row.values.emplace_back(std::string(text ? text : "", static_cast<std::size_t>(bytes)));
        break;
      }
    }
  }
  return row;
}

// Binds, steps to the end (collecting rows when asked), resets. Returns sqlite's message.
// SQLite's message, plus the operating system's reason when the disk refused a write: "disk I/O
// error" alone does not tell an operator that the disk is full or a file size limit was hit.
std::string step_error(sqlite3* db) {
  std::string message = sqlite3_errmsg(db);
  const int code = sqlite3_errcode(db) & 0xff;
  const int os_error = sqlite3_system_errno(db);
  if ((code == SQLITE_FULL || code == SQLITE_IOERR) && os_error != 0) {
    message += std::string(" (") + std::strerror(os_error) + ")";
  } else if (sqlite3_extended_errcode(db) == SQLITE_IOERR_WRITE) {
    // The reason is often gone by now (errno was reused); a refused write is nearly always space.
    message += " (a write to the database or its WAL was refused: disk full or file size limit)";
  }
  return message;
}

// Binds, steps to the end (calling on_row(stmt) at each row; false from it stops), resets.
// Returns sqlite's message.
template <typename OnRow>
Status step_all(sqlite3* db, sqlite3_stmt* stmt, const Params& params, OnRow&& on_row) {
  Status bound = bind_params(stmt, params);
  if (!bound) {
    sqlite3_clear_bindings(stmt);
    return bound;
  }
  Status result;
  for (;;) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      if (!on_row(stmt)) break;
      continue;
    }
    if (rc != SQLITE_DONE) result = Status::error(step_error(db));
    break;
  }
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  return result;
}

// Binds, steps to the end (collecting rows when asked), resets.
Status run(sqlite3* db, sqlite3_stmt* stmt, const Params& params, std::vector<Row>* rows) {
  return step_all(db, stmt, params, [rows](sqlite3_stmt* s) {
    if (rows != nullptr) rows->push_back(read_row(s));
    return true;
  });
}

class SqliteStatement : public Statement {
 public:
  // The connection is closed with sqlite3_close_v2, so it stays usable until this statement
  // is finalized even if the Database goes first.
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, std::string describe, std::string sql)
      : db_(db), stmt_(stmt), describe_(std::move(describe)), excerpt_(excerpt(sql)) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  Status execute(const Params& params) override {
    Status s = run(db_, stmt_, params, nullptr);
    if (!s) return fail("execute", s);
    return s;
  }

  Result<std::vector<Row>> query(const Params& params) override {
    std::vector<Row> rows;
    Status s = run(db_, stmt_, params, &rows);
    if (!s) return fail("query", s);
    return rows;
  }

 private:
  Status fail(const char* op, const Status& s) const {
    return Status::error(describe_ + ": " + op + " " + excerpt_ + ": " + s.message());
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::string describe_;
  std::string excerpt_;
};

class SqliteDatabase : public Database {
 public:
  SqliteDatabase(sqlite3* db, std::string describe) : db_(db), describe_(std::move(describe)) {}

  ~SqliteDatabase() override {
    for (auto& entry : cache_) sqlite3_finalize(entry.second);
    sqlite3_close_v2(db_);  // rolls back an open transaction
  }

  Dialect dialect() const override { return Dialect::sqlite; }
  std::string describe() const override { return describe_; }

  std::string file_path() const override {
    const char* name = sqlite3_db_filename(db_, "main");
    return name ? name : "";
  }

  Status execute(std::string_view sql, const Params& params) override {
    auto stmt = cached(sql);
    if (!stmt) return stmt.status();
    Status s = run(db_, *stmt, params, nullptr);
    if (!s) return error("execute " + excerpt(sql), s.message());
    return s;
  }

  Result<std::vector<Row>> query(std::string_view sql, const Params& params) override {
    auto stmt = cached(sql);
    if (!stmt) return stmt.status();
    std::vector<Row> rows;
    Status s = run(db_, *stmt, params, &rows);
    if (!s) return error("query " + excerpt(sql), s.message());
    return rows;
  }

  Status query_each(std::string_view sql, const Params& params,
                    const std::function<bool(const Row&)>& each) override {
    // Its own statement, not the cache's: `each` may not use this database, but a statement
    // being stepped must not be reset by anything else meanwhile.
    auto stmt = prepare_raw(sql);
    if (!stmt) return stmt.status();
    Status s =
        step_all(db_, *stmt, params, [&each](sqlite3_stmt* st) { return each(read_row(st)); });
    sqlite3_finalize(*stmt);
    if (!s) return error("query " + excerpt(sql), s.message());
    return s;
  }

  Result<std::unique_ptr<Statement>> prepare(std::string_view sql) override {
    auto stmt = prepare_raw(sql);
    if (!stmt) return stmt.status();
    return std::unique_ptr<Statement>(
        std::make_unique<SqliteStatement>(db_, *stmt, describe_, std::string(sql)));
  }

  Status execute_script(std::string_view sql) override {
    return execute_script_stepwise(sql, nullptr);
  }

  Status execute_script_stepwise(std::string_view sql,
                                 const std::function<void(int)>& after_statement) override {
    const char* next = sql.data();
    const char* end = sql.data() + sql.size();
    int index = 0;
    while (next < end) {
      sqlite3_stmt* stmt = nullptr;
      const char* tail = nullptr;
      int rc = sqlite3_prepare_v2(db_, next, static_cast<int>(end - next), &stmt, &tail);
      std::string_view text(next, static_cast<std::size_t>((tail ? tail : end) - next));
      if (rc != SQLITE_OK) {
        std::string message = sqlite3_errmsg(db_);
        sqlite3_finalize(stmt);
        return error("script statement " + std::to_string(index + 1) + " " + excerpt(text),
                     message);
      }
      if (stmt == nullptr) break;  // only whitespace or comments were left
      Status s = run(db_, stmt, {}, nullptr);
      sqlite3_finalize(stmt);
      if (!s) {
        return error("script statement " + std::to_string(index + 1) + " " + excerpt(text),
                     s.message());
      }
      if (after_statement) after_statement(index);
      ++index;
      if (tail == nullptr || tail == next) break;
      next = tail;
    }
    return Status::ok();
  }

  Status begin(TxMode mode) override {
    return execute(mode == TxMode::immediate ? "BEGIN IMMEDIATE" : "BEGIN", {});
  }
  Status commit() override { return execute("COMMIT", {}); }
  Status rollback() override {
    // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL).
    if (!in_transaction()) return Status::ok();
    return execute("ROLLBACK", {});
  }
  bool in_transaction() const override { return sqlite3_get_autocommit(db_) == 0; }

  Status backup_to(const std::string& dest_path) override;

  // The checks and settings of open_sqlite_database().
  Status configure();
  // Those of open_sqlite_database_read_only(): nothing that writes.
  Status configure_read_only();

 private:
  // The current journal mode ("" when it cannot be read).
  std::string journal_mode(std::string_view pragma) {
    auto rows = query(pragma, {});
    return rows && !rows->empty() ? rows->front().get_text(0) : "";
  }

  Status error(const std::string& op, const std::string& reason) const {
    return Status::error(describe_ + ": " + op + ": " + reason);
  }

  // A new statement, owned by the caller (sqlite3_finalize).
  Result<sqlite3_stmt*> prepare_raw(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK || stmt == nullptr) {
      sqlite3_finalize(stmt);
      return error("prepare " + excerpt(sql), rc != SQLITE_OK ? sqlite3_errmsg(db_) : "no SQL");
    }
    return stmt;
  }

  Result<sqlite3_stmt*> cached(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    auto prepared = prepare_raw(sql);
    if (!prepared) return prepared.status();
    sqlite3_stmt* stmt = *prepared;
    if (cache_.size() >= kStatementCacheLimit) {
      for (auto& entry : cache_) sqlite3_finalize(entry.second);
      cache_.clear();
    }
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  sqlite3* db_;
  std::string describe_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

Status SqliteDatabase::configure() {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  // Reading the header first: a file that is not a database fails here, before any pragma
  // could write to it.
  auto version = query("PRAGMA schema_version", {});
  if (!version) {
    std::string reason = sqlite3_errmsg(db_);
    return Status::error(describe_ + ": " + reason);
  }
  std::string got = journal_mode("PRAGMA journal_mode");
  if (got != "wal" && got != "memory") {
    // Switching takes an exclusive lock without calling the busy handler, so two connections
    // opening a new database together would fail at once: retry for the busy timeout.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
    for (;;) {
      auto mode = query("PRAGMA journal_mode=WAL", {});
      if (mode) {
        got = mode->empty() ? "" : mode->front().get_text(0);
        break;
      }
      const int code = sqlite3_errcode(db_) & 0xff;
      if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) ||
          std::chrono::steady_clock::now() >= deadline) {
        return mode.status();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  if (got != "wal" && got != "memory") {
    return Status::error(describe_ + ": cannot switch to WAL journal mode (still '" + got + "')");
  }
  for (const char* pragma :
       {"PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON", "PRAGMA temp_store=MEMORY",
        // 64 MiB page cache at most (allocated as used), as the original had.
        "PRAGMA cache_size=-65536"}) {
    Status s = execute(pragma, {});
    if (!s) return s;
  }
  return Status::ok();
}

Status SqliteDatabase::configure_read_only() {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  auto version = query("PRAGMA schema_version", {});
  if (!version) return Status::error(describe_ + ": " + sqlite3_errmsg(db_));
  return execute("PRAGMA query_only=ON", {});
}

Status SqliteDatabase::backup_to(const std::string& dest_path) {
  namespace fs = std::filesystem;
  // Into a unique temp file beside the destination, then rename: a reader never sees a
  // half-written copy, and two writers never share a temp file.
  std::string tmpl = dest_path + ".tmp-XXXXXX";
  int fd = mkstemp(tmpl.data());
  if (fd < 0) {
    return error("backup", "cannot create a temporary file beside " + dest_path + ": " +
                               std::strerror(errno));
  }
  close(fd);
  const std::string tmp_path = tmpl;
  auto fail = [&](const std::string& reason) {
    std::error_code ec;
    fs::remove(tmp_path, ec);
    fs::remove(tmp_path + "-journal", ec);
    return error("backup to " + dest_path, reason);
  };

  sqlite3* dest = nullptr;
  int rc = sqlite3_open_v2(tmp_path.c_str(), &dest, SQLITE_OPEN_READWRITE, nullptr);
  if (rc != SQLITE_OK) {
    std::string reason = dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc);
    sqlite3_close_v2(dest);
    return fail(reason);
  }
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", db_, "main");
  if (backup == nullptr) {
    std::string reason = sqlite3_errmsg(dest);
    sqlite3_close_v2(dest);
    return fail(reason);
  }
  for (;;) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    break;
  }
  int finish_rc = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE || finish_rc != SQLITE_OK) {
    std::string reason = sqlite3_errmsg(dest);
    sqlite3_close_v2(dest);
    return fail(reason);
  }
  // A self-contained file (no -wal beside it): restoring it is a plain copy.
  char* message = nullptr;
  rc = sqlite3_exec(dest, "PRAGMA journal_mode=DELETE", nullptr, nullptr, &message);
  std::string reason = message ? message : "";
  sqlite3_free(message);
  if (sqlite3_close(dest) != SQLITE_OK || rc != SQLITE_OK) {
    sqlite3_close_v2(dest);
    return fail(reason.empty() ? "cannot close the copy" : reason);
  }
  std::error_code ec;
  // mkstemp made it 0600; the copy gets the permissions of the database it copies.
  if (std::string source = file_path(); !source.empty()) {
    auto perms = fs::status(source, ec).permissions();
    if (!ec) fs::permissions(tmp_path, perms, ec);
    ec.clear();
  }
  fs::rename(tmp_path, dest_path, ec);
  if (ec) return fail("cannot rename the copy into place: " + ec.message());
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite_database(const DatabaseUrl& url) {
  namespace fs = std::filesystem;
  const std::string describe = url.describe();
  const bool in_memory = url.path == ":memory:";
  if (!in_memory) {
    fs::path parent = fs::path(url.path).parent_path();
    std::error_code ec;
    if (!parent.empty() && !fs::exists(parent, ec)) {
      fs::create_directories(parent, ec);
      if (ec) {
        return Status::error(describe + ": cannot create directory " + parent.string() + ": " +
                             ec.message());
      }
    }
  }
  sqlite3* db = nullptr;
  // NOMUTEX: a Database is used by one thread at a time.
  int rc =
      sqlite3_open_v2(url.path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string reason = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::error(describe + ": cannot open: " + reason);
  }
  auto database = std::make_unique<SqliteDatabase>(db, describe);
  Status s = database->configure();
  if (!s) return s;
  return std::unique_ptr<Database>(std::move(database));
}

Result<std::unique_ptr<Database>> open_sqlite_database_read_only(const DatabaseUrl& url) {
  const std::string describe = url.describe();
  if (url.path == ":memory:") return Status::error(describe + ": an in-memory database is empty");
  std::string uri = "file:";
  for (char c : url.path) {
    if (c == '%' || c == '?' || c == '#') {
      static const char* hex = "0123456789ABCDEF";
      uri += '%';
      uri += hex[(static_cast<unsigned char>(c) >> 4) & 0xf];
      uri += hex[static_cast<unsigned char>(c) & 0xf];
    } else {
      uri += c;
    }
  }
  uri += "?mode=ro";
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(uri.c_str(), &db,
                           SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string reason = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::error(describe + ": cannot open read-only: " + reason);
  }
  auto database = std::make_unique<SqliteDatabase>(db, describe);
  Status s = database->configure_read_only();
  if (!s) return s;
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace chitragupt::storage
