#pragma once
// The database interface every caller uses, with SQLite and PostgreSQL behind the same calls.
//
// Promises:
// - Every statement is prepared with bound parameters; no SQL is ever built from input text.
//   SQL uses '?' placeholders; an implementation may rewrite them for its engine.
// - Values are NULL, 64-bit integers or text. There is no floating point: money is stored as
//   integer units of 0.0001 or as exact decimal text.
// - Error messages name the operation and the engine's reason, never the connection string.
// - A Database is used by one thread at a time (each actor opens its own).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/database_url.hpp"
#include "common/status.hpp"

namespace chitragupt::storage {

using Value = std::variant<std::monostate, std::int64_t, std::string>;
using Params = std::vector<Value>;

struct Row {
  std::vector<Value> values;
  bool is_null(std::size_t i) const { return std::holds_alternative<std::monostate>(values.at(i)); }
  // Integer column; text is parsed; NULL gives `fallback`.
  std::int64_t get_int(std::size_t i, std::int64_t fallback = 0) const;
  // Text column; integers are formatted; NULL gives "".
  std::string get_text(std::size_t i) const;
};

// A prepared statement, reusable with new parameters (for bulk inserts).
class Statement {
 public:
  virtual ~Statement() = default;
  virtual Status execute(const Params& params) = 0;
  virtual Result<std::vector<Row>> query(const Params& params) = 0;
};

enum class TxMode {
  deferred,   // a plain transaction
  immediate,  // takes the write lock at BEGIN (SQLite BEGIN IMMEDIATE); used by migrations
};

class Database {
 public:
  virtual ~Database() = default;

  virtual Dialect dialect() const = 0;
  // Safe for logs: "sqlite:///data/x.db" / "postgresql://host:5432/db".
  virtual std::string describe() const = 0;

  virtual Status execute(std::string_view sql, const Params& params = {}) = 0;
  virtual Result<std::vector<Row>> query(std::string_view sql, const Params& params = {}) = 0;
  virtual Result<std::unique_ptr<Statement>> prepare(std::string_view sql) = 0;
  // Calls `each` with the rows of a query one at a time, in result order, without keeping them:
  // SQLite steps the statement row by row; the default reads the whole result first (PostgreSQL).
  // `each` returns false to stop early; it must not use this database.
  virtual Status query_each(std::string_view sql, const Params& params,
                            const std::function<bool(const Row&)>& each);
  // Runs a script of several statements. Only for SQL compiled into the binary (migrations).
  virtual Status execute_script(std::string_view sql) = 0;
  // The same, calling `after_statement(i)` once the i-th statement (0-based) has run; the
  // engine splits the script (SQLite: its own parser, so trigger bodies stay whole).
  virtual Status execute_script_stepwise(std::string_view sql,
                                         const std::function<void(int)>& after_statement) = 0;

  virtual Status begin(TxMode mode = TxMode::deferred) = 0;
  virtual Status commit() = 0;
  virtual Status rollback() = 0;
  virtual bool in_transaction() const = 0;

  // A consistent online copy of the database at `dest_path` (SQLite backup API; the copy is a
  // complete database file, WAL contents included). Engines without it return an error that
  // says what to use instead.
  virtual Status backup_to(const std::string& dest_path) = 0;
  // The database file (SQLite: its absolute path); "" for in-memory and server databases.
  virtual std::string file_path() const { return {}; }
};

// Opens (and for SQLite creates) the database the URL names and applies the connection
// settings (SQLite: WAL, synchronous=NORMAL, busy_timeout=5000, foreign_keys=ON).
// A file that is not a database is reported here or on the first statement.
Result<std::unique_ptr<Database>> open_database(const std::string& url);
Result<std::unique_ptr<Database>> open_database(const DatabaseUrl& url);

// Rolls back on destruction unless commit() succeeded.
class Transaction {
 public:
  Transaction(Database& db, TxMode mode = TxMode::deferred);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  const Status& begin_status() const { return begin_status_; }
  Status commit();

 private:
  Database& db_;
  Status begin_status_;
  bool open_ = false;
};

}  // namespace chitragupt::storage
