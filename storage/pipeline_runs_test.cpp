#include "storage/pipeline_runs.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include "storage/engine_test_fixture.hpp"
#include "storage/migrator.hpp"

namespace chitragupt::storage {
namespace {

class PipelineRunsTest : public testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (not_runnable()) return;
    db_ = open("runs");
    ASSERT_TRUE(db_);
    auto report = Migrator(*db_).upgrade();
    ASSERT_TRUE(report) << report.error();
  }

  std::unique_ptr<Database> db_;
};
CHITRAGUPT_ON_BOTH_ENGINES(PipelineRunsTest);

TEST_P(PipelineRunsTest, start_records_a_running_run_with_its_trigger_and_utc_start) {
  PipelineRunStore store(*db_);
  auto id = store.start("prod", "run_once");
  ASSERT_TRUE(id) << id.error();
  EXPECT_GT(*id, 0);
  auto last = store.last("prod");
  ASSERT_TRUE(last) << last.error();
  ASSERT_TRUE(last->has_value());
  const PipelineRun& run = **last;
  EXPECT_EQ(run.id, *id);
  EXPECT_EQ(run.tenant_name, "prod");
  EXPECT_EQ(run.status, "running");
  EXPECT_EQ(run.trigger, "run_once");
  EXPECT_EQ(run.stage, "");
  EXPECT_EQ(run.ended_at, "");
  ASSERT_EQ(run.started_at.size(), 19u);
  EXPECT_EQ(run.started_at[4], '-');
  EXPECT_EQ(run.started_at[10], ' ');
  EXPECT_EQ(run.started_at[13], ':');
}

// Scale-out: each run names the one process that ran it, "<host name>:<process id>".
TEST_P(PipelineRunsTest, start_records_this_process_as_the_runner) {
  char host[256] = {};
  ASSERT_EQ(::gethostname(host, sizeof host - 1), 0);
  const std::string expected = std::string(host) + ":" + std::to_string(::getpid());
  EXPECT_EQ(runner_name(), expected);
  PipelineRunStore store(*db_);
  ASSERT_TRUE(store.start("prod", "periodic"));
  auto last = store.last("prod");
  ASSERT_TRUE(last && last->has_value());
  EXPECT_EQ((**last).runner, expected);
  auto rows = db_->query("SELECT runner FROM pipeline_runs");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].get_text(0), expected);
}

TEST_P(PipelineRunsTest, an_unknown_trigger_is_rejected_by_the_schema) {
  EXPECT_FALSE(PipelineRunStore(*db_).start("prod", "whenever"));
}

TEST_P(PipelineRunsTest, set_stage_and_finish_record_stage_counts_and_end) {
  PipelineRunStore store(*db_);
  auto id = store.start("prod", "periodic");
  ASSERT_TRUE(id);
  ASSERT_TRUE(store.set_stage(*id, "gathering"));
  ASSERT_TRUE(store.set_stage(*id, "calculating"));
  EXPECT_EQ((*store.last("prod"))->stage, "calculating");
  ASSERT_TRUE(store.finish(*id, "completed", RunCounts{3, 2, 12345}));
  const PipelineRun run = **store.last("prod");
  EXPECT_EQ(run.status, "completed");
  EXPECT_EQ(run.dates_gathered, 3);
  EXPECT_EQ(run.dates_calculated, 2);
  EXPECT_EQ(run.rows_written, 12345);
  EXPECT_EQ(run.error_message, "");
  EXPECT_EQ(run.ended_at.size(), 19u);
  EXPECT_GE(run.ended_at, run.started_at);
}

TEST_P(PipelineRunsTest, the_current_date_is_kept_while_running_and_cleared_at_the_end) {
  PipelineRunStore store(*db_);
  auto id = store.start("prod", "periodic");
  ASSERT_TRUE(id);
  EXPECT_EQ((*store.last("prod"))->current_date, "");
  ASSERT_TRUE(store.set_current_date(*id, "2026-02-01"));
  ASSERT_TRUE(store.set_current_date(*id, "2026-02-02"));
  EXPECT_EQ((*store.last("prod"))->current_date, "2026-02-02");
  EXPECT_FALSE(store.set_current_date(*id + 100, "2026-02-02"));
  ASSERT_TRUE(store.finish(*id, "completed", RunCounts{}));
  EXPECT_EQ((*store.last("prod"))->current_date, "");
}

