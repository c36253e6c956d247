#include "common/stop_token.hpp"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace chitragupt {
namespace {

using namespace std::chrono_literals;

TEST(StopToken, default_token_never_stops_and_waits_the_whole_time) {
  StopToken token;
  EXPECT_FALSE(token.stop_possible());
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(token.wait_for(30ms));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
}

TEST(StopToken, a_stop_wakes_a_long_wait_at_once) {
  StopSource source;
  auto token = source.token();
  std::thread stopper([&] {
    std::this_thread::sleep_for(50ms);
    source.request_stop("shutdown");
  });
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(token.wait_for(60s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  stopper.join();
  EXPECT_TRUE(token.stop_requested());
  EXPECT_EQ(token.reason(), "shutdown");
}

TEST(StopToken, first_reason_is_kept) {
  StopSource source;
  source.request_stop("timeout");
  source.request_stop("shutdown");
  EXPECT_EQ(source.token().reason(), "timeout");
}

TEST(StopToken, child_stops_with_its_parent_and_not_the_other_way_round) {
  StopSource process;
  StopSource tenant(process.token());
  StopSource run(tenant.token());
  StopSource other_run(tenant.token());
  run.request_stop("timed out");
  EXPECT_TRUE(run.stop_requested());
  EXPECT_FALSE(other_run.stop_requested());
  EXPECT_FALSE(tenant.stop_requested());
  process.request_stop("SIGTERM");
  EXPECT_TRUE(tenant.stop_requested());
  EXPECT_TRUE(other_run.stop_requested());
  EXPECT_EQ(other_run.token().reason(), "SIGTERM");
  EXPECT_EQ(run.token().reason(), "timed out");
}

TEST(StopToken, child_of_a_stopped_parent_starts_stopped) {
  StopSource process;
  process.request_stop("SIGTERM");
  StopSource run(process.token());
  EXPECT_TRUE(run.stop_requested());
  EXPECT_EQ(run.token().reason(), "SIGTERM");
}

TEST(StopToken, callbacks_run_once_and_not_after_unregistering) {
  StopSource source;
  std::atomic<int> calls{0}, late{0};
  StopCallback kept(source.token(), [&] { calls++; });
  {
    StopCallback gone(source.token(), [&] { late++; });
  }
  source.request_stop();
  source.request_stop();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(late.load(), 0);
  StopCallback after(source.token(), [&] { calls++; });  // already stopped: runs at once
  EXPECT_EQ(calls.load(), 2);
}

TEST(StopToken, children_destroyed_before_the_parent_leave_nothing_behind) {
  StopSource process;
  for (int i = 0; i < 1000; ++i) StopSource run(process.token());
  process.request_stop();  // no relay to a dead child runs
  SUCCEED();
}

}  // namespace
}  // namespace chitragupt
