#include "cli/db_command.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "storage/database.hpp"
#include "storage/engine_test_fixture.hpp"
#include "storage/migrator.hpp"
#include "storage/test_support.hpp"

namespace chitragupt::cli {
namespace {

using storage::testing::EngineTest;
using storage::testing::TempDir;
namespace fs = std::filesystem;

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

Outcome db(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  Outcome r;
  r.code = run_db_command(args, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string label_of(int version) {
  for (const auto& m : storage::known_migrations(Dialect::sqlite)) {
    if (m.version == version) return storage::version_label(version) + " " + m.name;
  }
  return "?";
}

std::string head_text() { return std::to_string(storage::head_version()); }

TEST(DbCommand, usage_errors_exit_2_with_the_usage_line) {
  TempDir dir;
  const std::string url = dir.sqlite_url("x.db");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {},
           {"--database-url", url},
           {"frobnicate", "--database-url", url},
           {"downgrade", "--database-url", url},
           {"downgrade", "one", "--database-url", url},
           {"upgrade", "-3", "--database-url", url},
           {"current"},
           {"current", "--database-url", url, "--config-file", "c.yaml", "--tenant", "a"},
           {"current", "--config-file", "c.yaml"},
           {"current", "--database-url", url, "--tenant", "a"},
           {"current", "--database-url", url, "--verbose"},
           {"current", "--database-url"},
           {"current", "extra", "--database-url", url},
       }) {
    Outcome r = db(args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.code, 2) << joined;
    EXPECT_TRUE(contains(r.err, "usage: chitragupt db")) << joined << "\n" << r.err;
    EXPECT_EQ(r.out, "") << joined;
  }
  EXPECT_FALSE(fs::exists(dir.file("x.db")));
}

TEST(DbCommand, help_prints_usage_and_exits_0) {
  Outcome r = db({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(contains(r.out, "usage: chitragupt db"));
}

TEST(DbCommand, backup_writes_a_copy_to_dest_or_a_timestamped_default) {
  TempDir dir;
  const std::string url = dir.sqlite_url("prod.db");
  ASSERT_EQ(db({"upgrade", "--database-url", url}).code, 0);

  const std::string dest = dir.file("copy.db");
  Outcome b = db({"backup", dest, "--database-url", url});
  ASSERT_EQ(b.code, 0) << b.err;
  EXPECT_TRUE(contains(b.out, dest)) << b.out;
  auto copy = storage::open_database("sqlite:///" + dest);
  ASSERT_TRUE(copy) << copy.error();
  EXPECT_EQ(*storage::Migrator(**copy).current_version(), storage::head_version());

  Outcome again = db({"backup", dest, "--database-url", url});
  EXPECT_EQ(again.code, 1);
  EXPECT_TRUE(contains(again.err, "already exists")) << again.err;

  Outcome def = db({"backup", "--database-url", url});
  ASSERT_EQ(def.code, 0) << def.err;
  const std::string prefix = dir.file("prod.db.backup-");
  auto at = def.out.find(prefix);
  ASSERT_NE(at, std::string::npos) << def.out;
  std::string path = def.out.substr(at);
  path.resize(path.find('\n'));
  EXPECT_EQ(path.size(), prefix.size() + 16) << path;  // yyyymmddTHHMMSSZ
  EXPECT_EQ(path.back(), 'Z');
  EXPECT_TRUE(fs::exists(path));
}

TEST(DbCommand, commands_other_than_upgrade_never_create_a_database) {
  TempDir dir;
  const std::string url = dir.sqlite_url("missing/none.db");
  for (const std::string cmd : {"current", "history", "backup"}) {
    Outcome r = db({cmd, "--database-url", url});
    EXPECT_EQ(r.code, 1) << cmd;
    EXPECT_TRUE(contains(r.err, "no database file")) << r.err;
  }
  EXPECT_FALSE(fs::exists(dir.file("missing")));
}

TEST(DbCommand, a_file_that_is_not_a_database_fails_with_one_clear_line) {
  TempDir dir;
  std::ofstream(dir.file("junk.db")) << std::string(2048, 'z');
  Outcome r = db({"upgrade", "--database-url", dir.sqlite_url("junk.db")});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "chitragupt db: " + dir.sqlite_url("junk.db") + ": file is not a database\n");
}

class DbCommandConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = dir_.file("config.yaml");
    std::ofstream(config_) << "tenants:\n"
                              "  a:\n"
                              "    ecosystem: confluent_cloud\n"
                              "    tenant_id: a\n"
                              "    storage:\n"
                              "      connection_string: sqlite:///"
                           << dir_.file("data/a.db")
                           << "\n"
                              "  b:\n"
                              "    ecosystem: confluent_cloud\n"
                              "    tenant_id: b\n"
                              "    storage:\n"
                              "      connection_string: ${B_DATABASE_URL}\n";
    std::ofstream(dir_.file("custom.env"))
        << "B_DATABASE_URL=sqlite:///" << dir_.file("data/b.db") << "\n";
  }