TEST_P(PipelineRunsTest, finish_keeps_at_most_2000_characters_of_the_error) {
  PipelineRunStore store(*db_);
  auto id = store.start("prod", "manual");
  ASSERT_TRUE(id);
  std::string error;
  for (int i = 0; i < 2500; ++i) error += "é";  // 2 bytes each
  ASSERT_TRUE(store.finish(*id, "failed", {}, error));
  const PipelineRun run = **store.last("prod");
  EXPECT_EQ(run.status, "failed");
  EXPECT_EQ(run.error_message.size(), 4000u);  // 2000 whole characters
  EXPECT_EQ(run.error_message, error.substr(0, 4000));
}

TEST_P(PipelineRunsTest, finish_accepts_only_final_statuses_and_existing_runs) {
  PipelineRunStore store(*db_);
  auto id = store.start("prod", "periodic");
  ASSERT_TRUE(id);
  EXPECT_FALSE(store.finish(*id, "running", {}));
  EXPECT_FALSE(store.finish(*id, "done", {}));
  EXPECT_TRUE(store.finish(*id, "interrupted", {}));
  EXPECT_FALSE(store.finish(*id + 100, "completed", {}));
  EXPECT_FALSE(store.set_stage(*id + 100, "emitting"));
}

TEST_P(PipelineRunsTest, fail_orphaned_fails_only_the_running_runs_of_that_tenant) {
  PipelineRunStore store(*db_);
  auto done = store.start("prod", "periodic");
  ASSERT_TRUE(done && store.finish(*done, "completed", {}));
  auto orphan1 = store.start("prod", "periodic");
  auto orphan2 = store.start("prod", "manual");
  auto other = store.start("staging", "periodic");
  ASSERT_TRUE(orphan1 && orphan2 && other);

  auto n = store.fail_orphaned("prod");
  ASSERT_TRUE(n) << n.error();
  EXPECT_EQ(*n, 2);
  auto rows =
      db_->query("SELECT id, status, error_message, ended_at FROM pipeline_runs ORDER BY id");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0].get_text(1), "completed");
  EXPECT_TRUE((*rows)[0].is_null(2));
  for (int i : {1, 2}) {
    EXPECT_EQ((*rows)[i].get_text(1), "failed");
    EXPECT_EQ((*rows)[i].get_text(2), "Orphaned — process restarted before completion");
    EXPECT_FALSE((*rows)[i].is_null(3));
  }
  EXPECT_EQ((*rows)[3].get_text(1), "running");
  EXPECT_EQ(*store.fail_orphaned("prod"), 0);
}

TEST_P(PipelineRunsTest, last_is_the_newest_run_of_the_tenant_or_nothing) {
  PipelineRunStore store(*db_);
  auto none = store.last("prod");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  auto first = store.start("prod", "periodic");
  auto second = store.start("prod", "manual");
  ASSERT_TRUE(store.start("staging", "periodic"));
  ASSERT_TRUE(first && second);
  EXPECT_EQ((*store.last("prod"))->id, *second);
}

TEST_P(PipelineRunsTest, read_tenant_progress_counts_pending_and_calculated_dates) {
  auto add = [&](const std::string& eco, const std::string& tenant, const std::string& date,
                 int gathered, int calculated) {
    ASSERT_TRUE(db_->execute(
        "INSERT INTO pipeline_state (ecosystem, tenant_id, tracking_date, billing_gathered, "
        "chargeback_calculated) VALUES (?, ?, ?, ?, ?)",
        {eco, tenant, date, std::int64_t{gathered}, std::int64_t{calculated}}));
  };
  add("confluent_cloud", "t1", "2024-05-01", 1, 1);
  add("confluent_cloud", "t1", "2024-05-03", 1, 1);
  add("confluent_cloud", "t1", "2024-05-02", 1, 1);
  add("confluent_cloud", "t1", "2024-05-04", 1, 0);
  add("confluent_cloud", "t1", "2024-05-05", 1, 0);
  add("confluent_cloud", "t1", "2024-05-06", 0, 0);
  add("confluent_cloud", "t2", "2024-06-01", 1, 1);
  add("self_managed_kafka", "t1", "2024-06-02", 1, 1);

  auto p = read_tenant_progress(*db_, "confluent_cloud", "t1");
  ASSERT_TRUE(p) << p.error();
  EXPECT_EQ(p->dates_pending, 2);
  EXPECT_EQ(p->dates_calculated, 3);
  EXPECT_EQ(p->last_calculated_date, "2024-05-03");

  auto empty = read_tenant_progress(*db_, "confluent_cloud", "nobody");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->dates_pending, 0);
  EXPECT_EQ(empty->dates_calculated, 0);
  EXPECT_EQ(empty->last_calculated_date, "");
}

}  // namespace
}  // namespace chitragupt::storage
