#include "storage/database.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "storage/engine_test_fixture.hpp"
#include "storage/test_support.hpp"

namespace chitragupt::storage {
namespace {

using testing::EngineTest;
using testing::TempDir;

std::unique_ptr<Database> open_ok(const std::string& url) {
  auto db = open_database(url);
  EXPECT_TRUE(db.is_ok()) << db.error();
  return db ? std::move(*db) : nullptr;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string pragma(Database& db, const std::string& name) {
  auto rows = db.query("PRAGMA " + name);
  EXPECT_TRUE(rows.is_ok()) << rows.error();
  return rows && !rows->empty() ? rows->front().get_text(0) : "";
}

// ---- SQLite only: its settings, files and backup API -----------------------------------------

TEST(Database, open_applies_wal_synchronous_busy_timeout_foreign_keys_temp_store) {
  TempDir dir;
  auto db = open_ok(dir.sqlite_url("x.db"));
  ASSERT_TRUE(db);
  EXPECT_EQ(pragma(*db, "journal_mode"), "wal");
  EXPECT_EQ(pragma(*db, "synchronous"), "1");  // NORMAL
  EXPECT_GE(std::stoi(pragma(*db, "busy_timeout")), 5000);
  EXPECT_EQ(pragma(*db, "foreign_keys"), "1");
  EXPECT_EQ(pragma(*db, "temp_store"), "2");  // MEMORY
  EXPECT_EQ(db->dialect(), Dialect::sqlite);
  EXPECT_EQ(db->describe(), dir.sqlite_url("x.db"));
}

TEST(Database, open_creates_missing_parent_directories) {
  TempDir dir;
  auto db = open_ok(dir.sqlite_url("a/b/c/x.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->execute("CREATE TABLE t (x INTEGER)"));
  EXPECT_TRUE(std::filesystem::exists(dir.file("a/b/c/x.db")));
}

TEST(Database, in_memory_database_works_and_has_no_file_path) {
  auto db = open_ok("sqlite:///:memory:");
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->execute("CREATE TABLE t (x INTEGER)"));
  EXPECT_EQ(db->file_path(), "");
}

TEST(Database, garbage_file_is_reported_as_not_a_database_and_left_untouched) {
  TempDir dir;
  const std::string path = dir.file("garbage.db");
  std::string garbage(8192, '\0');
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>('A' + i % 26);
  std::ofstream(path, std::ios::binary) << garbage;

  auto db = open_database(dir.sqlite_url("garbage.db"));
  ASSERT_FALSE(db.is_ok());
  EXPECT_EQ(db.error(), dir.sqlite_url("garbage.db") + ": file is not a database");
  EXPECT_EQ(read_file(path), garbage);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST(Row, get_int_parses_text_and_get_text_formats_integers) {
  Row row{{std::string("-42"), std::int64_t{1234567890123}, std::string("12x"), std::monostate{}}};
  EXPECT_EQ(row.get_int(0), -42);
  EXPECT_EQ(row.get_text(1), "1234567890123");
  EXPECT_EQ(row.get_int(2, 99), 99);  // not a whole number
  EXPECT_EQ(row.get_int(3, 5), 5);
}

TEST(Database, backup_is_a_complete_self_contained_copy_including_wal_content) {
  TempDir dir;
  auto db = open_ok(dir.sqlite_url("live.db"));
  ASSERT_TRUE(db);
  // Keep everything in the WAL: a plain file copy of live.db would miss these rows.
  ASSERT_TRUE(db->execute("PRAGMA wal_autocheckpoint=0"));
  ASSERT_TRUE(db->execute("CREATE TABLE t (x INTEGER)"));
  ASSERT_TRUE(db->begin());
  for (std::int64_t i = 0; i < 500; ++i) ASSERT_TRUE(db->execute("INSERT INTO t VALUES (?)", {i}));
  ASSERT_TRUE(db->commit());
  ASSERT_GT(std::filesystem::file_size(dir.file("live.db-wal")), 0u);

  const std::string copy = dir.file("copy.db");
  Status s = db->backup_to(copy);
  ASSERT_TRUE(s) << s.message();
  EXPECT_FALSE(std::filesystem::exists(copy + "-wal"));
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos);
  }
  auto restored = open_ok(dir.sqlite_url("copy.db"));
  ASSERT_TRUE(restored);
  EXPECT_EQ(restored->query("SELECT count(*) FROM t")->front().get_int(0), 500);
  EXPECT_EQ(pragma(*restored, "integrity_check"), "ok");
}

TEST(Database, backup_keeps_the_permissions_of_the_database_file) {
  TempDir dir;
  auto db = open_ok(dir.sqlite_url("live.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->execute("CREATE TABLE t (x INTEGER)"));
  const auto perms = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                     std::filesystem::perms::group_read;
  std::filesystem::permissions(dir.file("live.db"), perms);
  ASSERT_TRUE(db->backup_to(dir.file("copy.db")));
  EXPECT_EQ(std::filesystem::status(dir.file("copy.db")).permissions(), perms);
}

TEST(Database, backup_into_a_missing_directory_fails_clearly) {
  TempDir dir;
  auto db = open_ok(dir.sqlite_url("live.db"));
  ASSERT_TRUE(db);
  Status s = db->backup_to(dir.file("no/such/dir/copy.db"));
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("backup"), std::string::npos) << s.message();
}

TEST(Database, an_unreachable_postgresql_server_fails_fast_naming_host_and_database_only) {
  // Port 1 on loopback: nothing listens there, so the refusal is immediate.
  auto db = open_database("postgresql://alice:hunter2secret@127.0.0.1:1/billing");
  ASSERT_FALSE(db.is_ok());
  EXPECT_EQ(db.error().rfind("postgresql://127.0.0.1:1/billing: cannot connect: ", 0), 0u)
      << db.error();
  EXPECT_NE(db.error().find("Connection refused"), std::string::npos) << db.error();
  EXPECT_EQ(db.error().find("hunter2secret"), std::string::npos);
  EXPECT_EQ(db.error().find("alice"), std::string::npos);
}

// ---- both engines, the same expectations -----------------------------------------------------

class DatabaseOnEngine : public EngineTest {};
CHITRAGUPT_ON_BOTH_ENGINES(DatabaseOnEngine);

TEST_P(DatabaseOnEngine, values_round_trip_int64_extremes_unicode_text_and_null) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->execute("CREATE TABLE t (id INTEGER PRIMARY KEY, i BIGINT, s TEXT)"));
  const std::int64_t lo = std::numeric_limits<std::int64_t>::min();
  const std::int64_t hi = std::numeric_limits<std::int64_t>::max();
  const std::string unicode = "Ωμέγα — ₹ 1,23,456.7890 — 日本語 — 🚀 ' \" ? $1 -- /*";
  ASSERT_TRUE(
      db->execute("INSERT INTO t (id, i, s) VALUES (?, ?, ?)", {std::int64_t{1}, lo, unicode}));
  ASSERT_TRUE(db->execute("INSERT INTO t (id, i, s) VALUES (?, ?, ?)",
                          {std::int64_t{2}, hi, std::string()}));
  ASSERT_TRUE(db->execute("INSERT INTO t (id, i, s) VALUES (?, ?, ?)",
                          {std::int64_t{3}, std::monostate{}, std::monostate{}}));
  auto rows = db->query("SELECT i, s, id FROM t ORDER BY id");
  ASSERT_TRUE(rows) << rows.error();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].get_int(0), lo);
  EXPECT_EQ((*rows)[0].values[0], Value(lo));  // an integer column reads as an integer
  EXPECT_EQ((*rows)[0].get_text(1), unicode);
  EXPECT_EQ((*rows)[1].get_int(0), hi);
  EXPECT_FALSE((*rows)[1].is_null(1));  // "" is not NULL
  EXPECT_EQ((*rows)[1].get_text(1), "");
  EXPECT_TRUE((*rows)[2].is_null(0));
  EXPECT_TRUE((*rows)[2].is_null(1));
  EXPECT_EQ((*rows)[2].get_int(0, -7), -7);
  EXPECT_EQ((*rows)[2].get_text(1), "");
  EXPECT_EQ((*rows)[2].get_int(2), 3);
  // Integers given as parameters compare with integer columns, text with text.
  auto found = db->query("SELECT s FROM t WHERE i = ? AND id = ?", {hi, std::int64_t{2}});
  ASSERT_TRUE(found) << found.error();
  EXPECT_EQ(found->size(), 1u);
}