  TempDir dir_;
  std::string config_;
};

TEST_F(DbCommandConfig, config_file_and_tenant_select_the_tenant_database) {
  Outcome up = db({"upgrade", "--config-file", config_, "--tenant", "a", "--env-file",
                   dir_.file("custom.env")});
  ASSERT_EQ(up.code, 0) << up.err;
  EXPECT_TRUE(fs::exists(dir_.file("data/a.db")));
  EXPECT_FALSE(fs::exists(dir_.file("data/b.db")));

  Outcome b = db({"upgrade", "1", "--config-file", config_, "--tenant", "b", "--env-file",
                  dir_.file("custom.env")});
  ASSERT_EQ(b.code, 0) << b.err;
  EXPECT_TRUE(fs::exists(dir_.file("data/b.db")));
  Outcome cur = db({"current", "--config-file", config_, "--tenant", "b", "--env-file",
                    dir_.file("custom.env")});
  ASSERT_EQ(cur.code, 0) << cur.err;
  EXPECT_TRUE(contains(cur.out, "version 1 (")) << cur.out;
}

TEST_F(DbCommandConfig, an_unknown_tenant_lists_the_configured_ones) {
  Outcome r = db({"current", "--config-file", config_, "--tenant", "zz", "--env-file",
                  dir_.file("custom.env")});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(contains(r.err, "unknown tenant 'zz' (configured: a, b)")) << r.err;
}

TEST_F(DbCommandConfig, an_invalid_configuration_prints_its_errors_and_exits_1) {
  const std::string bad = dir_.file("bad.yaml");
  std::ofstream(bad) << "tenants:\n  a:\n    ecosystem: confluent_cloud\n    tenant_id: a\n"
                        "    storage:\n      conection_string: sqlite:///x.db\n";
  Outcome r = db({"current", "--config-file", bad, "--tenant", "a"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(contains(r.err, "conection_string")) << r.err;
}

TEST(DbCommand, postgresql_backup_prints_pg_dump_without_the_password) {
  const std::string url =
      "postgresql://alice:Sup3r%2FSecret@db.example.com:5433/billing?sslmode=require";
  Outcome r = db({"backup", "--database-url", url});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "pg_dump")) << r.out;
  EXPECT_TRUE(contains(r.out, "--host=db.example.com")) << r.out;
  EXPECT_TRUE(contains(r.out, "--port=5433")) << r.out;
  EXPECT_TRUE(contains(r.out, "--username=alice")) << r.out;
  EXPECT_TRUE(contains(r.out, "--dbname=billing")) << r.out;
  EXPECT_TRUE(contains(r.out, "PGSSLMODE=require")) << r.out;
  for (const std::string secret : {"Sup3r", "Secret", "%2F"}) {
    EXPECT_FALSE(contains(r.out, secret)) << r.out;
    EXPECT_FALSE(contains(r.err, secret)) << r.err;
  }
  Outcome dest = db({"backup", "/backups/billing.dump", "--database-url", url});
  EXPECT_TRUE(contains(dest.out, "--file=/backups/billing.dump")) << dest.out;
}

// ---- both engines, the same expectations -----------------------------------------------------

class DbCommandOnEngine : public EngineTest {};
CHITRAGUPT_ON_BOTH_ENGINES(DbCommandOnEngine);

TEST_P(DbCommandOnEngine, upgrade_creates_and_migrates_then_current_says_head) {
  const std::string url = this->url("prod");
  Outcome up = db({"upgrade", "--database-url", url});
  ASSERT_EQ(up.code, 0) << up.err;
  EXPECT_TRUE(contains(up.out, "applied " + label_of(1))) << up.out;
  EXPECT_TRUE(contains(up.out, "applied " + label_of(storage::head_version()))) << up.out;

  Outcome cur = db({"current", "--database-url", url});
  ASSERT_EQ(cur.code, 0) << cur.err;
  EXPECT_EQ(cur.out, described("prod") + ": version " + head_text() + " (" +
                         label_of(storage::head_version()) + ") — head\n");

  Outcome again = db({"upgrade", "head", "--database-url", url});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "nothing to apply")) << again.out;
}

