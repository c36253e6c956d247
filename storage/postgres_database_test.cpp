#include "storage/postgres_database.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "storage/pg_test_env.hpp"

namespace chitragupt::storage {
namespace {

using testing::PgScratchDatabase;
using testing::PgServer;
using testing::unique_pg_name;

// ---- SQL text handling (no server needed) ----------------------------------------------------

TEST(PgPlaceholders, question_marks_become_numbered_parameters) {
  auto r = pg_sql::rewrite_placeholders("INSERT INTO t (a, b) VALUES (?, ?) RETURNING ?");
  EXPECT_EQ(r.sql, "INSERT INTO t (a, b) VALUES ($1, $2) RETURNING $3");
  EXPECT_EQ(r.parameters, 3);
}

TEST(PgPlaceholders, literals_identifiers_comments_and_dollar_quotes_are_left_alone) {
  const std::string sql =
      "SELECT '?', 'it''s ?', E'\\'?', \"col?\", $$ ? $$, $tag$ ?'$ $tag$ -- ?\n"
      "/* ? /* ? */ ? */ FROM t WHERE x = ?";
  auto r = pg_sql::rewrite_placeholders(sql);
  EXPECT_EQ(r.sql,
            "SELECT '?', 'it''s ?', E'\\'?', \"col?\", $$ ? $$, $tag$ ?'$ $tag$ -- ?\n"
            "/* ? /* ? */ ? */ FROM t WHERE x = $1");
  EXPECT_EQ(r.parameters, 1);
}

TEST(PgPlaceholders, explicit_dollar_parameters_count_and_identifiers_with_dollars_do_not) {
  auto r = pg_sql::rewrite_placeholders("SELECT a$1, $2 FROM t");
  EXPECT_EQ(r.sql, "SELECT a$1, $2 FROM t");
  EXPECT_EQ(r.parameters, 2);
}

TEST(PgScript, splits_at_semicolons_outside_quotes_and_comments) {
  auto parts = pg_sql::split_script(
      "-- header; comment\n"
      "CREATE TABLE \"a;b\" (x TEXT DEFAULT 'x;y');\n"
      ";;\n"
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$ BEGIN RETURN 1; END; $fn$;\n"
      "INSERT INTO \"a;b\" VALUES (E'\\';'); /* a; /* nested; */ comment */\n"
      "SELECT $$;$$  \n"
      "-- trailing; comment only\n");
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[0], "-- header; comment\nCREATE TABLE \"a;b\" (x TEXT DEFAULT 'x;y')");
  EXPECT_EQ(parts[1],
            "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$ BEGIN RETURN 1; END; $fn$");
  EXPECT_EQ(parts[2], "INSERT INTO \"a;b\" VALUES (E'\\';')");
  EXPECT_EQ(parts[3], "/* a; /* nested; */ comment */\nSELECT $$;$$  \n-- trailing; comment only");
}

TEST(PgScript, the_real_migrations_split_into_their_statements) {
  auto parts = pg_sql::split_script(
      "ALTER TABLE pipeline_runs ADD COLUMN \"trigger\" TEXT NOT NULL DEFAULT 'periodic'\n"
      "  CHECK (\"trigger\" IN ('periodic', 'run_once', 'manual'));\n"
      "CREATE INDEX ix_pipeline_runs_tenant_started ON pipeline_runs (tenant_name, started_at);\n");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].rfind("CREATE INDEX", 0), 0u);
}

// ---- against the test server -----------------------------------------------------------------

class PostgresDatabase : public ::testing::Test {
 protected:
  void SetUp() override { CHITRAGUPT_REQUIRE_POSTGRESQL(); }
  const PgServer& server() const { return PgServer::get(); }
  std::string describe(const std::string& database) const {
    return "postgresql://" + server().host() + ":" + std::to_string(server().port()) + "/" +
           database;
  }
  std::unique_ptr<Database> admin() {
    auto db = server().connect_admin();
    EXPECT_TRUE(db) << db.error();
    return db ? std::move(*db) : nullptr;
  }
};

TEST_F(PostgresDatabase, describe_names_host_port_and_database_only) {
  PgScratchDatabase scratch;
  ASSERT_TRUE(scratch.status()) << scratch.status().message();
  auto db = open_database(scratch.url());
  ASSERT_TRUE(db) << db.error();
  EXPECT_EQ((*db)->describe(), describe(scratch.name()));
  EXPECT_EQ((*db)->dialect(), Dialect::postgresql);
  EXPECT_EQ((*db)->file_path(), "");
}

TEST_F(PostgresDatabase, a_wrong_password_fails_without_showing_the_password) {
  PgScratchDatabase scratch;
  ASSERT_TRUE(scratch.status());
  const std::string password = "Wr0ng-Secret-Pw-4711";
  auto db = open_database(server().url_as(server().admin().user, password, scratch.name()));
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().rfind(describe(scratch.name()) + ": cannot connect: ", 0), 0u) << db.error();
  EXPECT_NE(db.error().find("password authentication failed"), std::string::npos) << db.error();
  EXPECT_EQ(db.error().find(password), std::string::npos) << db.error();
  EXPECT_EQ(db.error().find(server().admin().password), std::string::npos) << db.error();
}

