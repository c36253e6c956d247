#include "storage/sqlite_template.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "storage/database.hpp"
#include "storage/embedded_migrations.hpp"
#include "storage/engine_test_fixture.hpp"
#include "storage/migrator.hpp"
#include "storage/test_support.hpp"

namespace chitragupt::storage {
namespace {

using testing::schema_of;
using testing::TempDir;
namespace fs = std::filesystem;

std::unique_ptr<Database> open_ok(const std::string& url) {
  auto db = open_database(url);
  EXPECT_TRUE(db.is_ok()) << db.error();
  return db ? std::move(*db) : nullptr;
}

std::string migrations_of(Database& db) {
  auto rows = db.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
  EXPECT_TRUE(rows.is_ok()) << rows.error();
  std::string out;
  if (!rows) return out;
  for (const auto& r : *rows) {
    out += std::to_string(r.get_int(0)) + " " + r.get_text(1) + " " + r.get_text(2) + "\n";
  }
  return out;
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(SqliteTemplate, a_new_database_is_the_schema_the_migrator_makes_in_wal_mode) {
  TempDir dir;
  auto created = create_sqlite_at_head(dir.file("copied.db"));
  ASSERT_TRUE(created.is_ok()) << created.error();
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->schema_version, head_version());
  EXPECT_EQ(created->applied, testing::all_versions());

  auto migrated = open_ok(dir.sqlite_url("migrated.db"));
  ASSERT_TRUE(Migrator(*migrated).upgrade().is_ok());
  auto copied = open_ok(dir.sqlite_url("copied.db"));
  ASSERT_NE(copied, nullptr);
  EXPECT_EQ(schema_of(*copied), schema_of(*migrated));
  EXPECT_FALSE(schema_of(*copied).empty());
  EXPECT_EQ(migrations_of(*copied), migrations_of(*migrated));
  auto mode = copied->query("PRAGMA journal_mode");
  ASSERT_TRUE(mode.is_ok());
  EXPECT_EQ(mode->front().get_text(0), "wal");
  auto integrity = copied->query("PRAGMA integrity_check");
  ASSERT_TRUE(integrity.is_ok());
  EXPECT_EQ(integrity->front().get_text(0), "ok");

  Migrator m(*copied);
  EXPECT_TRUE(m.check().is_ok()) << m.check().message();
  auto again = m.upgrade();
  ASSERT_TRUE(again.is_ok()) << again.error();
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->to_version, head_version());
  // It takes writes like any other database.
  ASSERT_TRUE(copied
                  ->execute("INSERT INTO tags (tenant_id, entity_type, entity_id, tag_key, "
                            "tag_value, created_by, created_at) VALUES ('t', 'identity', 'u-1', "
                            "'team', 'a', 'test', '2026-12-01T00:00:00Z')")
                  .is_ok());
  auto n = copied->query("SELECT COUNT(*) FROM tags");
  ASSERT_TRUE(n.is_ok());
  EXPECT_EQ(n->front().get_int(0), 1);
}

TEST(SqliteTemplate, leaves_no_temporary_file_and_creates_missing_directories) {
  TempDir dir;
  const std::string path = dir.file("a/b/tenant.db");
  auto created = create_sqlite_at_head(path);
  ASSERT_TRUE(created.is_ok()) << created.error();
  EXPECT_TRUE(created->created);
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.file("a/b"))) {
    names.push_back(e.path().filename().string());
  }
  EXPECT_EQ(names, std::vector<std::string>{"tenant.db"});
}

TEST(SqliteTemplate, never_touches_a_file_that_is_there) {
  TempDir dir;
  {
    std::ofstream(dir.file("empty.db")).flush();
    std::ofstream(dir.file("text.db")) << "not a database";
  }
  auto db = open_ok(dir.sqlite_url("data.db"));
  ASSERT_TRUE(db->execute("CREATE TABLE mine (x INTEGER)").is_ok());
  db.reset();
  const std::string data_before = file_bytes(dir.file("data.db"));
  for (const char* name : {"empty.db", "text.db", "data.db"}) {
    const std::string before = file_bytes(dir.file(name));
    auto created = create_sqlite_at_head(dir.file(name));
    ASSERT_TRUE(created.is_ok()) << name << ": " << created.error();
    EXPECT_FALSE(created->created) << name;
    EXPECT_EQ(file_bytes(dir.file(name)), before) << name;
  }
  EXPECT_FALSE(data_before.empty());
}

TEST(SqliteTemplate, a_wal_file_without_its_database_is_not_taken_for_a_new_database) {
  TempDir dir;
  { std::ofstream(dir.file("orphan.db-wal")) << "frames that belong to a database"; }
  auto created = create_sqlite_at_head(dir.file("orphan.db"));
  ASSERT_TRUE(created.is_ok()) << created.error();
  EXPECT_FALSE(created->created);
  EXPECT_FALSE(fs::exists(dir.file("orphan.db")));
}

TEST(SqliteTemplate, two_threads_creating_one_database_make_one_whole_file) {
  for (int round = 0; round < 20; ++round) {
    TempDir dir;
    const std::string path = dir.file("race.db");
    Result<TemplateCreation> a = TemplateCreation{};
    Result<TemplateCreation> b = TemplateCreation{};
    std::thread ta([&] { a = create_sqlite_at_head(path); });
    std::thread tb([&] { b = create_sqlite_at_head(path); });
    ta.join();
    tb.join();
    ASSERT_TRUE(a.is_ok()) << a.error();
    ASSERT_TRUE(b.is_ok()) << b.error();
    EXPECT_EQ(int{a->created} + int{b->created}, 1) << "round " << round;
    auto db = open_ok("sqlite:///" + path);
    ASSERT_NE(db, nullptr);
    EXPECT_TRUE(Migrator(*db).check().is_ok());
  }
}

TEST(SqliteTemplate, in_memory_and_empty_paths_are_left_to_sqlite) {
  for (const char* path : {":memory:", ""}) {
    auto created = create_sqlite_at_head(path);
    ASSERT_TRUE(created.is_ok()) << created.error();
    EXPECT_FALSE(created->created) << path;
  }
}

}  // namespace
}  // namespace chitragupt::storage