TEST_P(DbCommandOnEngine, upgrade_to_a_target_then_current_counts_pending) {
  const std::string url = this->url("prod");
  ASSERT_EQ(db({"upgrade", "1", "--database-url", url}).code, 0);
  Outcome cur = db({"current", "--database-url=" + url});
  ASSERT_EQ(cur.code, 0) << cur.err;
  EXPECT_EQ(cur.out, described("prod") + ": version 1 (" + label_of(1) + ") — " +
                         std::to_string(storage::head_version() - 1) + " pending (head " +
                         head_text() + ")\n");

  Outcome up = db({"upgrade", "--database-url", url});
  ASSERT_EQ(up.code, 0) << up.err;
  if (sqlite()) {
    // A database with tables gets its backup before it is changed.
    EXPECT_TRUE(contains(up.out, "backup written: ")) << up.out;
    EXPECT_TRUE(fs::exists(dir_.file("prod.db.pre-0002.bak")));
  } else {
    EXPECT_TRUE(contains(up.out, "no backup written: back up PostgreSQL databases with pg_dump"))
        << up.out;
  }
}

TEST_P(DbCommandOnEngine, history_lists_every_migration_with_applied_or_pending) {
  const std::string url = this->url("prod");
  ASSERT_EQ(db({"upgrade", "1", "--database-url", url}).code, 0);
  Outcome h = db({"history", "--database-url", url});
  ASSERT_EQ(h.code, 0) << h.err;
  std::istringstream lines(h.out);
  std::vector<std::string> all;
  for (std::string line; std::getline(lines, line);) all.push_back(line);
  ASSERT_EQ(static_cast<int>(all.size()), storage::head_version()) << h.out;
  EXPECT_EQ(all[0].rfind("0001  core_schema", 0), 0u) << all[0];
  EXPECT_TRUE(contains(all[0], "applied 20")) << all[0];
  EXPECT_EQ(all[1].rfind("0002  pipeline_run_trigger", 0), 0u) << all[1];
  EXPECT_TRUE(contains(all[1], "pending")) << all[1];
}

TEST_P(DbCommandOnEngine, downgrade_reverts_and_points_at_the_backup_as_the_safer_path) {
  const std::string url = this->url("prod");
  ASSERT_EQ(db({"upgrade", "--database-url", url}).code, 0);
  Outcome down = db({"downgrade", "1", "--database-url", url});
  ASSERT_EQ(down.code, 0) << down.err;
  EXPECT_TRUE(contains(down.out, "reverted " + label_of(2))) << down.out;
  EXPECT_FALSE(contains(down.out, "reverted " + label_of(1))) << down.out;
  EXPECT_TRUE(contains(down.out, "version 1 (" + label_of(1) + ")")) << down.out;
  EXPECT_TRUE(contains(down.out, sqlite() ? "restore a backup written before the upgrade"
                                          : "restore a pg_dump taken before the upgrade"))
      << down.out;

  Outcome zero = db({"downgrade", "0", "--database-url", url});
  ASSERT_EQ(zero.code, 0) << zero.err;
  EXPECT_TRUE(contains(zero.out, "version 0 (empty)")) << zero.out;

  Outcome above = db({"downgrade", "2", "--database-url", url});
  EXPECT_EQ(above.code, 1);
  EXPECT_TRUE(contains(above.err, "use upgrade")) << above.err;
}

