#include "storage/postgres_database.hpp"
#include "storage/sql_excerpt.hpp"

#include <libpq-fe.h>

#include <cctype>
#include <cstdint>
#include <limits>
#include <map>
#include <unordered_map>
#include <utility>

namespace chitragupt::storage {
namespace {

// Type OIDs from catalog/pg_type.h (server headers are not needed for five numbers).
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

// Callers use a few dozen distinct SQL texts; past this many, new ones run unnamed (prepared
// for each call) instead of filling the server's memory.
constexpr std::size_t kStatementCacheLimit = 512;
constexpr int kMinimumServerVersion = 100000;  // identity columns need PostgreSQL 10

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         (static_cast<unsigned char>(c) & 0x80) != 0;
}

// If a string literal, quoted identifier, dollar quote or comment starts at `i`, the index
// just past it (the end of `s` when it is unterminated); otherwise `i` itself.
std::size_t skip_non_code(std::string_view s, std::size_t i) {
  const std::size_t n = s.size();
  const char c = s[i];
  if (c == '-' && i + 1 < n && s[i + 1] == '-') {
    std::size_t end = s.find('\n', i);
    return end == std::string_view::npos ? n : end + 1;
  }
  if (c == '/' && i + 1 < n && s[i + 1] == '*') {  // PostgreSQL block comments nest
    int depth = 0;
    std::size_t j = i;
    while (j < n) {
      if (s[j] == '/' && j + 1 < n && s[j + 1] == '*') {
        ++depth;
        j += 2;
      } else if (s[j] == '*' && j + 1 < n && s[j + 1] == '/') {
        j += 2;
        if (--depth == 0) return j;
      } else {
        ++j;
      }
    }
    return n;
  }
  if (c == '\'') {
    // E'...' strings take backslash escapes; standard strings only double the quote.
    const bool escapes =
        i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') && (i < 2 || !ident_char(s[i - 2]));
    std::size_t j = i + 1;
    while (j < n) {
      if (escapes && s[j] == '\\') {
        j += 2;
      } else if (s[j] == '\'') {
        if (j + 1 < n && s[j + 1] == '\'') {
          j += 2;
        } else {
          return j + 1;
        }
      } else {
        ++j;
      }
    }
    return n;
  }
  if (c == '"') {
    std::size_t j = i + 1;
    while (j < n) {
      if (s[j] == '"') {
        if (j + 1 < n && s[j + 1] == '"') {
          j += 2;
        } else {
          return j + 1;
        }
      } else {
        ++j;
      }
    }
    return n;
  }
  if (c == '$' && (i == 0 || !ident_char(s[i - 1]))) {
    // $tag$ ... $tag$ (the tag may be empty); $1 is a parameter, not a quote.
    std::size_t j = i + 1;
    if (j < n && (std::isalpha(static_cast<unsigned char>(s[j])) || s[j] == '_' ||
                  (static_cast<unsigned char>(s[j]) & 0x80) != 0)) {
      while (j < n && ident_char(s[j]) && s[j] != '$') ++j;
    }
    if (j < n && s[j] == '$') {
      const std::string_view tag = s.substr(i, j + 1 - i);
      std::size_t close = s.find(tag, j + 1);
      return close == std::string_view::npos ? n : close + tag.size();
    }
  }
  return i;
}

bool only_space(std::string_view s) {
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Whether `s` holds anything besides whitespace and comments.
bool has_code(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const bool comment = (s[i] == '-' && i + 1 < s.size() && s[i + 1] == '-') ||
                         (s[i] == '/' && i + 1 < s.size() && s[i + 1] == '*');
    if (comment) {
      i = skip_non_code(s, i);
      continue;
    }
    if (!std::isspace(static_cast<unsigned char>(s[i]))) return true;
    ++i;
  }
  return false;
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string excerpt(std::string_view sql) { return sql_excerpt(sql); }

void replace_all(std::string& text, const std::string& what, const std::string& with) {
  if (what.empty()) return;
  for (std::size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

// libpq's message, one line: the "connection to server at ..., port N failed:" prefixes go
// (describe() names the server), as do severity words and repeats (one per address tried).
std::string clean_libpq_message(const std::string& raw) {
  std::vector<std::string> lines;
  std::string current;
  auto flush = [&] {
    std::string line = trim(current);
    current.clear();
    if (line.empty()) return;
    if (line.rfind("connection to server ", 0) == 0) {
      if (auto at = line.find(" failed: "); at != std::string::npos) line = line.substr(at + 9);
    }
    for (const char* severity : {"FATAL:  ", "ERROR:  "}) {
      if (line.rfind(severity, 0) == 0) line = line.substr(std::string(severity).size());
    }
    line = trim(line);
    for (const auto& seen : lines) {
      if (seen == line) return;
    }
    if (!line.empty()) lines.push_back(line);
  };
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n') {
      // A line that starts with a tab continues the one before it ("\tIs the server ...").
      if (i + 1 < raw.size() && raw[i + 1] == '\t') {
        // "Connection refused\n\tIs the server running ..." reads as two sentences.
        const bool sentence =
            i + 2 < raw.size() && std::isupper(static_cast<unsigned char>(raw[i + 2])) &&
            !current.empty() && std::isalnum(static_cast<unsigned char>(current.back()));
        current += sentence ? ". " : " ";
        ++i;
        continue;
      }
      flush();
      continue;
    }
    current += raw[i];
  }
  flush();
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : "; ") + line;
  return out.empty() ? "unknown libpq error" : out;
}

// "value \"123\" is out of range" -> "value \"...\" is out of range".
std::string hide_quoted(const std::string& text) {
  std::string out;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') {
      out += quoted ? "...\"" : "\"";
      quoted = !quoted;
    } else if (!quoted) {
      out += c;
    }
  }
  return out;
}

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

