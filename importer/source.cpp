#include "importer/source.hpp"

#include <algorithm>

#include "importer/convert.hpp"
#include "storage/sqlite_database.hpp"

namespace chitragupt::importer {
namespace {

using K = ColumnKind;

std::string quote_ident(const std::string& name) { return "\"" + name + "\""; }

std::string join(const std::set<std::string>& names, std::size_t limit = 12) {
  std::string out;
  std::size_t n = 0;
  for (const auto& name : names) {
    if (n++ == limit) return out + ", ...";
    out += (out.empty() ? "" : ", ") + name;
  }
  return out;
}

}  // namespace

const std::map<std::string, std::vector<SourceColumn>>& original_tables() {
  static const std::map<std::string, std::vector<SourceColumn>> tables = {
      {"resources",
       {{"ecosystem", K::text},
        {"tenant_id", K::text},
        {"resource_id", K::text},
        {"resource_type", K::text},
        {"display_name", K::text},
        {"parent_id", K::text},
        {"owner_id", K::text},
        {"status", K::text},
        {"cloud", K::text},
        {"region", K::text},
        {"created_at", K::timestamp},
        {"deleted_at", K::timestamp},
        {"last_seen_at", K::timestamp},
        {"metadata_json", K::text}}},
      {"identities",
       {{"ecosystem", K::text},
        {"tenant_id", K::text},
        {"identity_id", K::text},
        {"identity_type", K::text},
        {"display_name", K::text},
        {"created_at", K::timestamp},
        {"deleted_at", K::timestamp},
        {"last_seen_at", K::timestamp},
        {"metadata_json", K::text}}},
      {"billing",
       {{"ecosystem", K::text},
        {"tenant_id", K::text},
        {"timestamp", K::timestamp},
        {"resource_id", K::text},
        {"product_type", K::text},
        {"product_category", K::text},
        {"quantity", K::text},
        {"unit_price", K::text},
        {"total_cost", K::text},
        {"currency", K::text},
        {"granularity", K::text},
        {"metadata_json", K::text},
        {"allocation_attempts", K::integer}}},
      {"ccloud_billing",
       {{"ecosystem", K::text},
        {"tenant_id", K::text},
        {"timestamp", K::timestamp},
        {"env_id", K::text},
        {"resource_id", K::text},
        {"product_type", K::text},
        {"product_category", K::text},
        {"quantity", K::text},
        {"unit_price", K::text},
        {"total_cost", K::text},
        {"currency", K::text},
        {"granularity", K::text},
        {"metadata_json", K::text},
        {"allocation_attempts", K::integer}}},
      {"chargeback_dimensions",
       {{"dimension_id", K::integer},
        {"ecosystem", K::text},
        {"tenant_id", K::text},
        {"resource_id", K::text},
        {"product_category", K::text},
        {"product_type", K::text},
        {"identity_id", K::text},
        {"cost_type", K::text},
        {"allocation_method", K::text},
        {"allocation_detail", K::text},
        {"env_id", K::text}}},
      {"chargeback_facts",
       {{"timestamp", K::timestamp}, {"dimension_id", K::integer}, {"amount", K::text}}},
      {"pipeline_runs",
       {{"id", K::integer},
        {"tenant_name", K::text},
        {"started_at", K::timestamp},
        {"ended_at", K::timestamp},
        {"status", K::text},
        {"dates_gathered", K::integer},
        {"dates_calculated", K::integer},
        {"rows_written", K::integer},
        {"error_message", K::text},
        {"stage", K::text},
        {"current_date", K::date}}},
      {"pipeline_state",
       {{"ecosystem", K::text},
        {"tenant_id", K::text},
        {"tracking_date", K::date},
        {"billing_gathered", K::flag},
        {"resources_gathered", K::flag},
        {"chargeback_calculated", K::flag},
        {"topic_overlay_gathered", K::flag},
        {"topic_attribution_calculated", K::flag},
        {"calculation_id", K::text},
        {"calculation_completed_at", K::timestamp},
        {"calculation_run_id", K::integer}}},
      {"emission_records",
       {{"ecosystem", K::text},
        {"tenant_id", K::text},
        {"emitter_name", K::text},
        {"pipeline", K::text},
        {"date", K::date},
        {"status", K::text},
        {"attempt_count", K::integer}}},
      {"tags",
       {{"tag_id", K::integer},
        {"tenant_id", K::text},
        {"entity_type", K::text},
        {"entity_id", K::text},
        {"tag_key", K::text},
        {"tag_value", K::text},
        {"created_by", K::text},
        {"created_at", K::timestamp}}},
      {"topic_attribution_dimensions",
       {{"dimension_id", K::integer},
        {"ecosystem", K::text},
        {"tenant_id", K::text},
        {"env_id", K::text},
        {"cluster_resource_id", K::text},
        {"topic_name", K::text},
        {"product_category", K::text},
        {"product_type", K::text},
        {"attribution_method", K::text},
        {"resource_id", K::text}}},
      {"topic_attribution_facts",
       {{"timestamp", K::timestamp}, {"dimension_id", K::integer}, {"amount", K::text}}},
  };
  return tables;
}

Result<std::unique_ptr<Source>> Source::open(const DatabaseUrl& url) {
  if (url.dialect == Dialect::sqlite) {
    auto db = storage::open_sqlite_database_read_only(url);
    if (!db) return db.status();
    return std::unique_ptr<Source>(new Source(std::move(*db)));
  }
  auto db = storage::open_database(url);
  if (!db) return db.status();
  // One snapshot for the whole read, and the server refuses every write inside it.
  if (auto s = (*db)->execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !s) return s;
  return std::unique_ptr<Source>(new Source(std::move(*db)));
}

std::string Source::expression(const SourceColumn& c) const {
  const std::string q = quote_ident(c.name);
  if (db_->dialect() == Dialect::sqlite) return q;
  switch (c.kind) {
    case K::timestamp:
      return "to_char(" + q + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')";
    case K::date:
      return "to_char(" + q + ", 'YYYY-MM-DD')";
    case K::flag:
      return "CASE WHEN " + q + " THEN 1 WHEN NOT " + q + " THEN 0 END";
    default:
      return q;
  }
}

Result<std::set<std::string>> Source::tables() {
  auto rows = db_->dialect() == Dialect::sqlite
                  ? db_->query("SELECT name FROM sqlite_master WHERE type = 'table'")
                  : db_->query(
                        "SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = current_schema()");
  if (!rows) return rows.status();
  std::set<std::string> out;
  for (const auto& r : *rows) out.insert(r.get_text(0));
  return out;
}

Result<std::set<std::string>> Source::columns(const std::string& table) {
  auto rows = db_->dialect() == Dialect::sqlite
                  ? db_->query("SELECT name FROM pragma_table_info(?)", {table})
                  : db_->query(
                        "SELECT column_name FROM information_schema.columns "
                        "WHERE table_schema = current_schema() AND table_name = ?",
                        {table});
  if (!rows) return rows.status();
  std::set<std::string> out;
  for (const auto& r : *rows) out.insert(r.get_text(0));
  return out;
}

Status Source::check_schema() {
  auto names = tables();
  if (!names) return names.status();
  if (!names->count("alembic_version")) {
    if (names->count("schema_migrations")) {
      return Status::error(describe() +
                           " is not a chitragupta database: it has no alembic_version table but "
                           "a schema_migrations table, so it is a chitragupt database already "
                           "(nothing to import)");
    }
    return Status::error(describe() +
                         " is not a chitragupta database: it has no alembic_version table" +
                         (names->empty() ? std::string(" (it has no tables at all)")
                                         : " (tables: " + join(*names) + ")"));
  }
  auto version = db_->query("SELECT version_num FROM alembic_version");
  if (!version) return version.status();
  std::set<std::string> found;
  for (const auto& r : *version) found.insert(r.get_text(0));
  if (found.size() != 1 || *found.begin() != kOriginalHeadRevision) {
    std::string what = found.empty() ? std::string("no revision (alembic_version is empty)")
                                     : "revision '" + join(found) + "'";
    return Status::error(
        describe() + " records Alembic " + what + ", but this import reads revision '" +
        kOriginalHeadRevision +
        "' only (chitragupta v2.2): upgrade the original to v2.2 first (start chitragupta 2.2 "
        "once on this database, which migrates it, or run `alembic -c "
        "src/core/storage/migrations/alembic.ini -x sqlalchemy.url=<URL> upgrade head` from "
        "its 2.2 sources), then run the import again");
  }
  revision_ = kOriginalHeadRevision;
  for (const auto& [table, wanted] : original_tables()) {
    if (!names->count(table)) {
      return Status::error(describe() + " is not a complete chitragupta v2.2 database: table '" +
                           table + "' is missing although alembic_version says '" +
                           kOriginalHeadRevision + "'");
    }
    auto have = columns(table);
    if (!have) return have.status();
    for (const auto& c : wanted) {
      if (!have->count(c.name)) {
        return Status::error(describe() + " is not a complete chitragupta v2.2 database: table '" +
                             table + "' has no column '" + c.name + "'");
      }
    }
  }
  return Status::ok();
}

Result<std::vector<storage::Row>> Source::select(const std::string& table,
                                                 const std::vector<SourceColumn>& columns,
                                                 const std::string& tail,
                                                 const storage::Params& params) {
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    sql += (i ? ", " : "") + expression(columns[i]);
  }
  sql += " FROM " + quote_ident(table);
  if (!tail.empty()) sql += " " + tail;
  return db_->query(sql, params);
}