TEST_P(DbCommandOnEngine, a_newer_database_is_refused_with_exit_1) {
  const std::string url = this->url("newer");
  ASSERT_EQ(db({"upgrade", "--database-url", url}).code, 0);
  {
    auto opened = storage::open_database(url);
    ASSERT_TRUE(opened);
    ASSERT_TRUE((*opened)->execute(
        "INSERT INTO schema_migrations VALUES (9999, 'future', 'x', '2030-01-01 00:00:00')"));
  }
  for (const std::string cmd : {"current", "upgrade"}) {
    Outcome r = db({cmd, "--database-url", url});
    EXPECT_EQ(r.code, 1) << cmd;
    EXPECT_TRUE(contains(r.err, "newer than this binary knows")) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  Outcome cur = db({"current", "--database-url", url});
  EXPECT_TRUE(contains(cur.out, "version 9999 (9999 future) — newer than this binary")) << cur.out;
}

// ---- PostgreSQL only ----------------------------------------------------------------------------

class DbCommandOnPostgres : public EngineTest {};
INSTANTIATE_TEST_SUITE_P(Engines, DbCommandOnPostgres,
                         ::testing::Values(storage::testing::Engine::postgresql),
                         storage::testing::engine_param_name);

TEST_P(DbCommandOnPostgres, no_output_ever_shows_the_password) {
  const std::string url = this->url("prod");
  const std::string password = storage::testing::PgServer::get().admin().password;
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"upgrade", "--database-url", url},
                                             {"current", "--database-url", url},
                                             {"history", "--database-url", url},
                                             {"backup", "--database-url", url},
                                             {"downgrade", "0", "--database-url", url}}) {
    Outcome r = db(args);
    EXPECT_EQ(r.code, 0) << args[0] << ": " << r.err;
    EXPECT_FALSE(contains(r.out, password)) << r.out;
    EXPECT_FALSE(contains(r.err, password)) << r.err;
  }
}

TEST_P(DbCommandOnPostgres, a_wrong_password_or_a_missing_database_fails_with_one_clear_line) {
  const auto& server = storage::testing::PgServer::get();
  Outcome wrong = db({"current", "--database-url",
                      server.url_as(server.admin().user, "Not-The-Pw-8812", "postgres")});
  EXPECT_EQ(wrong.code, 1);
  EXPECT_TRUE(contains(wrong.err, "password authentication failed")) << wrong.err;
  EXPECT_FALSE(contains(wrong.err, "Not-The-Pw-8812")) << wrong.err;
  EXPECT_EQ(std::count(wrong.err.begin(), wrong.err.end(), '\n'), 1) << wrong.err;

  const std::string name = storage::testing::unique_pg_name("missing_");
  Outcome missing = db({"upgrade", "--database-url", server.url_for(name)});
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.err, "chitragupt db: postgresql://" + server.host() + ":" +
                             std::to_string(server.port()) + "/" + name +
                             ": cannot connect: database \"" + name + "\" does not exist\n");
}

TEST_P(DbCommandOnPostgres, a_config_tenant_on_postgresql_is_migrated_through_its_env_file) {
  const std::string url = this->url("tenant");
  std::ofstream(dir_.file("config.yaml")) << "tenants:\n"
                                             "  pg:\n"
                                             "    ecosystem: confluent_cloud\n"
                                             "    tenant_id: pg\n"
                                             "    storage:\n"
                                             "      connection_string: ${PG_URL}\n";
  std::ofstream(dir_.file("pg.env")) << "PG_URL=" << url << "\n";
  Outcome up = db({"upgrade", "--config-file", dir_.file("config.yaml"), "--tenant", "pg",
                   "--env-file", dir_.file("pg.env")});
  ASSERT_EQ(up.code, 0) << up.err;
  EXPECT_TRUE(contains(up.out, described("tenant") + ": version " + head_text())) << up.out;
  EXPECT_FALSE(contains(up.out, storage::testing::PgServer::get().admin().password));
}

TEST(DbCommand, an_unreachable_postgresql_server_fails_without_the_password) {
  Outcome r =
      db({"current", "--database-url", "postgresql://alice:pw-xyz-123@127.0.0.1:1/billing"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(contains(r.err, "postgresql://127.0.0.1:1/billing: cannot connect")) << r.err;
  EXPECT_FALSE(contains(r.err, "pw-xyz-123")) << r.err;
}

TEST(DbCommand, an_invalid_url_fails_with_exit_1_and_is_not_echoed) {
  Outcome r = db({"current", "--database-url", "mysql://root:hunter2@host/db"});
  EXPECT_EQ(r.code, 1);
  EXPECT_FALSE(contains(r.err, "hunter2")) << r.err;
}

}  // namespace
}  // namespace chitragupt::cli