ResultPtr wrap(PGresult* r) { return ResultPtr(r, &PQclear); }

void ignore_notice(void*, const char*) {}

// One connection, shared by the Database and the Statements it prepared (a Statement may
// outlive its Database: the connection closes when the last of them goes).
class Connection {
 public:
  Connection(PGconn* conn, std::string describe, std::vector<std::string> secrets)
      : conn_(conn), describe_(std::move(describe)), secrets_(std::move(secrets)) {}
  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const std::string& describe() const { return describe_; }

  bool in_transaction() const {
    switch (PQtransactionStatus(conn_)) {
      case PQTRANS_INTRANS:
      case PQTRANS_INERROR:
      case PQTRANS_ACTIVE:
        return true;
      default:
        return false;
    }
  }
  bool aborted_transaction() const { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }

  // "<describe>: <op>: <reason>"
  Status error(const std::string& op, const std::string& reason) const {
    return Status::error(describe_ + ": " + op + ": " + scrub(reason));
  }

  // The reason a call failed: the server's primary message (never its DETAIL, which quotes
  // row values) with the SQLSTATE, or libpq's own message; "connection lost: " in front when
  // the connection is gone.
  std::string reason(const PGresult* result) const {
    std::string text;
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    if (primary != nullptr) {
      text = primary;
      // Data exceptions (class 22) quote the offending input ("invalid input syntax for type
      // bigint: \"abc\"", "value \"99999999999\" is out of range"): the quotes are emptied.
      if (state != nullptr && std::string(state).rfind("22", 0) == 0) text = hide_quoted(text);
      if (state != nullptr) text += std::string(" (SQLSTATE ") + state + ")";
    } else {
      text = clean_libpq_message(PQerrorMessage(conn_));
    }
    if (PQstatus(conn_) == CONNECTION_BAD) text = "connection lost: " + text;
    return text;
  }

  Status check_connected() const {
    if (PQstatus(conn_) == CONNECTION_OK) return Status::ok();
    return Status::error("connection lost: " + clean_libpq_message(PQerrorMessage(conn_)));
  }

  // Runs a one-off statement without parameters (scripts, BEGIN/COMMIT/ROLLBACK).
  Result<ResultPtr> run_once(const std::string& sql) {
    if (Status s = check_connected(); !s) return s;
    ResultPtr r = wrap(PQexecParams(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0));
    if (!succeeded(r.get())) return Status::error(reason(r.get()));
    return Result<ResultPtr>(std::move(r));
  }