TEST_P(DatabaseOnEngine, prepared_statement_is_reused_for_10k_inserts_in_one_transaction) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(
      db->execute("CREATE TABLE facts (timestamp TEXT NOT NULL, dimension_id INTEGER NOT NULL, "
                  "amount BIGINT NOT NULL, PRIMARY KEY (timestamp, dimension_id))"));
  auto stmt = db->prepare("INSERT INTO facts (timestamp, dimension_id, amount) VALUES (?, ?, ?)");
  ASSERT_TRUE(stmt) << stmt.error();
  {
    Transaction tx(*db);
    ASSERT_TRUE(tx.begin_status());
    for (std::int64_t i = 0; i < 10000; ++i) {
      Status s = (*stmt)->execute({std::string("2024-01-01 00:00:00"), i, i * 10000 + 1});
      ASSERT_TRUE(s) << s.message();
    }
    ASSERT_TRUE(tx.commit());
  }
  auto rows = db->query("SELECT count(*), sum(amount) FROM facts");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->front().get_int(0), 10000);
  EXPECT_EQ(rows->front().get_int(1), std::int64_t{10000} * (9999 * 10000 / 2) + 10000);
  // The same statement also queries.
  auto select = db->prepare("SELECT amount FROM facts WHERE dimension_id = ?");
  ASSERT_TRUE(select);
  auto one = (*select)->query({std::int64_t{7}});
  ASSERT_TRUE(one);
  EXPECT_EQ(one->front().get_int(0), 70001);
  EXPECT_EQ((*select)->query({std::int64_t{8}})->front().get_int(0), 80001);
}

