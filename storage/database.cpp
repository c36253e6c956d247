#include "storage/database.hpp"

#include <charconv>

#include "storage/postgres_database.hpp"
#include "storage/sqlite_database.hpp"

namespace chitragupt::storage {

std::int64_t Row::get_int(std::size_t i, std::int64_t fallback) const {
  const Value& v = values.at(i);
  if (const auto* n = std::get_if<std::int64_t>(&v)) return *n;
  if (const auto* s = std::get_if<std::string>(&v)) {
    std::int64_t parsed = 0;
    const char* end = s->data() + s->size();
    auto [ptr, ec] = std::from_chars(s->data(), end, parsed);
    if (ec == std::errc() && ptr == end) return parsed;
  }
  return fallback;
}

std::string Row::get_text(std::size_t i) const {
  const Value& v = values.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  return {};
}

Status Database::query_each(std::string_view sql, const Params& params,
                            const std::function<bool(const Row&)>& each) {
  auto rows = query(sql, params);
  if (!rows) return rows.status();
  for (const auto& row : *rows) {
    if (!each(row)) break;
  }
  return Status::ok();
}

Result<std::unique_ptr<Database>> open_database(const std::string& url) {
  auto parsed = parse_database_url(url);
  if (!parsed) return parsed.status();
  return open_database(*parsed);
}

Result<std::unique_ptr<Database>> open_database(const DatabaseUrl& url) {
  switch (url.dialect) {
    case Dialect::sqlite:
      return open_sqlite_database(url);
    case Dialect::postgresql:
      return open_postgres_database(url);
  }
  return Status::error(url.describe() + ": unknown database dialect");
}

Transaction::Transaction(Database& db, TxMode mode) : db_(db), begin_status_(db.begin(mode)) {
  open_ = begin_status_.is_ok();
}

Transaction::~Transaction() {
  if (open_) db_.rollback();
}

Status Transaction::commit() {
  if (!begin_status_) return begin_status_;
  if (!open_) return Status::error("transaction is not open (already committed)");
  Status s = db_.commit();
  if (s) open_ = false;
  return s;
}

}  // namespace chitragupt::storage