TEST_F(PostgresDatabase, a_missing_database_is_named_with_its_host_and_nothing_else) {
  const std::string name = unique_pg_name("no_such_db_");
  auto db = open_database(server().url_for(name));
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error(),
            describe(name) + ": cannot connect: database \"" + name + "\" does not exist");
}

TEST_F(PostgresDatabase, percent_encoded_user_and_password_work) {
  const std::string role = unique_pg_name("role_");
  const std::string password = "p@ss:w/rd%?&#=+ é'x";
  auto a = admin();
  ASSERT_TRUE(a);
  std::string literal;  // CREATE ROLE takes no parameters: a literal with '' for '
  for (char c : password) literal += c == '\'' ? std::string("''") : std::string(1, c);
  ASSERT_TRUE(a->execute("CREATE ROLE \"" + role + "-x\" LOGIN PASSWORD '" + literal + "'"));
  {
    auto db = open_database(server().url_as(role + "-x", password, "postgres"));
    ASSERT_TRUE(db) << db.error();
    auto who = (*db)->query("SELECT current_user");
    ASSERT_TRUE(who) << who.error();
    EXPECT_EQ(who->front().get_text(0), role + "-x");
  }
  EXPECT_TRUE(a->execute("DROP ROLE \"" + role + "-x\""));
}

TEST_F(PostgresDatabase, a_unix_socket_directory_works_as_host) {
  const std::string socket_dir = testing::env_or_empty("CHITRAGUPT_TEST_PG_SOCKET_DIR");
  if (socket_dir.empty()) GTEST_SKIP() << "CHITRAGUPT_TEST_PG_SOCKET_DIR is not set";
  const auto& admin_url = server().admin();
  const std::string credentials =
      testing::percent_encode(admin_url.user) + ":" + testing::percent_encode(admin_url.password);
  for (const std::string& url :
       {"postgresql+psycopg2://" + credentials + "@/postgres?host=" +
            testing::percent_encode(socket_dir) + "&port=" + std::to_string(server().port()),
        "postgresql://" + credentials + "@" + testing::percent_encode(socket_dir) + ":" +
            std::to_string(server().port()) + "/postgres"}) {
    auto db = open_database(url);
    ASSERT_TRUE(db) << db.error();
    auto addr = (*db)->query("SELECT inet_server_addr()");
    ASSERT_TRUE(addr) << addr.error();
    EXPECT_TRUE(addr->front().is_null(0));  // NULL: not a TCP connection
    EXPECT_EQ((*db)->describe().find(admin_url.password), std::string::npos);
  }
}

TEST_F(PostgresDatabase, url_parameters_are_libpq_keywords_and_the_session_is_utc) {
  PgScratchDatabase scratch;
  ASSERT_TRUE(scratch.status());
  {
    auto db = open_database(scratch.url());
    ASSERT_TRUE(db) << db.error();
    auto settings = (*db)->query(
        "SELECT current_setting('application_name'), current_setting('TimeZone'), "
        "current_setting('client_encoding')");
    ASSERT_TRUE(settings) << settings.error();
    EXPECT_EQ(settings->front().get_text(0), "chitragupt");
    EXPECT_EQ(settings->front().get_text(1), "UTC");
    EXPECT_EQ(settings->front().get_text(2), "UTF8");
  }
  auto db = open_database(server().url_for(
      scratch.name(), "sslmode=disable&application_name=probe&options=-csearch_path%3Dother"));
  ASSERT_TRUE(db) << db.error();
  auto settings =
      (*db)->query("SELECT current_setting('application_name'), current_setting('search_path')");
  ASSERT_TRUE(settings) << settings.error();
  EXPECT_EQ(settings->front().get_text(0), "probe");
  EXPECT_EQ(settings->front().get_text(1), "other");
}

TEST_F(PostgresDatabase, an_unknown_url_parameter_is_refused_by_name) {
  auto db = open_database(server().url_for("postgres", "no_such_option=1"));
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().find("invalid connection option \"no_such_option\""), std::string::npos)
      << db.error();
  EXPECT_EQ(db.error().find(server().admin().password), std::string::npos);
}