  // Runs `sql` (already rewritten to $n) with `params`, through the statement cache.
  Status run(const std::string& sql, int parameters, const Params& params, std::vector<Row>* rows) {
    if (static_cast<std::size_t>(parameters) != params.size()) {
      return Status::error("statement takes " + std::to_string(parameters) + " parameters, " +
                           std::to_string(params.size()) + " given");
    }
    if (Status s = check_connected(); !s) return s;
    std::vector<Oid> types(params.size(), 0);
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::string signature(params.size(), 'u');
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
        // Typed by value, as a literal of that value would be: int4 when it fits (so it can
        // be passed to functions taking integer), else int8.
        const bool fits_int4 = *n >= std::numeric_limits<std::int32_t>::min() &&
                               *n <= std::numeric_limits<std::int32_t>::max();
        types[i] = fits_int4 ? kInt4Oid : kInt8Oid;
        signature[i] = fits_int4 ? 'i' : 'l';
        texts[i] = std::to_string(*n);
        values[i] = texts[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        values[i] = s->c_str();  // text format: NUL-terminated (a NUL byte ends the value)
      }
    }
    for (int attempt = 0;; ++attempt) {
      auto name = prepared(sql, signature, types);
      if (!name) return name.status();
      ResultPtr r = wrap(PQexecPrepared(conn_, name->c_str(), static_cast<int>(params.size()),
                                        values.data(), nullptr, nullptr, 0));
      if (succeeded(r.get())) {
        if (rows) read_rows(r.get(), *rows);
        return Status::ok();
      }
      // A cached plan whose result columns changed (ALTER TABLE under a SELECT *): prepare it
      // again once, when no transaction was spoiled by the failure.
      const char* state = PQresultErrorField(r.get(), PG_DIAG_SQLSTATE);
      if (attempt == 0 && state != nullptr && std::string(state) == "0A000" && !in_transaction() &&
          !name->empty()) {
        forget(sql, signature);
        continue;
      }
      return Status::error(reason(r.get()));
    }
  }

  // Prepares the all-inferred form of `sql` to report a syntax error at prepare() time.
  Status validate(const std::string& sql, int parameters) {
    if (Status s = check_connected(); !s) return s;
    const std::string signature(static_cast<std::size_t>(parameters), 'u');
    std::vector<Oid> types(static_cast<std::size_t>(parameters), 0);
    auto name = prepared(sql, signature, types);
    if (name) return Status::ok();
    // "could not determine data type of parameter $n": typed parameters may still work.
    return last_prepare_state_ == "42P18" ? Status::ok() : name.status();
  }

 private:
  static bool succeeded(const PGresult* r) {
    if (r == nullptr) return false;
    const ExecStatusType st = PQresultStatus(r);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
  }

  static void read_rows(const PGresult* r, std::vector<Row>& rows) {
    const int n = PQntuples(r);
    const int columns = PQnfields(r);
    std::vector<bool> integer(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      const Oid t = PQftype(r, c);
      integer[static_cast<std::size_t>(c)] = t == kInt8Oid || t == kInt4Oid || t == kInt2Oid;
    }
    rows.reserve(rows.size() + static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      Row row;
      row.values.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(r, i, c)) {
          row.values.emplace_back(std::monostate{});
          continue;
        }
        std::string text(PQgetvalue(r, i, c), static_cast<std::size_t>(PQgetlength(r, i, c)));
        if (integer[static_cast<std::size_t>(c)]) {
          row.values.emplace_back(static_cast<std::int64_t>(std::stoll(text)));
        } else {
          row.values.emplace_back(std::move(text));
        }
      }
      rows.push_back(std::move(row));
    }
  }

  std::string scrub(std::string text) const {
    // Belt and braces: nothing here ever puts a secret into a message, but a server or a
    // future libpq might echo one. Very short secrets would mangle ordinary words instead.
    for (const auto& secret : secrets_) {
      if (secret.size() >= 4) replace_all(text, secret, "********");
    }
    return text;
  }

  // The name of the prepared statement for (sql, parameter types), preparing it if needed;
  // "" (the unnamed statement, prepared just now) once the cache is full.
  Result<std::string> prepared(const std::string& sql, const std::string& signature,
                               const std::vector<Oid>& types) {
    last_prepare_state_.clear();
    std::string key = sql;
    key += '\x1f';
    key += signature;
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    std::string name;
    if (cache_.size() < kStatementCacheLimit) name = "chitragupt_" + std::to_string(++counter_);
    ResultPtr r = wrap(PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(types.size()),
                                 types.empty() ? nullptr : types.data()));
    if (!succeeded(r.get())) {
      const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
      if (state != nullptr) last_prepare_state_ = state;
      return Status::error(reason(r.get()));
    }
    if (!name.empty()) cache_.emplace(std::move(key), name);
    return name;
  }

  void forget(const std::string& sql, const std::string& signature) {
    auto it = cache_.find(sql + '\x1f' + signature);
    if (it == cache_.end()) return;
    // The name is ours (a counter), never input text.
    run_once("DEALLOCATE " + it->second);
    cache_.erase(it);
  }

  PGconn* conn_;
  std::string describe_;
  std::vector<std::string> secrets_;
  std::unordered_map<std::string, std::string> cache_;
  std::uint64_t counter_ = 0;
  std::string last_prepare_state_;
};