TEST_P(DatabaseOnEngine, prepare_reports_a_syntax_error_at_once) {
  auto db = open();
  ASSERT_TRUE(db);
  auto stmt = db->prepare("SELEC nothing");
  ASSERT_FALSE(stmt);
  EXPECT_NE(stmt.error().find("prepare \"SELEC nothing\""), std::string::npos) << stmt.error();
  EXPECT_NE(stmt.error().find("syntax error"), std::string::npos) << stmt.error();
}

TEST_P(DatabaseOnEngine, repeated_execute_with_the_same_sql_reuses_the_cached_statement) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->execute("CREATE TABLE t (x INTEGER)"));
  ASSERT_TRUE(db->begin());
  for (std::int64_t i = 0; i < 1000; ++i) ASSERT_TRUE(db->execute("INSERT INTO t VALUES (?)", {i}));
  ASSERT_TRUE(db->commit());
  EXPECT_EQ(db->query("SELECT count(*) FROM t")->front().get_int(0), 1000);
}

TEST_P(DatabaseOnEngine, transaction_rolls_back_on_destruction_unless_committed) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->execute("CREATE TABLE t (x INTEGER)"));
  {
    Transaction tx(*db);
    ASSERT_TRUE(tx.begin_status());
    ASSERT_TRUE(db->execute("INSERT INTO t VALUES (1)"));
    EXPECT_TRUE(db->in_transaction());
  }
  EXPECT_FALSE(db->in_transaction());
  EXPECT_EQ(db->query("SELECT count(*) FROM t")->front().get_int(0), 0);
  {
    Transaction tx(*db, TxMode::immediate);
    ASSERT_TRUE(db->execute("INSERT INTO t VALUES (2)"));
    ASSERT_TRUE(tx.commit());
    EXPECT_FALSE(tx.commit());  // once only
  }
  EXPECT_EQ(db->query("SELECT count(*) FROM t")->front().get_int(0), 1);
  EXPECT_TRUE(db->rollback());  // nothing open: nothing to do
}

TEST_P(DatabaseOnEngine, a_failed_statement_leaves_nothing_of_its_transaction_behind) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->execute("CREATE TABLE t (x INTEGER PRIMARY KEY)"));
  ASSERT_TRUE(db->begin());
  ASSERT_TRUE(db->execute("INSERT INTO t VALUES (1)"));
  EXPECT_FALSE(db->execute("INSERT INTO t VALUES (1)"));
  // SQLite keeps the transaction going; PostgreSQL aborts it, and COMMIT must then say so
  // rather than quietly roll back. Either way the caller rolls back.
  if (postgresql()) {
    Status s = db->commit();
    ASSERT_FALSE(s);
    EXPECT_NE(s.message().find("aborted"), std::string::npos) << s.message();
  }
  ASSERT_TRUE(db->rollback());
  EXPECT_FALSE(db->in_transaction());
  EXPECT_EQ(db->query("SELECT count(*) FROM t")->front().get_int(0), 0);
}

TEST_P(DatabaseOnEngine, errors_name_the_operation_the_reason_and_the_database_but_no_values) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->execute("CREATE TABLE t (x TEXT PRIMARY KEY, n BIGINT)"));
  ASSERT_TRUE(db->execute("INSERT INTO t VALUES (?, 1)", {std::string("secret-value-1")}));
  Status s = db->execute("INSERT INTO t VALUES (?, 2)", {std::string("secret-value-1")});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message().rfind(described() + ": ", 0), 0u) << s.message();
  EXPECT_NE(s.message().find("INSERT INTO t"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(sqlite() ? "UNIQUE constraint failed"
                                      : "duplicate key value violates unique constraint"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(s.message().find("secret-value-1"), std::string::npos) << s.message();

  auto bad = db->query("SELECT nope FROM t");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find(sqlite() ? "no such column" : "column \"nope\" does not exist"),
            std::string::npos)
      << bad.error();

  // A value the engine cannot take is not quoted back either.
  if (postgresql()) {
    Status typed = db->execute("INSERT INTO t VALUES ('k', ?)", {std::string("not-a-number-42")});
    ASSERT_FALSE(typed);
    EXPECT_NE(typed.message().find("invalid input syntax for type bigint"), std::string::npos)
        << typed.message();
    EXPECT_EQ(typed.message().find("not-a-number-42"), std::string::npos) << typed.message();
    ASSERT_TRUE(db->execute("CREATE TABLE small (n INTEGER)"));
    Status range = db->execute("INSERT INTO small VALUES (?)", {std::string("98765432109")});
    ASSERT_FALSE(range);
    EXPECT_NE(range.message().find("is out of range for type integer"), std::string::npos)
        << range.message();
    EXPECT_EQ(range.message().find("98765432109"), std::string::npos) << range.message();
  }
}

TEST_P(DatabaseOnEngine, a_wrong_number_of_parameters_is_an_error) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->execute("CREATE TABLE t (a INTEGER, b INTEGER)"));
  Status s = db->execute("INSERT INTO t VALUES (?, ?)", {std::int64_t{1}});
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("2 parameters, 1 given"), std::string::npos) << s.message();
  auto stmt = db->prepare("INSERT INTO t VALUES (?, ?)");
  ASSERT_TRUE(stmt) << stmt.error();
  Status again = (*stmt)->execute({std::int64_t{1}, std::int64_t{2}, std::int64_t{3}});
  EXPECT_NE(again.message().find("2 parameters, 3 given"), std::string::npos) << again.message();
}

