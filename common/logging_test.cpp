// logging.per_module_levels and the original's Python format strings take effect (issue 15
// item 7/8): what reaches stderr, captured through a temporary file.

#include "common/logging.hpp"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace chitragupt::logging {
namespace {

// Runs `body` with stderr going to a file; returns what was written.
template <typename F>
std::string captured_stderr(F body) {
  char path[] = "/tmp/chitragupt-logging-test-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  fflush(stderr);
  int saved = dup(2);
  dup2(fd, 2);
  body();
  spdlog::default_logger()->flush();
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  close(fd);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  unlink(path);
  return text.str();
}

TEST(Logging, messages_belong_to_the_module_of_their_event) {
  EXPECT_EQ(module_of("tenant=a event=gather_completed resources=3"), "gather");
  EXPECT_EQ(module_of("tenant=a event=metrics_fetch_failed x=1"), "metrics");
  EXPECT_EQ(module_of("ccloud_request_retry endpoint=/x attempt=2"), "ccloud");
  EXPECT_EQ(module_of("event=migration_started"), "storage");
  EXPECT_EQ(module_of("something else"), "engine");
  EXPECT_EQ(module_for_key("core.engine.orchestrator"), "pipeline");
  EXPECT_EQ(module_for_key("httpx"), "ccloud");
  EXPECT_EQ(module_for_key("storage"), "storage");
  EXPECT_FALSE(module_for_key("no.such.module").has_value());
}

TEST(Logging, a_module_level_filters_that_module_only_up_and_down) {
  auto text = captured_stderr([] {
    setup("WARNING", "text", {{"gather", "ERROR"}, {"storage", "INFO"}});
    spdlog::warn("tenant=a event=gather_listing_failed n=1");  // gather: ERROR -> dropped
    spdlog::error("tenant=a event=gather_backoff n=2");        // kept
    spdlog::info("event=migration_started n=3");               // storage: INFO -> kept
    spdlog::info("event=engine_starting n=4");                 // global WARNING -> dropped
    spdlog::warn("event=engine_stopped n=5");                  // kept
  });
  setup("INFO", "text");
  EXPECT_EQ(text.find("n=1"), std::string::npos) << text;
  EXPECT_NE(text.find("n=2"), std::string::npos) << text;
  EXPECT_NE(text.find("n=3"), std::string::npos) << text;
  EXPECT_EQ(text.find("n=4"), std::string::npos) << text;
  EXPECT_NE(text.find("n=5"), std::string::npos) << text;
}

TEST(Logging, the_original_python_format_string_is_translated) {
  std::vector<std::string> ignored;
  EXPECT_EQ(python_pattern("%(asctime)s - %(name)s - %(levelname)s - %(message)s", &ignored),
            "%Y-%m-%d %H:%M:%S,%e - %# - %* - %v");
  EXPECT_TRUE(ignored.empty());
  EXPECT_EQ(python_pattern("[%(levelname)-8s] %(lineno)d 100%% %(message)s", &ignored),
            "[%*]  100%% %v");
  EXPECT_EQ(ignored, std::vector<std::string>{"%(lineno)"});

  auto text = captured_stderr([] {
    setup("INFO", "text", {}, "%(levelname)s|%(name)s|%(message)s|%(funcName)s");
    spdlog::warn("tenant=a event=gather_backoff n=7");
  });
  setup("INFO", "text");
  EXPECT_NE(text.find("WARNING|chitragupt.gather|tenant=a event=gather_backoff n=7|\n"),
            std::string::npos)
      << text;
  // The fields it cannot fill are named once, at set-up.
  EXPECT_NE(text.find("fields=%(funcName)"), std::string::npos) << text;
}

}  // namespace
}  // namespace chitragupt::logging
