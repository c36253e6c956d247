#include "storage/wal_flusher.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "storage/database.hpp"
#include "storage/test_support.hpp"

namespace chitragupt::storage {
namespace {

using testing::TempDir;

// The helper thread's counts once `done` holds, or after 10 s (the test then fails on them).
template <typename Done>
WalFlusher::Counts counts_when(const WalFlusher& flusher, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  WalFlusher::Counts counts = flusher.counts();
  while (!done(counts) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    counts = flusher.counts();
  }
  return counts;
}

TEST(WalFlusher, syncs_a_live_databases_wal_file_on_request) {
  TempDir dir;
  auto db = open_database(dir.sqlite_url("x.db"));
  ASSERT_TRUE(db) << db.error();
  ASSERT_TRUE((*db)->execute("CREATE TABLE t (x INTEGER)"));
  ASSERT_TRUE((*db)->execute("INSERT INTO t VALUES (1)"));
  const std::string wal = dir.file("x.db") + "-wal";
  ASSERT_TRUE(std::filesystem::exists(wal));

  WalFlusher flusher(wal, "test database");
  EXPECT_EQ(flusher.counts().flushes, 0);  // nothing before a request
  flusher.request();
  auto counts = counts_when(flusher, [](const auto& c) { return c.flushes + c.failures >= 1; });
  EXPECT_EQ(counts.flushes, 1);
  EXPECT_EQ(counts.failures, 0) << counts.last_error;

  // A later commit's request flushes again; finish() carries it out before it returns.
  ASSERT_TRUE((*db)->execute("INSERT INTO t VALUES (2)"));
  flusher.request();
  counts = flusher.finish();
  EXPECT_EQ(counts.flushes, 2);
  EXPECT_EQ(counts.failures, 0) << counts.last_error;
  EXPECT_EQ((*db)->query("SELECT count(*) FROM t")->front().get_int(0), 2);
}

TEST(WalFlusher, a_missing_wal_file_is_counted_as_a_failure_naming_the_cause) {
  TempDir dir;
  WalFlusher flusher(dir.file("absent.db-wal"), "test database");
  flusher.request();
  auto counts = flusher.finish();
  EXPECT_EQ(counts.failures, 1);
  EXPECT_EQ(counts.flushes, 0);
  EXPECT_EQ(counts.last_error, "cannot open the WAL file: No such file or directory");
}

TEST(WalFlusher, finish_without_requests_syncs_nothing_and_ignores_later_requests) {
  TempDir dir;
  WalFlusher flusher(dir.file("absent.db-wal"), "test database");
  auto counts = flusher.finish();
  EXPECT_EQ(counts.flushes + counts.failures, 0);
  flusher.request();  // after finish(): no thread left to carry it out
  counts = flusher.finish();
  EXPECT_EQ(counts.flushes + counts.failures, 0);
}

}  // namespace
}  // namespace chitragupt::storage
