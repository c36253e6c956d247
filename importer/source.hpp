#pragma once
// The original chitragupta's database, opened read-only: SQLite through a `mode=ro` URI with
// PRAGMA query_only, PostgreSQL inside one REPEATABLE READ READ ONLY transaction (one consistent
// snapshot, and the server refuses any write). Nothing here ever writes to it.
//
// Columns are always selected by name (their order differs between engines and databases), and
// rendered the same on both engines: timestamps as UTC text, dates as "YYYY-MM-DD", booleans as
// 0/1, money as the stored decimal text.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/database_url.hpp"
#include "common/status.hpp"
#include "storage/database.hpp"

namespace chitragupt::importer {

// The Alembic head revision of chitragupta v2.2, the only schema this import reads.
inline constexpr const char* kOriginalHeadRevision = "032";

enum class ColumnKind { text, integer, timestamp, date, flag };

struct SourceColumn {
  const char* name;
  ColumnKind kind;
};

class Source {
 public:
  // Opens without creating anything; a missing file or server is an error naming the place
  // (never the password).
  static Result<std::unique_ptr<Source>> open(const DatabaseUrl& url);

  // The refusals: not a chitragupta database (no alembic_version: with a hint when it is a
  // chitragupt database), another Alembic revision than kOriginalHeadRevision (names it and says
  // to upgrade the original to v2.2 first), a table or column of the head schema missing.
  Status check_schema();
  const std::string& revision() const { return revision_; }

  // SELECT of `columns` from `table` (+ " " + tail, e.g. a WHERE clause with '?' parameters).
  Result<std::vector<storage::Row>> select(const std::string& table,
                                           const std::vector<SourceColumn>& columns,
                                           const std::string& tail = "",
                                           const storage::Params& params = {});
  // The distinct stored values of a timestamp column, oldest first, each with its canonical
  // UTC text; a value that is not a timestamp is returned with an empty canonical text.
  struct TimestampValue {
    storage::Value stored;  // to pass back as a parameter: WHERE "timestamp" = ?
    std::string canonical;
    std::string raw;  // for messages
  };
  Result<std::vector<TimestampValue>> distinct_timestamps(const std::string& table);
  // The number of rows of a table.
  Result<std::int64_t> count(const std::string& table);
  // (ecosystem, tenant_id) pairs of a table with their row counts.
  Result<std::vector<std::pair<std::pair<std::string, std::string>, std::int64_t>>> owners(
      const std::string& table);

  storage::Database& db() { return *db_; }
  std::string describe() const { return db_->describe(); }

 private:
  explicit Source(std::unique_ptr<storage::Database> db) : db_(std::move(db)) {}
  std::string expression(const SourceColumn& c) const;
  Result<std::set<std::string>> tables();
  Result<std::set<std::string>> columns(const std::string& table);

  std::unique_ptr<storage::Database> db_;
  std::string revision_;
};

// The tables and columns of the head schema that the import reads.
const std::map<std::string, std::vector<SourceColumn>>& original_tables();

}  // namespace chitragupt::importer
