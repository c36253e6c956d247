// The migrator's job: new SQLite tenant databases are copies of the schema template (one
// migration run per process, not per tenant); existing ones are upgraded as before.

#include "actors/migrator.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "storage/database.hpp"
#include "storage/embedded_migrations.hpp"
#include "storage/migrator.hpp"
#include "storage/test_support.hpp"

namespace chitragupt::actors {
namespace {

using storage::testing::TempDir;

std::string applied_at(const std::string& url) {
  auto db = storage::open_database(url);
  EXPECT_TRUE(db.is_ok()) << db.error();
  if (!db) return "";
  auto rows = (*db)->query("SELECT DISTINCT applied_at FROM schema_migrations");
  EXPECT_TRUE(rows.is_ok()) << rows.error();
  EXPECT_EQ(rows ? rows->size() : 0U, 1U);
  return rows && !rows->empty() ? rows->front().get_text(0) : "";
}

TEST(MigrateTenantDatabase, new_sqlite_tenants_are_copies_of_one_schema_built_once) {
  TempDir dir;
  auto first = migrate_tenant_database("a", dir.sqlite_url("a.db"), StopToken{});
  ASSERT_TRUE(first.ok) << first.error;
  // Past the timestamps' one-second resolution: a migration run now would record another time.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto second = migrate_tenant_database("b", dir.sqlite_url("b.db"), StopToken{});
  ASSERT_TRUE(second.ok) << second.error;
  for (const auto* out : {&first, &second}) {
    EXPECT_EQ(out->from_version, 0);
    EXPECT_EQ(out->schema_version, storage::head_version());
    EXPECT_EQ(out->applied, storage::testing::all_versions());
    EXPECT_TRUE(out->backup_path.empty());
  }
  const std::string at_a = applied_at(dir.sqlite_url("a.db"));
  EXPECT_FALSE(at_a.empty());
  EXPECT_EQ(applied_at(dir.sqlite_url("b.db")), at_a) << "b.db was migrated, not copied";

  // Started again: the database is there, at head, and nothing is applied.
  auto again = migrate_tenant_database("a", dir.sqlite_url("a.db"), StopToken{});
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_EQ(again.from_version, storage::head_version());
  EXPECT_EQ(again.schema_version, storage::head_version());
  EXPECT_TRUE(again.applied.empty());
}

TEST(MigrateTenantDatabase, an_older_sqlite_database_is_upgraded_in_place) {
  TempDir dir;
  const std::string url = dir.sqlite_url("old.db");
  {
    auto db = storage::open_database(url);
    ASSERT_TRUE(db.is_ok()) << db.error();
    ASSERT_TRUE(storage::Migrator(**db).upgrade(1).is_ok());
  }
  auto out = migrate_tenant_database("old", url, StopToken{});
  ASSERT_TRUE(out.ok) << out.error;
  EXPECT_EQ(out.from_version, 1);
  EXPECT_EQ(out.schema_version, storage::head_version());
  std::vector<int> rest = storage::testing::all_versions();
  rest.erase(rest.begin());
  EXPECT_EQ(out.applied, rest);
}

TEST(MigrateTenantDatabase, a_database_that_cannot_be_created_fails_with_its_name) {
  TempDir dir;
  { std::ofstream(dir.file("plain-file")) << "not a directory"; }
  auto out = migrate_tenant_database("x", dir.sqlite_url("plain-file/x.db"), StopToken{});
  EXPECT_FALSE(out.ok);
  EXPECT_NE(out.error.find("plain-file"), std::string::npos) << out.error;
}

}  // namespace
}  // namespace chitragupt::actors
