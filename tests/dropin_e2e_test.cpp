// Drop-in for chitragupta users (issue 15), with the real binaries over real HTTP on loopback:
// - the original's three Confluent Cloud configuration files, with the variables of their
//   .env.example, validate and complete a run against ccloud-sim (read from ../shared: they
//   are not ours to redistribute; missing, the test skips loudly, and fails under CI=true);
// - GET /api/v1/readiness has the original's shape; POST .../pipeline/run during a run is 409;
//   a POST without a body (no Content-Length, as `curl -X POST URL` sends it) gets its answer at
//   once, and every refusal carries the JSON error body;
// - --emit-once emits the pending dates, then exits.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "storage/database.hpp"
#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::string kOriginalConfigs =
    std::string(CHITRAGUPT_SOURCE_DIR) + "/../shared/reference/original-configs";

bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

std::map<std::string, std::string> dotenv_of(const std::string& text) {
  std::map<std::string, std::string> vars;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find('=');
    if (eq != std::string::npos) vars[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return vars;
}

std::string scalar(const std::string& db_url, const std::string& sql) {
  auto db = storage::open_database(db_url);
  if (!db) return "error: " + db.error();
  auto rows = (*db)->query(sql);
  if (!rows) return "error: " + rows.error();
  return rows->empty() ? "" : rows->front().get_text(0);
}

// One request written by hand on a raw socket, kept open (so the server cannot take the end of
// the connection for the end of a body); the reply as read within `limit`.
std::string raw_request(int port, const std::string& request, std::chrono::milliseconds limit) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "";
  }
  (void)!write(fd, request.data(), request.size());
  std::string reply;
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    pollfd p{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        end - std::chrono::steady_clock::now());
    if (poll(&p, 1, static_cast<int>(std::max<std::int64_t>(1, left.count()))) <= 0) break;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    reply.append(buf, static_cast<std::size_t>(n));
    auto head_end = reply.find("\r\n\r\n");
    if (head_end == std::string::npos) continue;
    auto cl = reply.find("Content-Length: ");
    if (cl != std::string::npos && cl < head_end) {
      std::size_t length = std::stoul(reply.substr(cl + 16));
      if (reply.size() >= head_end + 4 + length) break;
    }
  }
  close(fd);
  return reply;
}