Result<std::vector<Source::TimestampValue>> Source::distinct_timestamps(const std::string& table) {
  // PostgreSQL: the canonical text doubles as the parameter (the server reads it back as the
  // same instant: the session time zone is UTC). SQLite: the stored value itself.
  const bool sqlite = db_->dialect() == Dialect::sqlite;
  auto rows = db_->query("SELECT DISTINCT " +
                         (sqlite ? std::string("\"timestamp\"")
                                 : "to_char(\"timestamp\" AT TIME ZONE 'UTC', "
                                   "'YYYY-MM-DD HH24:MI:SS')") +
                         " FROM " + quote_ident(table));
  if (!rows) return rows.status();
  std::vector<TimestampValue> out;
  out.reserve(rows->size());
  for (auto& r : *rows) {
    TimestampValue v;
    v.raw = r.get_text(0);
    auto canonical = canonical_timestamp(v.raw);
    if (canonical) v.canonical = *canonical;
    v.stored = sqlite ? r.values[0] : storage::Value(v.raw + "+00");
    out.push_back(std::move(v));
  }
  std::stable_sort(out.begin(), out.end(), [](const TimestampValue& a, const TimestampValue& b) {
    return a.canonical < b.canonical;
  });
  return out;
}

Result<std::int64_t> Source::count(const std::string& table) {
  auto rows = db_->query("SELECT count(*) FROM " + quote_ident(table));
  if (!rows) return rows.status();
  return rows->empty() ? 0 : rows->front().get_int(0);
}

Result<std::vector<std::pair<std::pair<std::string, std::string>, std::int64_t>>> Source::owners(
    const std::string& table) {
  auto rows = db_->query("SELECT ecosystem, tenant_id, count(*) FROM " + quote_ident(table) +
                         " GROUP BY ecosystem, tenant_id");
  if (!rows) return rows.status();
  std::vector<std::pair<std::pair<std::string, std::string>, std::int64_t>> out;
  for (const auto& r : *rows) out.push_back({{r.get_text(0), r.get_text(1)}, r.get_int(2)});
  return out;
}

}  // namespace chitragupt::importer
