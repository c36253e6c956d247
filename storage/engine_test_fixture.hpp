#pragma once
// Test support: one test body, run on every storage engine (SQLite and PostgreSQL) with the
// same expectations. A test derives its fixture from EngineTest, writes TEST_P, and is
// instantiated with CHITRAGUPT_ON_BOTH_ENGINES(Fixture): its names end in /sqlite and
// /postgresql.
//
// url("name") is a fresh database per name and test: a file in a temporary directory on
// SQLite, a CREATE DATABASE on the PostgreSQL test server (dropped after the test). The
// schema helpers read each engine's catalogue.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/pg_test_env.hpp"
#include "storage/test_support.hpp"

namespace chitragupt::storage::testing {

enum class Engine { sqlite, postgresql };

inline void PrintTo(Engine engine, std::ostream* os) {
  *os << (engine == Engine::sqlite ? "sqlite" : "postgresql");
}

inline std::string engine_param_name(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::sqlite ? "sqlite" : "postgresql";
}

// ---- the catalogue, on either engine ----

inline bool has_table(Database& db, const std::string& table) {
  auto rows =
      db.dialect() == Dialect::sqlite
          ? db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", {table})
          : db.query(
                "SELECT 1 FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_name = ?",
                {table});
  EXPECT_TRUE(rows) << rows.error();
  return rows && !rows->empty();
}

inline bool has_index(Database& db, const std::string& index) {
  auto rows =
      db.dialect() == Dialect::sqlite
          ? db.query("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", {index})
          : db.query(
                "SELECT 1 FROM pg_indexes "
                "WHERE schemaname = current_schema() AND indexname = ?",
                {index});
  EXPECT_TRUE(rows) << rows.error();
  return rows && !rows->empty();
}

inline bool has_column(Database& db, const std::string& table, const std::string& column) {
  auto rows = db.dialect() == Dialect::sqlite
                  ? db.query("SELECT 1 FROM pragma_table_info(?) WHERE name = ?", {table, column})
                  : db.query(
                        "SELECT 1 FROM information_schema.columns WHERE table_schema = "
                        "current_schema() AND table_name = ? AND column_name = ?",
                        {table, column});
  EXPECT_TRUE(rows) << rows.error();
  return rows && !rows->empty();
}

// Every table, index (and on SQLite trigger or view) name, sorted.
inline std::vector<std::string> schema_objects(Database& db) {
  auto rows = db.dialect() == Dialect::sqlite
                  ? db.query(
                        "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                        "ORDER BY name")
                  : db.query(
                        "SELECT table_name AS name FROM information_schema.tables "
                        "WHERE table_schema = current_schema() UNION "
                        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                        "ORDER BY name");
  EXPECT_TRUE(rows) << rows.error();
  std::vector<std::string> out;
  if (rows) {
    for (const Row& r : *rows) out.push_back(r.get_text(0));
  }
  return out;
}

// A query's rows as text: values joined by "|", NULL as "NULL", one line per row.
inline std::string rows_text(Database& db, const std::string& sql) {
  auto rows = db.query(sql);
  EXPECT_TRUE(rows) << rows.error();
  std::string out;
  if (!rows) return out;
  for (const Row& r : *rows) {
    for (std::size_t i = 0; i < r.values.size(); ++i) {
      out += (i ? "|" : "") + (r.is_null(i) ? std::string("NULL") : r.get_text(i));
    }
    out += "\n";
  }
  return out;
}

// The whole schema as text, for "identical schema" comparisons. SQLite: sqlite_master's SQL.
// PostgreSQL: information_schema columns and constraints, constraint definitions and
// pg_indexes. Columns are numbered by rank, not attnum: PostgreSQL never reuses the number
// of a dropped column, so a column dropped and added again gets a new one.
inline std::string schema_of(Database& db) {
  std::vector<std::string> queries;
  if (db.dialect() == Dialect::sqlite) {
    queries = {
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
        "ORDER BY name"};
  } else {
    queries = {
        "SELECT 'column', table_name, column_name, "
        "row_number() OVER (PARTITION BY table_name ORDER BY ordinal_position), data_type, "
        "is_nullable, column_default, is_identity, identity_generation "
        "FROM information_schema.columns WHERE table_schema = current_schema() "
        "ORDER BY table_name, 4",
        // NOT NULL shows up here as CHECK constraints named after table OIDs: the columns
        // above already say is_nullable.
        "SELECT 'constraint', table_name, constraint_name, constraint_type, is_deferrable "
        "FROM information_schema.table_constraints WHERE table_schema = current_schema() "
        "AND constraint_name NOT LIKE '%\\_not\\_null' ORDER BY table_name, constraint_name",
        "SELECT 'definition', conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE connamespace = current_schema()::regnamespace "
        "ORDER BY 2, 3",
        "SELECT 'index', tablename, indexname, indexdef FROM pg_indexes "
        "WHERE schemaname = current_schema() ORDER BY tablename, indexname"};
  }
  std::string out;
  for (const auto& sql : queries) out += rows_text(db, sql);
  return out;
}

class EngineTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    if (GetParam() == Engine::postgresql) CHITRAGUPT_REQUIRE_POSTGRESQL();
  }
  // For derived SetUp()s: whether the test was skipped or failed in EngineTest::SetUp().
  bool not_runnable() const { return IsSkipped() || HasFatalFailure(); }

  bool sqlite() const { return GetParam() == Engine::sqlite; }
  bool postgresql() const { return GetParam() == Engine::postgresql; }
  Dialect dialect() const { return sqlite() ? Dialect::sqlite : Dialect::postgresql; }

  // A fresh database for this test (the same one for the same name).
  std::string url(const std::string& name = "main") {
    if (sqlite()) return dir_.sqlite_url(name + ".db");
    auto& slot = pg_[name];
    if (!slot) {
      slot = std::make_unique<PgScratchDatabase>();
      EXPECT_TRUE(slot->status()) << slot->status().message();
    }
    return slot->url();
  }
  // What the engine names that database in messages (Database::describe()).
  std::string described(const std::string& name = "main") {
    auto parsed = parse_database_url(url(name));
    return parsed ? parsed->describe() : "";
  }

  std::unique_ptr<Database> open(const std::string& name = "main") {
    auto db = open_database(url(name));
    EXPECT_TRUE(db.is_ok()) << db.error();
    return db ? std::move(*db) : nullptr;
  }

  TempDir dir_;

 private:
  std::map<std::string, std::unique_ptr<PgScratchDatabase>> pg_;
};

}  // namespace chitragupt::storage::testing

#define CHITRAGUPT_ON_BOTH_ENGINES(Fixture)                                                       \
  INSTANTIATE_TEST_SUITE_P(Engines, Fixture,                                                      \
                           ::testing::Values(::chitragupt::storage::testing::Engine::sqlite,      \
                                             ::chitragupt::storage::testing::Engine::postgresql), \
                           ::chitragupt::storage::testing::engine_param_name)