TEST_P(DatabaseOnEngine, question_marks_in_literals_identifiers_and_comments_are_not_parameters) {
  auto db = open();
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->execute("CREATE TABLE \"odd?name\" (\"what?\" TEXT, n INTEGER)"));
  ASSERT_TRUE(
      db->execute("INSERT INTO \"odd?name\" (\"what?\", n) /* ? */ VALUES ('?''?', ?) -- ?\n",
                  {std::int64_t{7}}));
  auto rows =
      db->query("SELECT \"what?\", n, '?' FROM \"odd?name\" WHERE n = ?", {std::int64_t{7}});
  ASSERT_TRUE(rows) << rows.error();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().get_text(0), "?'?");
  EXPECT_EQ(rows->front().get_text(2), "?");
}

TEST_P(DatabaseOnEngine, execute_script_runs_every_statement_and_reports_each_to_the_hook) {
  auto db = open();
  ASSERT_TRUE(db);
  // A trigger whose body holds ';' (and, on PostgreSQL, its function's dollar-quoted body):
  // each engine's script must come through in whole statements.
  const std::string script =
      sqlite() ? "-- a comment; with a semicolon\n"
                 "CREATE TABLE a (x INTEGER);\n"
                 "CREATE TABLE log (msg TEXT);\n"
                 "CREATE TRIGGER a_ins AFTER INSERT ON a BEGIN INSERT INTO log VALUES ('one;'); "
                 "INSERT INTO log VALUES ('two'); END;\n"
                 "INSERT INTO a VALUES (1);\n"
                 "/* trailing comment; */\n"
               : "-- a comment; with a semicolon\n"
                 "CREATE TABLE a (x INTEGER);\n"
                 "CREATE TABLE log (msg TEXT);\n"
                 "CREATE FUNCTION a_ins() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
                 "BEGIN INSERT INTO log VALUES ('one;'); INSERT INTO log VALUES ($$two$$);\n"
                 "RETURN NEW; END; $body$;\n"
                 "CREATE TRIGGER a_ins AFTER INSERT ON a FOR EACH ROW EXECUTE FUNCTION a_ins();\n"
                 "INSERT INTO a VALUES (1);\n"
                 "/* trailing comment; /* nested; */ */\n";
  std::vector<int> seen;
  ASSERT_TRUE(db->execute_script_stepwise(script, [&](int i) { seen.push_back(i); }));
  EXPECT_EQ(seen, sqlite() ? (std::vector<int>{0, 1, 2, 3}) : (std::vector<int>{0, 1, 2, 3, 4}));
  auto log = db->query("SELECT msg FROM log ORDER BY msg");
  ASSERT_TRUE(log) << log.error();
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].get_text(0), "one;");
  EXPECT_EQ((*log)[1].get_text(0), "two");

  Status s = db->execute_script("CREATE TABLE b (x INTEGER); CREATE TABLE a (x INTEGER);");
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("script statement 2"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("already exists"), std::string::npos) << s.message();
}

TEST_P(DatabaseOnEngine, a_statement_may_outlive_its_database) {
  auto db = open();
  ASSERT_TRUE(db);
  auto stmt = db->prepare("SELECT 1");
  ASSERT_TRUE(stmt) << stmt.error();
  std::unique_ptr<Statement> keep = std::move(*stmt);
  db.reset();
  auto rows = keep->query({});  // the connection lives as long as its statements
  ASSERT_TRUE(rows) << rows.error();
  EXPECT_EQ(rows->front().get_int(0), 1);
  keep.reset();  // finalizes, then the connection closes
}

}  // namespace
}  // namespace chitragupt::storage