class PostgresStatement : public Statement {
 public:
  PostgresStatement(std::shared_ptr<Connection> conn, pg_sql::Rewritten sql, std::string excerpt)
      : conn_(std::move(conn)), sql_(std::move(sql)), excerpt_(std::move(excerpt)) {}

  Status execute(const Params& params) override {
    Status s = conn_->run(sql_.sql, sql_.parameters, params, nullptr);
    if (!s) return conn_->error("execute " + excerpt_, s.message());
    return s;
  }

  Result<std::vector<Row>> query(const Params& params) override {
    std::vector<Row> rows;
    Status s = conn_->run(sql_.sql, sql_.parameters, params, &rows);
    if (!s) return conn_->error("query " + excerpt_, s.message());
    return rows;
  }

 private:
  std::shared_ptr<Connection> conn_;
  pg_sql::Rewritten sql_;
  std::string excerpt_;
};

class PostgresDatabase : public Database {
 public:
  explicit PostgresDatabase(std::shared_ptr<Connection> conn) : conn_(std::move(conn)) {}

  Dialect dialect() const override { return Dialect::postgresql; }
  std::string describe() const override { return conn_->describe(); }

  Status execute(std::string_view sql, const Params& params) override {
    const pg_sql::Rewritten& r = rewritten(sql);
    Status s = conn_->run(r.sql, r.parameters, params, nullptr);
    if (!s) return conn_->error("execute " + excerpt(sql), s.message());
    return s;
  }

  Result<std::vector<Row>> query(std::string_view sql, const Params& params) override {
    const pg_sql::Rewritten& r = rewritten(sql);
    std::vector<Row> rows;
    Status s = conn_->run(r.sql, r.parameters, params, &rows);
    if (!s) return conn_->error("query " + excerpt(sql), s.message());
    return rows;
  }

  Result<std::unique_ptr<Statement>> prepare(std::string_view sql) override {
    if (!has_code(sql)) return conn_->error("prepare " + excerpt(sql), "no SQL");
    pg_sql::Rewritten r = pg_sql::rewrite_placeholders(sql);
    if (Status s = conn_->validate(r.sql, r.parameters); !s) {
      return conn_->error("prepare " + excerpt(sql), s.message());
    }
    return std::unique_ptr<Statement>(
        std::make_unique<PostgresStatement>(conn_, std::move(r), excerpt(sql)));
  }

  Status execute_script(std::string_view sql) override {
    return execute_script_stepwise(sql, nullptr);
  }

  Status execute_script_stepwise(std::string_view sql,
                                 const std::function<void(int)>& after_statement) override {
    const std::vector<std::string> statements = pg_sql::split_script(sql);
    for (std::size_t i = 0; i < statements.size(); ++i) {
      auto r = conn_->run_once(statements[i]);
      if (!r) {
        return conn_->error(
            "script statement " + std::to_string(i + 1) + " " + excerpt(statements[i]), r.error());
      }
      if (after_statement) after_statement(static_cast<int>(i));
    }
    return Status::ok();
  }

  // TxMode::immediate needs nothing more than BEGIN: migrations serialise on an advisory
  // lock, and PostgreSQL takes row and table locks as statements need them.
  Status begin(TxMode) override { return simple("BEGIN"); }

  Status commit() override {
    if (conn_->aborted_transaction()) {
      simple("ROLLBACK");
      return conn_->error("COMMIT",
                          "the transaction was aborted by an earlier error and has been rolled "
                          "back");
    }
    auto r = conn_->run_once("COMMIT");
    if (!r) return conn_->error("COMMIT", r.error());
    // A COMMIT the server turned into a rollback answers "ROLLBACK".
    if (std::string(PQcmdStatus(r->get())) == "ROLLBACK") {
      return conn_->error("COMMIT", "the server rolled the transaction back");
    }
    return Status::ok();
  }

  Status rollback() override {
    if (!in_transaction()) return Status::ok();
    return simple("ROLLBACK");
  }

  bool in_transaction() const override { return conn_->in_transaction(); }

  Status backup_to(const std::string& dest_path) override {
    return conn_->error("backup to " + dest_path,
                        "PostgreSQL databases are backed up with pg_dump, not by chitragupt "
                        "(`chitragupt db backup` prints the pg_dump command to run)");
  }

 private:
  Status simple(const std::string& sql) {
    auto r = conn_->run_once(sql);
    if (!r) return conn_->error(sql, r.error());
    return Status::ok();
  }