int status_of(const std::string& reply) {
  if (reply.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::stoi(reply.substr(9, 3));
}

nlohmann::json body_of(const std::string& reply) {
  auto at = reply.find("\r\n\r\n");
  if (at == std::string::npos) return nullptr;
  return nlohmann::json::parse(reply.substr(at + 4), nullptr, false);
}

class OriginalConfigs : public ::testing::TestWithParam<std::string> {};

TEST_P(OriginalConfigs, validate_and_complete_a_run_against_the_simulator) {
  const std::string name = GetParam();
  const std::string yaml_path = kOriginalConfigs + "/" + name + ".yaml";
  if (!fs::exists(yaml_path)) {
    if (running_in_ci())
      FAIL() << "the original's configs must be present under CI=true: " << yaml_path;
    GTEST_SKIP() << "SKIPPED: the original's configuration files are not at " << kOriginalConfigs;
  }
  TempDir dir;
  const std::string env_text = read_file(kOriginalConfigs + "/" + name + ".env.example");
  auto vars = dotenv_of(env_text);
  ASSERT_TRUE(vars.count("CCLOUD_API_KEY") && vars.count("CCLOUD_API_SECRET")) << env_text;
  // The simulator stands in for Confluent Cloud, with the .env.example's credentials.
  SimProcess sim({"--seed", "21", "--days", "12", "--api-key", vars["CCLOUD_API_KEY"],
                  "--api-secret", vars["CCLOUD_API_SECRET"]},
                 dir.path());
  ASSERT_GT(sim.port(), 0) << sim.stderr_text();

  // The file as it is, but for the container's database path (/app/data is the docker
  // volume): mounted here on a temporary directory. The .env.example sits beside it as .env.
  std::string yaml = read_file(yaml_path);
  const std::string container_db = "sqlite:////app/data/chargeback.db";
  const auto at = yaml.find(container_db);
  ASSERT_NE(at, std::string::npos) << "the test assumes the container's database path";
  ASSERT_EQ(yaml.find(container_db, at + 1), std::string::npos);
  const std::string db_url = "sqlite:///" + dir.file("chargeback.db");
  yaml.replace(at, container_db.size(), db_url);
  write_file(dir.file("config.yaml"), yaml);
  write_file(dir.file(".env"), env_text);
  // The files name no base_url: the environment points the default at the simulator.
  setenv("CHITRAGUPT_CCLOUD_BASE_URL", sim.base_url().c_str(), 1);

  auto validated = run_binary({"--config-file", dir.file("config.yaml"), "--validate"});
  EXPECT_EQ(validated.exit_code, 0) << validated.err;
  EXPECT_EQ(validated.out, "Config is valid.\n");

  EngineProcess engine({"--config-file", dir.file("config.yaml"), "--mode", "worker", "--run-once"},
                       dir.path());
  auto code = engine.wait_exit(180s);
  unsetenv("CHITRAGUPT_CCLOUD_BASE_URL");
  ASSERT_EQ(code, std::optional<int>(0)) << engine.stderr_text();
  EXPECT_EQ(scalar(db_url, "SELECT status FROM pipeline_runs ORDER BY id DESC LIMIT 1"),
            "completed")
      << engine.stderr_text();
  EXPECT_GT(std::stoll(scalar(db_url, "SELECT COUNT(*) FROM chargeback_facts")), 0);
  // Every dollar billed is charged to someone: facts and billing agree per date.
  EXPECT_EQ(scalar(db_url,
                   "SELECT COUNT(*) FROM pipeline_state WHERE billing_gathered = 1 AND "
                   "chargeback_calculated = 0"),
            "0");
}

INSTANTIATE_TEST_SUITE_P(ConfluentCloud, OriginalConfigs,
                         ::testing::Values("ccloud-full", "ccloud-grafana", "dev"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (auto& c : n) c = c == '-' ? '_' : c;
                           return n;
                         });

class DropInApi : public ::testing::Test {
 protected:
  TempDir dir_;
  int port_ = free_port();
  std::string db_url_ = "sqlite:///" + dir_.file("acme.db");

  std::string tenant_yaml(const SimProcess& sim, const std::string& extra = "") {
    return "  acme:\n    ecosystem: confluent_cloud\n    tenant_id: acme\n    lookback_days: 6\n"
           "    cutoff_days: 1\n    storage:\n      connection_string: " +
           db_url_ +
           "\n    plugin_settings:\n      ccloud_api:\n        key: sim-key\n        secret: "
           "sim-secret\n        base_url: " +
           sim.base_url() + "\n" + extra;
  }
};

TEST_F(DropInApi, readiness_409_and_bodiless_posts) {
  // Every simulator answer slowed down, so that the run at start-up lasts a few seconds.
  SimProcess sim({"--seed", "22", "--days", "8", "--latency-ms", "60"}, dir_.path());
  ASSERT_GT(sim.port(), 0) << sim.stderr_text();
  write_file(dir_.file("config.yaml"), "api:\n  host: 127.0.0.1\n  port: " + std::to_string(port_) +
                                           "\n  request_timeout_seconds: 20\ntenants:\n" +
                                           tenant_yaml(sim));
  EngineProcess engine({"--config-file", dir_.file("config.yaml"), "--mode", "both"}, dir_.path());
  const std::string run = "/api/v1/tenants/acme/pipeline/run";
  ASSERT_TRUE(eventually(
      [&] {
        auto r = http_get(port_, "/api/v1/readiness").json();
        return r.is_object() && r["tenants"].size() == 1 &&
               r["tenants"][0]["pipeline_running"] == true;
      },
      20s))
      << engine.stderr_text();

  // The run at start-up is in progress: a second one is refused with 409 and our error body,
  // also when asked the way people type it (no body, no Content-Length).
  auto twice = raw_request(port_, "POST " + run + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 5s);
  EXPECT_EQ(status_of(twice), 409) << twice;
  auto refused = body_of(twice);
  EXPECT_EQ(refused["error"]["code"], "already_running") << twice;
  EXPECT_EQ(refused["tenant_name"], "acme");

  // The original's shapes of the routes the HTTP front end answers itself (item 12; the
  // report routes are checked by report/contract_test.cpp on both engines).
  auto health = http_get(port_, "/health").json();
  EXPECT_TRUE(health["status"].is_string() && health["version"].is_string()) << health.dump();
  auto tenants = http_get(port_, "/api/v1/tenants").json();
  ASSERT_EQ(tenants["tenants"].size(), 1u) << tenants.dump();
  const auto& listed = tenants["tenants"][0];
  for (const char* field : {"tenant_name", "tenant_id", "ecosystem", "topic_attribution_status"}) {
    EXPECT_TRUE(listed[field].is_string()) << field << " " << listed.dump();
  }
  for (const char* field : {"dates_pending", "dates_calculated"}) {
    EXPECT_TRUE(listed[field].is_number_integer()) << field << " " << listed.dump();
  }
  EXPECT_TRUE(listed.contains("last_calculated_date") &&
              listed.contains("topic_attribution_error"));

  auto ready = http_get(port_, "/api/v1/readiness").json();
  EXPECT_EQ(ready["mode"], "both");
  EXPECT_TRUE(ready["version"].is_string());
  const auto& t = ready["tenants"][0];
  EXPECT_EQ(t["tenant_name"], "acme");
  EXPECT_EQ(t["tables_ready"], true);
  EXPECT_TRUE(t["pipeline_stage"].is_string()) << t.dump();
  EXPECT_TRUE(t["permanent_failure"].is_null());
  EXPECT_EQ(t["topic_attribution_status"], "disabled");

  ASSERT_TRUE(eventually(
      [&] {
        auto r = http_get(port_, "/api/v1/readiness").json();
        return r.is_object() && r["status"] == "ready" &&
               r["tenants"][0]["pipeline_running"] == false;
      },
      60s))
      << engine.stderr_text();
  ready = http_get(port_, "/api/v1/readiness").json();
  EXPECT_EQ(ready["tenants"][0]["has_data"], true);
  EXPECT_EQ(ready["tenants"][0]["last_run_status"], "completed");
  EXPECT_TRUE(ready["tenants"][0]["last_run_at"].is_string());
  EXPECT_TRUE(ready["tenants"][0]["pipeline_stage"].is_null());

  // No run in progress: the body-less POST starts one at once (not after the read timeout).
  const auto asked = std::chrono::steady_clock::now();
  auto started = raw_request(port_, "POST " + run + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 5s);
  EXPECT_EQ(status_of(started), 202) << started;
  EXPECT_EQ(body_of(started)["status"], "started");
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 5s);
  // Where a body is required, its absence is refused with the JSON error body.
  auto bulk = raw_request(
      port_, "POST /api/v1/tenants/acme/tags/bulk HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 5s);
  EXPECT_GE(status_of(bulk), 400) << bulk;
  EXPECT_LT(status_of(bulk), 500) << bulk;
  EXPECT_TRUE(body_of(bulk)["error"]["code"].is_string()) << bulk;

  engine.signal(SIGTERM);
  EXPECT_EQ(engine.wait_exit(30s), std::optional<int>(0));
}

TEST_F(DropInApi, emit_once_emits_the_pending_dates_then_exits) {
  SimProcess sim({"--seed", "23", "--days", "8"}, dir_.path());
  ASSERT_GT(sim.port(), 0) << sim.stderr_text();
  write_file(dir_.file("run.yaml"), "tenants:\n" + tenant_yaml(sim));
  auto ran =
      run_binary({"--config-file", dir_.file("run.yaml"), "--mode", "worker", "--run-once"}, 120s);
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  const std::string out = dir_.file("csv/nested");  // created by the emitter
  write_file(dir_.file("emit.yaml"),
             "tenants:\n" + tenant_yaml(sim,
                                        "      emitters:\n        - type: csv\n"
                                        "          params: { output_dir: " +
                                            out + " }\n"));
  auto first = run_binary({"--config-file", dir_.file("emit.yaml"), "--emit-once"});
  EXPECT_EQ(first.exit_code, 0) << first.err;
  const std::string dates = scalar(db_url_,
                                   "SELECT COUNT(*) FROM pipeline_state WHERE "
                                   "chargeback_calculated = 1");
  EXPECT_NE(first.out.find("tenant=acme dates_emitted=" + dates + " dates_failed=0"),
            std::string::npos)
      << first.out << first.err;
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(out)) files += entry.is_regular_file();
  EXPECT_EQ(std::to_string(files), dates);
  // Nothing is pending any more; no pipeline ran (the run log is unchanged).
  auto second = run_binary({"--config-file", dir_.file("emit.yaml"), "--emit-once"});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("dates_emitted=0"), std::string::npos) << second.out;
  EXPECT_EQ(scalar(db_url_, "SELECT COUNT(*) FROM pipeline_runs"), "1");
}