TEST_F(PostgresDatabase, a_lost_connection_is_reported_and_a_reopened_database_works) {
  PgScratchDatabase scratch;
  ASSERT_TRUE(scratch.status());
  auto db = open_database(scratch.url());
  ASSERT_TRUE(db) << db.error();
  ASSERT_TRUE((*db)->execute("CREATE TABLE t (x INTEGER)"));
  auto pid = (*db)->query("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid) << pid.error();
  auto a = admin();
  ASSERT_TRUE(a);
  auto killed = a->query("SELECT pg_terminate_backend(?)", {pid->front().get_int(0)});
  ASSERT_TRUE(killed) << killed.error();
  ASSERT_EQ(killed->front().get_text(0), "t");

  Status s = (*db)->execute("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("connection lost"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().rfind(describe(scratch.name()), 0), 0u) << s.message();
  EXPECT_FALSE((*db)->in_transaction());
  // Every later call says so too, at once, instead of trying to use the dead connection.
  auto again = (*db)->query("SELECT count(*) FROM t");
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().find("connection lost"), std::string::npos) << again.error();
  EXPECT_FALSE((*db)->begin());

  auto reopened = open_database(scratch.url());
  ASSERT_TRUE(reopened) << reopened.error();
  ASSERT_TRUE((*reopened)->execute("INSERT INTO t VALUES (1)"));
  EXPECT_EQ((*reopened)->query("SELECT count(*) FROM t")->front().get_int(0), 1);
}

TEST_F(PostgresDatabase, backup_to_points_at_pg_dump) {
  PgScratchDatabase scratch;
  ASSERT_TRUE(scratch.status());
  auto db = open_database(scratch.url());
  ASSERT_TRUE(db) << db.error();
  Status s = (*db)->backup_to("/tmp/never-written.db");
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("pg_dump"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("chitragupt db backup"), std::string::npos) << s.message();
}

TEST_F(PostgresDatabase, integer_columns_read_as_integers_and_the_rest_as_exact_text) {
  PgScratchDatabase scratch;
  ASSERT_TRUE(scratch.status());
  auto db = open_database(scratch.url());
  ASSERT_TRUE(db) << db.error();
  auto rows = (*db)->query(
      "SELECT 1::int2, 2::int4, 3::int8, 12345678901234567890.00010::numeric, true, "
      "NULL::int8, ''");
  ASSERT_TRUE(rows) << rows.error();
  const Row& r = rows->front();
  EXPECT_EQ(r.values[0], Value(std::int64_t{1}));
  EXPECT_EQ(r.values[1], Value(std::int64_t{2}));
  EXPECT_EQ(r.values[2], Value(std::int64_t{3}));
  EXPECT_EQ(r.values[3], Value(std::string("12345678901234567890.00010")));
  EXPECT_EQ(r.values[4], Value(std::string("t")));
  EXPECT_TRUE(r.is_null(5));
  EXPECT_EQ(r.values[6], Value(std::string()));
}

TEST_F(PostgresDatabase, integer_parameters_are_typed_by_their_value_like_literals) {
  PgScratchDatabase scratch;
  ASSERT_TRUE(scratch.status());
  auto db = open_database(scratch.url());
  ASSERT_TRUE(db) << db.error();
  // repeat() takes an integer: a small int64 goes in as int4.
  auto small = (*db)->query("SELECT repeat('ab', ?)", {std::int64_t{3}});
  ASSERT_TRUE(small) << small.error();
  EXPECT_EQ(small->front().get_text(0), "ababab");
  // A value beyond int4 goes in as int8, and so does arithmetic on it.
  auto big = (*db)->query("SELECT ? * 2, ?", {std::int64_t{3000000000}, std::int64_t{7}});
  ASSERT_TRUE(big) << big.error();
  EXPECT_EQ(big->front().values[0], Value(std::int64_t{6000000000}));
  EXPECT_EQ(big->front().values[1], Value(std::int64_t{7}));
  // The same SQL with a small value, then a big one: each gets its own prepared form.
  ASSERT_TRUE((*db)->execute("CREATE TABLE t (n BIGINT, s TEXT)"));
  for (std::int64_t n : {std::int64_t{1}, std::int64_t{1} << 40, std::int64_t{-5}}) {
    ASSERT_TRUE((*db)->execute("INSERT INTO t (n, s) VALUES (?, ?)", {n, std::to_string(n)}));
  }
  auto rows = (*db)->query("SELECT count(*) FROM t WHERE n = CAST(s AS BIGINT)");
  ASSERT_TRUE(rows) << rows.error();
  EXPECT_EQ(rows->front().get_int(0), 3);
}

TEST_F(PostgresDatabase, a_cached_statement_survives_a_change_of_its_result_columns) {
  PgScratchDatabase scratch;
  ASSERT_TRUE(scratch.status());
  auto db = open_database(scratch.url());
  ASSERT_TRUE(db) << db.error();
  ASSERT_TRUE((*db)->execute("CREATE TABLE t (a INTEGER)"));
  ASSERT_TRUE((*db)->execute("INSERT INTO t VALUES (1)"));
  ASSERT_EQ((*db)->query("SELECT * FROM t")->front().values.size(), 1u);
  ASSERT_TRUE((*db)->execute("ALTER TABLE t ADD COLUMN b TEXT"));
  auto rows = (*db)->query("SELECT * FROM t");
  ASSERT_TRUE(rows) << rows.error();
  EXPECT_EQ(rows->front().values.size(), 2u);
}

}  // namespace
}  // namespace chitragupt::storage