  const pg_sql::Rewritten& rewritten(std::string_view sql) {
    std::string key(sql);
    if (auto it = rewrites_.find(key); it != rewrites_.end()) return it->second;
    if (rewrites_.size() >= kStatementCacheLimit) rewrites_.clear();
    return rewrites_.emplace(std::move(key), pg_sql::rewrite_placeholders(sql)).first->second;
  }

  std::shared_ptr<Connection> conn_;
  std::unordered_map<std::string, pg_sql::Rewritten> rewrites_;
};

}  // namespace

namespace pg_sql {

Rewritten rewrite_placeholders(std::string_view sql) {
  Rewritten out;
  out.sql.reserve(sql.size() + 16);
  int questions = 0;
  int highest_dollar = 0;
  for (std::size_t i = 0; i < sql.size();) {
    const std::size_t skipped = skip_non_code(sql, i);
    if (skipped != i) {
      out.sql.append(sql.substr(i, skipped - i));
      i = skipped;
      continue;
    }
    const char c = sql[i];
    if (c == '?') {
      out.sql += '$' + std::to_string(++questions);
      ++i;
      continue;
    }
    if (c == '$' && (i == 0 || !ident_char(sql[i - 1])) && i + 1 < sql.size() &&
        std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      std::size_t j = i + 1;
      int number = 0;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) {
        number = number * 10 + (sql[j] - '0');
        if (number > 65535) number = 65535;
        ++j;
      }
      highest_dollar = std::max(highest_dollar, number);
      out.sql.append(sql.substr(i, j - i));
      i = j;
      continue;
    }
    out.sql += c;
    ++i;
  }
  out.parameters = std::max(questions, highest_dollar);
  return out;
}

std::vector<std::string> split_script(std::string_view script) {
  std::vector<std::string> out;
  std::size_t start = 0;
  auto take = [&](std::size_t end) {
    std::string_view piece = script.substr(start, end - start);
    if (!only_space(piece) && has_code(piece)) out.push_back(trim(piece));
  };
  for (std::size_t i = 0; i < script.size();) {
    const std::size_t skipped = skip_non_code(script, i);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    if (script[i] == ';') {
      take(i);
      start = i + 1;
    }
    ++i;
  }
  take(script.size());
  return out;
}

}  // namespace pg_sql

Result<std::unique_ptr<Database>> open_postgres_database(const DatabaseUrl& url) {
  const std::string describe = url.describe();
  // Defaults first, then the URL's query parameters (libpq keywords), then its parts.
  std::map<std::string, std::string> settings = {
      {"connect_timeout", "5"}, {"client_encoding", "UTF8"}, {"application_name", "chitragupt"}};
  for (const auto& [key, value] : url.params) settings[key] = value;
  if (!url.host.empty()) settings["host"] = url.host;
  if (url.port != 0) settings["port"] = std::to_string(url.port);
  if (!url.user.empty()) settings["user"] = url.user;
  if (!url.password.empty()) settings["password"] = url.password;
  settings["dbname"] = url.database;

  std::vector<std::string> secrets;
  if (auto it = settings.find("password"); it != settings.end()) secrets.push_back(it->second);

  std::vector<const char*> keys, values;
  for (const auto& [key, value] : settings) {
    keys.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  // expand_dbname = 0: a database name is only ever a name, never a conninfo string.
  PGconn* raw = PQconnectdbParams(keys.data(), values.data(), 0);
  if (raw == nullptr) return Status::error(describe + ": cannot connect: out of memory");
  auto conn = std::make_shared<Connection>(raw, describe, std::move(secrets));
  if (PQstatus(raw) != CONNECTION_OK) {
    return conn->error("cannot connect", clean_libpq_message(PQerrorMessage(raw)));
  }
  // Notices ("relation already exists, skipping") would go to stderr otherwise.
  PQsetNoticeProcessor(raw, &ignore_notice, nullptr);
  if (PQserverVersion(raw) < kMinimumServerVersion) {
    return conn->error("cannot use the server",
                       "PostgreSQL 10 or newer is needed (this server is " +
                           std::to_string(PQserverVersion(raw)) + ")");
  }
  if (auto r = conn->run_once("SET TIME ZONE 'UTC'"); !r) {
    return conn->error("SET TIME ZONE 'UTC'", r.error());
  }
  return std::unique_ptr<Database>(std::make_unique<PostgresDatabase>(std::move(conn)));
}

}  // namespace chitragupt::storage