// features.max_parallel_tenants bounds the pipeline runs in progress at once, across tenants:
// three tenants whose runs each last seconds (a slowed-down simulator) run one after another
// with a bound of 1, and overlap with a bound of 3 (which shows the check can see an overlap).
class MaxParallelTenants : public ::testing::Test {
 protected:
  // The [started_at, ended_at] of each tenant's one run (UTC text, seconds), sorted by start.
  std::vector<std::pair<std::string, std::string>> runs_with_limit(int limit) {
    TempDir dir;
    SimProcess sim({"--seed", "23", "--days", "6", "--latency-ms", "40"}, dir.path());
    EXPECT_GT(sim.port(), 0) << sim.stderr_text();
    std::string yaml =
        "features:\n  max_parallel_tenants: " + std::to_string(limit) + "\ntenants:\n";
    std::vector<std::string> urls;
    for (const char* name : {"t1", "t2", "t3"}) {
      urls.push_back("sqlite:///" + dir.file(std::string(name) + ".db"));
      yaml += std::string("  ") + name +
              ":\n    ecosystem: confluent_cloud\n    tenant_id: " + name +
              "\n    lookback_days: 4\n    cutoff_days: 1\n    storage:\n"
              "      connection_string: " +
              urls.back() +
              "\n    plugin_settings:\n      ccloud_api:\n        key: sim-key\n"
              "        secret: sim-secret\n        base_url: " +
              sim.base_url() + "\n";
    }
    write_file(dir.file("config.yaml"), yaml);
    EngineProcess engine(
        {"--config-file", dir.file("config.yaml"), "--mode", "worker", "--run-once"}, dir.path());
    auto code = engine.wait_exit(180s);
    EXPECT_EQ(code, std::optional<int>(0)) << engine.stderr_text();
    std::vector<std::pair<std::string, std::string>> runs;
    for (const auto& url : urls) {
      EXPECT_EQ(scalar(url, "SELECT status FROM pipeline_runs"), "completed") << url;
      runs.emplace_back(scalar(url, "SELECT started_at FROM pipeline_runs"),
                        scalar(url, "SELECT ended_at FROM pipeline_runs"));
      // A run that ends in the second it starts cannot show an overlap at this resolution.
      EXPECT_LT(runs.back().first, runs.back().second) << "the run was too short to compare";
    }
    std::sort(runs.begin(), runs.end());
    return runs;
  }
};

TEST_F(MaxParallelTenants, a_bound_of_one_runs_the_tenants_one_after_another) {
  auto runs = runs_with_limit(1);
  ASSERT_EQ(runs.size(), 3u);
  for (std::size_t i = 1; i < runs.size(); ++i) {
    EXPECT_GE(runs[i].first, runs[i - 1].second)
        << "run " << i << " started at " << runs[i].first << " before the run before it ended at "
        << runs[i - 1].second;
  }
}

TEST_F(MaxParallelTenants, a_bound_of_three_lets_the_runs_overlap) {
  auto runs = runs_with_limit(3);
  ASSERT_EQ(runs.size(), 3u);
  bool overlap = false;
  for (std::size_t i = 1; i < runs.size(); ++i) overlap |= runs[i].first < runs[i - 1].second;
  EXPECT_TRUE(overlap) << "three runs at once should overlap";
}

}  // namespace
}  // namespace chitragupt::testing
