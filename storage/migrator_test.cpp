#include "storage/migrator.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "storage/test_support.hpp"

namespace chitragupt::storage {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;

const std::vector<std::string> kCoreTables = {"resources",
                                              "identities",
                                              "billing",
                                              "ccloud_billing",
                                              "chargeback_dimensions",
                                              "chargeback_facts",
                                              "pipeline_state",
                                              "pipeline_runs",
                                              "tags",
                                              "emission_records",
                                              "topic_attribution_dimensions",
                                              "topic_attribution_facts"};

std::unique_ptr<Database> open_ok(const std::string& url) {
  auto db = open_database(url);
  EXPECT_TRUE(db.is_ok()) << db.error();
  return db ? std::move(*db) : nullptr;
}

int version_of(Database& db) {
  auto v = Migrator(db).current_version();
  EXPECT_TRUE(v) << v.error();
  return v ? *v : -1;
}

bool has_object(Database& db, const std::string& type, const std::string& name) {
  auto rows = db.query("SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?", {type, name});
  return rows && !rows->empty();
}

bool has_column(Database& db, const std::string& table, const std::string& column) {
  auto rows = db.query("SELECT 1 FROM pragma_table_info(?) WHERE name = ?", {table, column});
  return rows && !rows->empty();
}

// The schema as SQLite records it (schema_migrations' rows are data, not schema).
std::string schema_of(Database& db) {
  auto rows = db.query(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
      "ORDER BY name");
  EXPECT_TRUE(rows) << rows.error();
  std::string out;
  for (const Row& r : *rows) {
    out += r.get_text(0) + "|" + r.get_text(1) + "|" + r.get_text(2) + "|" + r.get_text(3) + "\n";
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(MigrationFiles, embedded_migrations_pair_up_with_checksums_for_sqlite) {
  ASSERT_TRUE(validate_migrations(Dialect::sqlite))
      << validate_migrations(Dialect::sqlite).message();
  const auto& known = known_migrations(Dialect::sqlite);
  ASSERT_GE(known.size(), 2u);
  for (std::size_t i = 0; i < known.size(); ++i) {
    EXPECT_EQ(known[i].version, static_cast<int>(i) + 1);
    EXPECT_EQ(known[i].checksum.size(), 64u);
    EXPECT_FALSE(known[i].up_sql.empty());
    EXPECT_FALSE(known[i].down_sql.empty());
  }
  EXPECT_EQ(known[0].name, "core_schema");
  EXPECT_EQ(known[1].name, "pipeline_run_trigger");
  EXPECT_EQ(head_version(), known.back().version);
}

TEST(MigrationFiles, checksum_is_the_sha256_hex_of_the_up_script) {
  auto parsed =
      parse_migration_files({{"0001_x.up.sql", "abc"}, {"0001_x.down.sql", ""}}, Dialect::sqlite);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->front().checksum,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(MigrationFiles, a_version_missing_its_down_script_is_an_error) {
  auto parsed = parse_migration_files(
      {{"0001_a.up.sql", "x"}, {"0001_a.down.sql", "y"}, {"0002_b.up.sql", "z"}}, Dialect::sqlite);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(), "migration 0002 b has no down script for sqlite");
}

TEST(MigrationFiles, a_dialect_file_wins_over_the_generic_one_for_that_dialect_only) {
  std::vector<EmbeddedFile> files = {{"0001_a.up.sql", "generic up"},
                                     {"0001_a.sqlite.up.sql", "sqlite up"},
                                     {"0001_a.down.sql", "generic down"},
                                     {"0001_a.postgresql.down.sql", "pg down"}};
  auto sqlite = parse_migration_files(files, Dialect::sqlite);
  ASSERT_TRUE(sqlite) << sqlite.error();
  EXPECT_EQ(sqlite->front().up_sql, "sqlite up");
  EXPECT_EQ(sqlite->front().down_sql, "generic down");
  auto pg = parse_migration_files(files, Dialect::postgresql);
  ASSERT_TRUE(pg) << pg.error();
  EXPECT_EQ(pg->front().up_sql, "generic up");
  EXPECT_EQ(pg->front().down_sql, "pg down");
}

TEST(MigrationFiles, malformed_names_and_disagreeing_names_are_errors) {
  EXPECT_FALSE(parse_migration_files({{"1_a.up.sql", ""}}, Dialect::sqlite));
  EXPECT_FALSE(parse_migration_files({{"0001_a.sideways.sql", ""}}, Dialect::sqlite));
  EXPECT_FALSE(parse_migration_files({{"0001_A.up.sql", ""}}, Dialect::sqlite));
  EXPECT_FALSE(parse_migration_files({{"0001_a.mysql.up.sql", ""}}, Dialect::sqlite));
  auto names =
      parse_migration_files({{"0001_a.up.sql", ""}, {"0001_b.down.sql", ""}}, Dialect::sqlite);
  ASSERT_FALSE(names);
  EXPECT_NE(names.error().find("different names"), std::string::npos);
  auto dup = parse_migration_files(
      {{"0001_a.up.sql", ""}, {"0001_a.up.sql", ""}, {"0001_a.down.sql", ""}}, Dialect::sqlite);
  EXPECT_FALSE(dup);
}

TEST(Migrator, fresh_database_upgrades_to_head_with_every_core_table) {
  TempDir dir;
  auto db = open_ok(dir.sqlite_url("fresh.db"));
  ASSERT_TRUE(db);
  EXPECT_EQ(version_of(*db), 0);
  auto report = Migrator(*db).upgrade();
  ASSERT_TRUE(report) << report.error();
  EXPECT_EQ(report->from_version, 0);
  EXPECT_EQ(report->to_version, head_version());
  EXPECT_EQ(report->applied, (std::vector<int>{1, 2}));
  EXPECT_EQ(report->backup_path, "");  // nothing worth saving in an empty database
  EXPECT_EQ(version_of(*db), head_version());
  for (const auto& table : kCoreTables) EXPECT_TRUE(has_object(*db, "table", table)) << table;
  EXPECT_TRUE(has_column(*db, "pipeline_runs", "trigger"));
  EXPECT_TRUE(has_object(*db, "index", "ix_pipeline_runs_tenant_started"));
  EXPECT_TRUE(has_object(*db, "index", "uq_chargeback_dimensions"));
  EXPECT_FALSE(has_object(*db, "table", "alembic_version"));
  auto fk = db->query("PRAGMA foreign_key_check");
  ASSERT_TRUE(fk);
  EXPECT_TRUE(fk->empty());

  auto applied = Migrator(*db).applied();
  ASSERT_TRUE(applied);
  ASSERT_EQ(applied->size(), 2u);
  EXPECT_EQ((*applied)[0].name, "core_schema");
  EXPECT_EQ((*applied)[0].checksum, known_migrations(Dialect::sqlite)[0].checksum);
  EXPECT_EQ((*applied)[0].applied_at.size(), 19u);  // YYYY-MM-DD HH:MM:SS

  auto again = Migrator(*db).upgrade();
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->applied.empty());
}

TEST(Migrator, upgrade_from_every_older_version_reaches_head) {
  for (int start = 0; start <= head_version(); ++start) {
    TempDir dir;
    auto db = open_ok(dir.sqlite_url("x.db"));
    ASSERT_TRUE(db);
    auto first = Migrator(*db).upgrade(start);
    ASSERT_TRUE(first) << first.error();
    EXPECT_EQ(version_of(*db), start);
    auto rest = Migrator(*db).upgrade();
    ASSERT_TRUE(rest) << rest.error();
    EXPECT_EQ(rest->from_version, start);
    EXPECT_EQ(rest->to_version, head_version());
    EXPECT_EQ(static_cast<int>(rest->applied.size()), head_version() - start);
    EXPECT_EQ(version_of(*db), head_version());
  }
}

TEST(Migrator, the_schema_is_the_same_whichever_way_head_was_reached) {
  TempDir dir;
  auto straight = open_ok(dir.sqlite_url("straight.db"));
  auto stepwise = open_ok(dir.sqlite_url("stepwise.db"));
  ASSERT_TRUE(straight && stepwise);
  ASSERT_TRUE(Migrator(*straight).upgrade());
  for (int v = 1; v <= head_version(); ++v) ASSERT_TRUE(Migrator(*stepwise).upgrade(v));
  EXPECT_EQ(schema_of(*straight), schema_of(*stepwise));
}

TEST(Migrator, upgrade_target_below_current_or_above_head_is_an_error) {
  TempDir dir;
  auto db = open_ok(dir.sqlite_url("x.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(Migrator(*db).upgrade());
  auto below = Migrator(*db).upgrade(1);
  ASSERT_FALSE(below);
  EXPECT_NE(below.error().find("use downgrade"), std::string::npos) << below.error();
  auto above = Migrator(*db).upgrade(head_version() + 1);
  EXPECT_FALSE(above);
}

TEST(Migrator, down_then_up_gives_an_identical_schema) {
  for (int target = 0; target < head_version(); ++target) {
    TempDir dir;
    auto db = open_ok(dir.sqlite_url("x.db"));
    ASSERT_TRUE(db);
    ASSERT_TRUE(Migrator(*db).upgrade());
    const std::string at_head = schema_of(*db);
    auto down = Migrator(*db).downgrade(target);
    ASSERT_TRUE(down) << down.error();
    EXPECT_EQ(down->from_version, head_version());
    EXPECT_EQ(down->to_version, target);
    EXPECT_EQ(version_of(*db), target);
    auto up = Migrator(*db).upgrade();
    ASSERT_TRUE(up) << up.error();
    EXPECT_EQ(schema_of(*db), at_head) << "after downgrade(" << target << ") + upgrade";
  }
}

TEST(Migrator, downgrade_to_zero_drops_every_core_table) {
  TempDir dir;
  auto db = open_ok(dir.sqlite_url("x.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(Migrator(*db).upgrade());
  auto down = Migrator(*db).downgrade(0);
  ASSERT_TRUE(down) << down.error();
  EXPECT_EQ(down->applied, (std::vector<int>{2, 1}));
  for (const auto& table : kCoreTables) EXPECT_FALSE(has_object(*db, "table", table)) << table;
  auto left = db->query(
      "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> "
      "'schema_migrations'");
  ASSERT_TRUE(left);
  EXPECT_TRUE(left->empty());
  EXPECT_EQ(version_of(*db), 0);
}

TEST(Migrator, downgrade_1_removes_the_trigger_column_and_its_index) {
  TempDir dir;
  auto db = open_ok(dir.sqlite_url("x.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(Migrator(*db).upgrade());
  ASSERT_TRUE(
      db->execute("INSERT INTO pipeline_runs (tenant_name, started_at, status, \"trigger\") "
                  "VALUES ('a', '2024-01-01 00:00:00', 'completed', 'manual')"));
  ASSERT_TRUE(Migrator(*db).downgrade(1));
  EXPECT_FALSE(has_column(*db, "pipeline_runs", "trigger"));
  EXPECT_FALSE(has_object(*db, "index", "ix_pipeline_runs_tenant_started"));
  EXPECT_EQ(db->query("SELECT count(*) FROM pipeline_runs")->front().get_int(0), 1);
  EXPECT_FALSE(Migrator(*db).downgrade(2));  // above the current version
}

TEST(Migrator, after_statement_hook_sees_every_statement_of_each_migration) {
  TempDir dir;
  auto db = open_ok(dir.sqlite_url("x.db"));
  ASSERT_TRUE(db);
  std::vector<std::pair<int, int>> seen;
  std::vector<std::string> events;
  Migrator::Options options;
  options.after_statement = [&](int v, int i) {
    EXPECT_TRUE(db->in_transaction());
    seen.emplace_back(v, i);
  };
  options.on_event = [&](const std::string& e) { events.push_back(e); };
  ASSERT_TRUE(Migrator(*db, options).upgrade());
  int last_of_2 = -1;
  for (auto [v, i] : seen) {
    if (v == 2) last_of_2 = i;
  }
  EXPECT_EQ(last_of_2, 1);  // ALTER TABLE, CREATE INDEX
  EXPECT_EQ(seen.front(), std::make_pair(1, 0));
  EXPECT_EQ(events,
            (std::vector<std::string>{"applying 0001 core_schema", "applied 0001 core_schema",
                                      "applying 0002 pipeline_run_trigger",
                                      "applied 0002 pipeline_run_trigger"}));
}

TEST(Migrator, a_failing_migration_rolls_back_whole_and_names_its_version) {
  TempDir dir;
  auto db = open_ok(dir.sqlite_url("x.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(Migrator(*db).upgrade(1));
  // Makes the second statement of 0002 fail after its first one (ALTER TABLE) has run.
  ASSERT_TRUE(db->execute("CREATE TABLE ix_pipeline_runs_tenant_started (x INTEGER)"));
  auto report = Migrator(*db).upgrade();
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().find("migration 0002 pipeline_run_trigger failed"), std::string::npos)
      << report.error();
  EXPECT_NE(report.error().find("already a table named"), std::string::npos) << report.error();
  EXPECT_NE(report.error().find("stays at version 1"), std::string::npos) << report.error();
  EXPECT_FALSE(db->in_transaction());
  EXPECT_EQ(version_of(*db), 1);
  EXPECT_FALSE(has_column(*db, "pipeline_runs", "trigger"));
}

// Runs upgrade() in a child process that stops inside migration `version` after statement
// `statement` (the hook writes a byte to a pipe, then sleeps), and SIGKILLs it there.
void kill_child_mid_migration(const std::string& url, int version, int statement) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    auto db = open_database(url);
    if (!db) _exit(3);
    Migrator::Options options;
    options.after_statement = [&](int v, int i) {
      if (v == version && i == statement) {
        char byte = 'x';
        if (write(fds[1], &byte, 1) != 1) _exit(5);
        for (;;) pause();
      }
    };
    Migrator(**db, options).upgrade();
    _exit(4);  // never reached when the hook fires
  }
  close(fds[1]);
  char byte = 0;
  ssize_t n = read(fds[0], &byte, 1);
  close(fds[0]);
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_EQ(n, 1) << "the child did not reach the hook";
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
}

TEST(Migrator, sigkill_during_0002_leaves_version_1_whole_and_the_next_upgrade_completes) {
  TempDir dir;
  const std::string url = dir.sqlite_url("killed.db");
  {
    auto db = open_ok(url);
    ASSERT_TRUE(db);
    ASSERT_TRUE(Migrator(*db).upgrade(1));
  }
  kill_child_mid_migration(url, 2, 0);  // after ALTER TABLE ADD COLUMN "trigger"

  auto db = open_ok(url);
  ASSERT_TRUE(db);
  EXPECT_EQ(version_of(*db), 1);
  EXPECT_FALSE(has_column(*db, "pipeline_runs", "trigger"));
  EXPECT_FALSE(has_object(*db, "index", "ix_pipeline_runs_tenant_started"));
  auto report = Migrator(*db).upgrade();
  ASSERT_TRUE(report) << report.error();
  EXPECT_EQ(report->applied, (std::vector<int>{2}));
  EXPECT_EQ(version_of(*db), head_version());
  EXPECT_TRUE(has_column(*db, "pipeline_runs", "trigger"));
  EXPECT_EQ(db->query("PRAGMA integrity_check")->front().get_text(0), "ok");
}

TEST(Migrator, sigkill_during_0001_leaves_an_empty_database_and_the_next_upgrade_completes) {
  TempDir dir;
  const std::string url = dir.sqlite_url("killed.db");
  kill_child_mid_migration(url, 1, 10);

  auto db = open_ok(url);
  ASSERT_TRUE(db);
  EXPECT_EQ(version_of(*db), 0);
  auto tables = db->query("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'");
  ASSERT_TRUE(tables);
  EXPECT_TRUE(tables->empty()) << tables->front().get_text(0);
  auto report = Migrator(*db).upgrade();
  ASSERT_TRUE(report) << report.error();
  EXPECT_EQ(version_of(*db), head_version());
  for (const auto& table : kCoreTables) EXPECT_TRUE(has_object(*db, "table", table)) << table;
}

TEST(Migrator, a_database_newer_than_the_binary_is_refused_and_left_unchanged) {
  TempDir dir;
  auto db = open_ok(dir.sqlite_url("newer.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(Migrator(*db).upgrade(1));
  ASSERT_TRUE(
      db->execute("INSERT INTO schema_migrations (version, name, checksum, applied_at) "
                  "VALUES (9999, 'from_the_future', 'x', '2030-01-01 00:00:00')"));
  const std::string before = schema_of(*db);

  const std::string expected = dir.sqlite_url("newer.db") +
                               ": database schema is at version 9999, newer than this binary "
                               "knows (head " +
                               std::to_string(head_version()) +
                               "): upgrade chitragupt, or restore the backup taken before the "
                               "upgrade";
  EXPECT_EQ(Migrator(*db).check().message(), expected);
  auto report = Migrator(*db).upgrade();
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error(), expected);
  EXPECT_FALSE(Migrator(*db).downgrade(0));
  EXPECT_EQ(schema_of(*db), before);
  EXPECT_EQ(version_of(*db), 9999);
  EXPECT_FALSE(fs::exists(dir.file("newer.db.pre-0002.bak")));  // refused before any backup
  auto history = Migrator(*db).history();
  ASSERT_TRUE(history);
  EXPECT_EQ(history->back().version, 9999);
  EXPECT_EQ(history->back().name, "from_the_future");
}

TEST(Migrator, a_migration_changed_after_it_was_applied_is_refused_and_nothing_changes) {
  TempDir dir;
  auto db = open_ok(dir.sqlite_url("changed.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(Migrator(*db).upgrade(1));
  ASSERT_TRUE(db->execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1"));
  const std::string before = schema_of(*db);
  auto report = Migrator(*db).upgrade();
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error(), dir.sqlite_url("changed.db") +
                                ": migration 0001 core_schema was changed after it was applied "
                                "(checksum mismatch): refusing to run");
  EXPECT_EQ(schema_of(*db), before);
  EXPECT_EQ(version_of(*db), 1);
}

TEST(Migrator, backup_before_upgrade_holds_the_pre_migration_rows_at_the_old_version) {
  TempDir dir;
  const std::string db_file = dir.file("data.db");
  auto db = open_ok(dir.sqlite_url("data.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(Migrator(*db).upgrade(1));
  ASSERT_TRUE(
      db->execute("INSERT INTO pipeline_runs (tenant_name, started_at, status) "
                  "VALUES ('prod', '2024-05-01 10:00:00', 'completed')"));
  ASSERT_TRUE(db->execute(
      "INSERT INTO billing (ecosystem, tenant_id, timestamp, resource_id, product_type, "
      "product_category, quantity, unit_price, total_cost) VALUES "
      "('confluent_cloud', 't1', '2024-05-01 00:00:00', 'lkc-1', 'KAFKA_NUM_CKU', 'KAFKA', "
      "'24.000000', '0.123456789', '2.962962936')"));

  auto report = Migrator(*db).upgrade();
  ASSERT_TRUE(report) << report.error();
  EXPECT_EQ(report->backup_path, db_file + ".pre-0002.bak");
  ASSERT_TRUE(fs::exists(db_file + ".pre-0002.bak"));

  auto backup = open_ok("sqlite:///" + db_file + ".pre-0002.bak");
  ASSERT_TRUE(backup);
  EXPECT_EQ(version_of(*backup), 1);
  EXPECT_FALSE(has_column(*backup, "pipeline_runs", "trigger"));
  auto runs = backup->query("SELECT tenant_name, status FROM pipeline_runs");
  ASSERT_TRUE(runs);
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ(runs->front().get_text(0), "prod");
  auto billing = backup->query("SELECT unit_price, total_cost FROM billing");
  ASSERT_TRUE(billing);
  ASSERT_EQ(billing->size(), 1u);
  EXPECT_EQ(billing->front().get_text(0), "0.123456789");  // exact decimal text
  EXPECT_EQ(billing->front().get_text(1), "2.962962936");
}

TEST(Migrator, only_the_newest_three_pre_upgrade_backups_are_kept) {
  TempDir dir;
  const std::string db_file = dir.file("data.db");
  auto now = fs::file_time_type::clock::now();
  const std::vector<std::string> fakes = {"0096", "0097", "0098", "0099"};
  for (std::size_t i = 0; i < fakes.size(); ++i) {
    const std::string path = db_file + ".pre-" + fakes[i] + ".bak";
    std::ofstream(path) << "old";
    fs::last_write_time(path, now - std::chrono::hours(10 - static_cast<int>(i)));
  }
  std::ofstream(db_file + ".pre-manual.bak") << "not ours";
  std::ofstream(dir.file("other.db.pre-0001.bak")) << "another database";

  auto db = open_ok(dir.sqlite_url("data.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(Migrator(*db).upgrade(1));
  auto report = Migrator(*db).upgrade();
  ASSERT_TRUE(report) << report.error();

  EXPECT_TRUE(fs::exists(db_file + ".pre-0002.bak"));
  EXPECT_TRUE(fs::exists(db_file + ".pre-0099.bak"));
  EXPECT_TRUE(fs::exists(db_file + ".pre-0098.bak"));
  EXPECT_FALSE(fs::exists(db_file + ".pre-0097.bak"));
  EXPECT_FALSE(fs::exists(db_file + ".pre-0096.bak"));
  EXPECT_TRUE(fs::exists(db_file + ".pre-manual.bak"));
  EXPECT_TRUE(fs::exists(dir.file("other.db.pre-0001.bak")));
}

TEST(Migrator, no_backup_when_disabled_or_nothing_is_pending) {
  TempDir dir;
  auto db = open_ok(dir.sqlite_url("data.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(Migrator(*db).upgrade(1));
  Migrator::Options options;
  options.backup_before_upgrade = false;
  auto report = Migrator(*db, options).upgrade();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->backup_path, "");
  auto none = Migrator(*db).upgrade();
  ASSERT_TRUE(none);
  EXPECT_EQ(none->backup_path, "");
  EXPECT_FALSE(fs::exists(dir.file("data.db.pre-0002.bak")));
}

TEST(Migrator, a_file_that_is_not_a_database_is_never_migrated) {
  TempDir dir;
  const std::string path = dir.file("junk.db");
  std::ofstream(path, std::ios::binary) << std::string(4096, 'J');
  auto db = open_database(dir.sqlite_url("junk.db"));
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().find("file is not a database"), std::string::npos);
  EXPECT_EQ(read_file(path), std::string(4096, 'J'));
}

TEST(Migrator, history_lists_every_known_migration_applied_or_pending) {
  TempDir dir;
  auto db = open_ok(dir.sqlite_url("x.db"));
  ASSERT_TRUE(db);
  ASSERT_TRUE(Migrator(*db).upgrade(1));
  auto history = Migrator(*db).history();
  ASSERT_TRUE(history) << history.error();
  ASSERT_EQ(static_cast<int>(history->size()), head_version());
  EXPECT_TRUE((*history)[0].applied);
  EXPECT_EQ((*history)[0].applied_at.size(), 19u);
  EXPECT_FALSE((*history)[1].applied);
  EXPECT_EQ((*history)[1].applied_at, "");
  EXPECT_EQ((*history)[1].name, "pipeline_run_trigger");
}

TEST(Migrator, concurrent_upgrades_apply_each_version_exactly_once) {
  TempDir dir;
  const std::string url = dir.sqlite_url("shared.db");
  std::vector<Result<UpgradeReport>> results(4, Status::error("not run"));
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      auto db = open_database(url);
      if (!db) {
        results[t] = db.status();
        return;
      }
      results[t] = Migrator(**db).upgrade();
    });
  }
  for (auto& th : threads) th.join();
  std::size_t applied = 0;
  for (auto& r : results) {
    ASSERT_TRUE(r) << r.error();
    applied += r->applied.size();
  }
  EXPECT_EQ(static_cast<int>(applied), head_version());
  auto db = open_ok(url);
  ASSERT_TRUE(db);
  EXPECT_EQ(db->query("SELECT count(*) FROM schema_migrations")->front().get_int(0),
            head_version());
}

TEST(Migrator, postgresql_migrations_are_incomplete_until_their_variant_exists) {
  // 0001 has only a SQLite up script so far; the PostgreSQL dialect must say so, not guess.
  Status s = validate_migrations(Dialect::postgresql);
  if (!s) {
    EXPECT_NE(s.message().find("postgresql"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace chitragupt::storage
