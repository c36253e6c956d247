// ask() from a plain thread keeps no state per request: the thread's actor ends every ask with
// an empty mailbox, also once any timeout it could have scheduled is long due, and the process
// does not grow with the number of asks (issue 14).

#include "http/ask.hpp"

#include <gtest/gtest.h>
#include <caf/all.hpp>

#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

namespace chitragupt::http {
namespace {

caf::behavior echo(caf::event_based_actor*) {
  return {[](int x) { return x + 1; }};
}

// Answers after `delay_ms` milliseconds (holding a scheduler thread meanwhile: fine in a test).
caf::behavior late(caf::event_based_actor*, int delay_ms) {
  return {[=](int x) {
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    return x + 1;
  }};
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

std::size_t resident_bytes() {
  long pages_total = 0, pages_resident = 0;
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  if (std::fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2) pages_resident = 0;
  std::fclose(f);
  return static_cast<std::size_t>(pages_resident) * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

class AskTest : public ::testing::Test {
 protected:
  caf::actor_system_config cfg_;
  caf::actor_system system_{cfg_};
  void TearDown() override { drop_thread_actor(); }
};

TEST_F(AskTest, ten_thousand_asks_leave_the_threads_mailbox_empty_and_memory_flat) {
  auto target = system_.spawn(echo);
  constexpr auto kTimeout = std::chrono::milliseconds(50);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(ask<int>(system_, target, kTimeout, i), i + 1);
  const std::size_t before = resident_bytes();
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(ask<int>(system_, target, kTimeout, i), i + 1);
  // Every timeout an ask could have left behind is due by now.
  std::this_thread::sleep_for(kTimeout * 4);
  EXPECT_EQ(thread_actor_mailbox_size(system_), 0u);
  // One ask more still answers at once, and leaves nothing either.
  EXPECT_EQ(ask<int>(system_, target, kTimeout, 41), 42);
  EXPECT_EQ(thread_actor_mailbox_size(system_), 0u);
  const std::size_t after = resident_bytes();
  // A message kept per ask (~100 bytes each) would be a megabyte here; allocator noise is less.
  // Under AddressSanitizer freed memory stays in its quarantine (RSS grows by design): there
  // the mailbox checks above are the test.
  if (!kAddressSanitizer) {
    EXPECT_LT(after, before + 512 * 1024) << "RSS " << before << " -> " << after;
  }
  caf::anon_send_exit(target, caf::exit_reason::user_shutdown);
}

TEST_F(AskTest, a_reply_later_than_the_timeout_is_not_left_for_the_next_ask) {
  auto slow = system_.spawn(late, 150);
  auto target = system_.spawn(echo);
  EXPECT_EQ(ask<int>(system_, slow, std::chrono::milliseconds(20), 1), std::nullopt);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the late reply is out
  EXPECT_EQ(ask<int>(system_, target, std::chrono::milliseconds(500), 1), 2);
  EXPECT_EQ(thread_actor_mailbox_size(system_), 0u);
  // The slow actor still answers an ask that waits long enough.
  EXPECT_EQ(ask<int>(system_, slow, std::chrono::milliseconds(2000), 5), 6);
  EXPECT_EQ(thread_actor_mailbox_size(system_), 0u);
  caf::anon_send_exit(slow, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(target, caf::exit_reason::user_shutdown);
}

TEST_F(AskTest, an_error_reply_is_nullopt) {
  auto target = system_.spawn(echo);
  EXPECT_EQ(ask<int>(system_, target, std::chrono::milliseconds(500), std::string("no handler")),
            std::nullopt);
  EXPECT_EQ(thread_actor_mailbox_size(system_), 0u);
  caf::anon_send_exit(target, caf::exit_reason::user_shutdown);
}

}  // namespace
}  // namespace chitragupt::http
