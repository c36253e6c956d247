// The README's demo on the shipped config: config/example.yaml against the simulator, one run,
// then `chitragupt summary` — every tenant balanced to the cent, top identities listed, no
// connection string printed. (scripts/run-example.sh does the same with --mode both and leaves
// the API running; this is its first half, bounded.)

#include <stdlib.h>

#include <chrono>
#include <regex>

#include <gtest/gtest.h>

#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;

// The shipped config with its SQLite files moved into `dir`.
std::string demo_config(const TempDir& dir) {
  std::string text = read_file(std::string(CHITRAGUPT_SOURCE_DIR) + "/config/example.yaml");
  text = std::regex_replace(text, std::regex("sqlite:///data/"), "sqlite:///" + dir.path() + "/");
  std::string path = dir.file("example.yaml");
  write_file(path, text);
  return path;
}

TEST(DemoE2E, shipped_config_runs_and_the_summary_balances_every_tenant) {
  TempDir dir;
  SimProcess sim({"--seed", "42", "--preset", "small"}, dir.path());
  ASSERT_NE(sim.port(), 0) << sim.stderr_text();
  // The config reads the simulator's address from these, with the demo's port as default.
  ::setenv("CCLOUD_BASE_URL", sim.base_url().c_str(), 1);
  ::setenv("METRICS_URL", sim.base_url().c_str(), 1);
  const std::string config = demo_config(dir);

  auto validate = run_binary({"--config-file", config, "--validate"});
  ASSERT_EQ(validate.exit_code, 0) << validate.out << validate.err;

  EngineProcess engine({"--config-file", config, "--mode", "worker", "--run-once"}, dir.path());
  auto code = engine.wait_exit(600s);
  ASSERT_EQ(code.value_or(-1), 0) << engine.stderr_text();

  auto summary = run_binary({"summary", "--config-file", config, "--top", "3"});
  ::unsetenv("CCLOUD_BASE_URL");
  ::unsetenv("METRICS_URL");
  ASSERT_EQ(summary.exit_code, 0) << summary.out << summary.err;
  for (const char* tenant : {"example-prod (confluent_cloud)", "example-dev (confluent_cloud)"}) {
    EXPECT_NE(summary.out.find(tenant), std::string::npos) << summary.out;
  }
  // Both tenants: balanced, with a ranked top 3 that costs something.
  std::regex balanced(R"(total allocated +[0-9,]+\.[0-9]{4}  = billed, to the cent)");
  auto n_balanced =
      std::distance(std::sregex_iterator(summary.out.begin(), summary.out.end(), balanced),
                    std::sregex_iterator());
  EXPECT_EQ(n_balanced, 2) << summary.out;
  std::regex third(R"(\n +3\. \S.* +[0-9,]+\.[0-9]{4}\n)");
  EXPECT_TRUE(std::regex_search(summary.out, third)) << summary.out;
  EXPECT_FALSE(std::regex_search(summary.out, std::regex(R"( 0\.0000  = billed)")))
      << "a tenant allocated nothing for the month:\n"
      << summary.out;
  EXPECT_EQ(summary.out.find(dir.path()), std::string::npos) << "a connection string leaked";
}

}  // namespace
}  // namespace chitragupt::testing
