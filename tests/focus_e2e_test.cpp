// The original's focus-preview.yaml (../shared/reference/original-configs/), pointed at
// ccloud-sim instead of Confluent Cloud, validates with the real binary, gathers and
// calculates a few days, and `chitragupt focus export` writes a conforming FOCUS 1.2 export of
// each month it touched whose BilledCost sums to the billing table exactly.

#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "allocation/money.hpp"
#include "storage/database.hpp"
#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::string kOriginal =
    std::string(CHITRAGUPT_SOURCE_DIR) + "/../shared/reference/original-configs/focus-preview.yaml";

TEST(FocusE2E, the_originals_focus_preview_config_exports_the_simulators_months) {
  if (!std::filesystem::exists(kOriginal)) {
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true") FAIL() << "missing " << kOriginal;
    GTEST_SKIP() << "SKIPPED: " << kOriginal << " is absent (../shared is not beside the repo)";
  }
  TempDir dir;
  SimProcess sim({"--seed", "21", "--preset", "small"}, dir.path());
  ASSERT_NE(sim.port(), 0) << sim.stderr_text();

  // The original file with only what must change to run here: the simulator's address, a
  // database and artifact root in the test's directory, a free port, a short lookback.
  YAML::Node cfg = YAML::LoadFile(kOriginal);
  cfg["features"]["enable_periodic_refresh"] = false;
  cfg["api"]["port"] = free_port();
  cfg["preview"]["artifact_root"] = dir.file("artifacts");
  YAML::Node tenant = cfg["tenants"]["ccloud-prod"];
  ASSERT_TRUE(tenant.IsMap());
  tenant["lookback_days"] = 4;
  tenant["cutoff_days"] = 1;
  tenant["storage"]["connection_string"] = "sqlite:///" + dir.file("tenant.db");
  tenant["plugin_settings"]["ccloud_api"]["base_url"] = sim.base_url();
  tenant["plugin_settings"]["metrics"]["url"] = sim.base_url();
  tenant["plugin_settings"]["metrics"]["auth_type"] = "basic";
  tenant["plugin_settings"]["metrics"]["username"] = "${CCLOUD_API_KEY}";
  tenant["plugin_settings"]["metrics"]["password"] = "${CCLOUD_API_SECRET}";
  YAML::Emitter emitter;
  emitter << cfg;
  const std::string config = dir.file("focus-preview.yaml");
  write_file(config, emitter.c_str());
  write_file(dir.file(".env"),
             "CCLOUD_TENANT_ID=org-sim\nCCLOUD_API_KEY=sim-key\nCCLOUD_API_SECRET=sim-secret\n");

  auto valid = run_binary({"--config-file", config, "--validate"});
  ASSERT_EQ(valid.exit_code, 0) << valid.err;

  EngineProcess engine({"--config-file", config, "--mode", "worker", "--run-once"}, dir.path());
  ASSERT_EQ(engine.wait_exit(240s).value_or(-1), 0) << engine.stderr_text();

  auto db = storage::open_database("sqlite:///" + dir.file("tenant.db"));
  ASSERT_TRUE(db.is_ok()) << db.error();
  auto months =
      (*db)->query("SELECT DISTINCT substr(timestamp, 1, 7) FROM ccloud_billing ORDER BY 1");
  ASSERT_TRUE(months.is_ok());
  ASSERT_FALSE(months->empty());
  for (const auto& m : *months) {
    const std::string month = m.get_text(0);
    auto out = run_binary({"focus", "export", "--config-file", config, "--tenant", "ccloud-prod",
                           "--billing-period", month});
    ASSERT_EQ(out.exit_code, 0) << out.out << out.err;
    const std::string export_dir = dir.file("artifacts/ccloud-prod/cli-" + month);
    json manifest = json::parse(read_file(export_dir + "/manifest.json"));
    EXPECT_EQ(manifest["conformance"]["conforming"], true) << manifest.dump(2);
    EXPECT_GT(manifest["rows"].get<int>(), 0);

    // Σ of the month's billed amounts (from 2026-01-01, the config's effective start).
    auto lines = (*db)->query(
        "SELECT total_cost FROM ccloud_billing WHERE substr(timestamp, 1, 7) = ? AND "
        "timestamp >= '2026-01-01'",
        {month});
    ASSERT_TRUE(lines.is_ok());
    allocation::Money billed;
    for (const auto& l : *lines) billed += *allocation::Money::parse(l.get_text(0));
    EXPECT_EQ(manifest["billed_cost"], billed.to_string()) << month;
    EXPECT_EQ(manifest["billing_lines"], static_cast<int>(lines->size()));
    json metadata = json::parse(read_file(export_dir + "/metadata.json"));
    EXPECT_EQ(metadata["x_Conformance"]["Conforming"], true);
    EXPECT_NE(out.out.find("checked rules hold"), std::string::npos) << out.out;
  }

  // The same export through the API: a background job of the tenant, its files streamed.
  const int port = cfg["api"]["port"].as<int>();
  EngineProcess api({"--config-file", config, "--mode", "api"}, dir.path());
  ASSERT_TRUE(eventually([&] { return http_get(port, "/ready").status == 200; }, 30s))
      << api.stderr_text();
  const std::string month = months->back().get_text(0);
  auto bad_post = http_send(port, "POST", "/api/v1/tenants/ccloud-prod/focus/exports",
                            R"({"billing_period":"July"})");
  EXPECT_EQ(bad_post.status, 400) << bad_post.body;
  auto started = http_send(port, "POST", "/api/v1/tenants/ccloud-prod/focus/exports",
                           R"({"billing_period":")" + month + R"("})");
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string id = started.json()["id"];
  json job;
  ASSERT_TRUE(eventually(
      [&] {
        auto r = http_get(port, "/api/v1/tenants/ccloud-prod/focus/exports/" + id);
        job = r.json();
        return r.status == 200 && job["status"] != "running";
      },
      60s));
  ASSERT_EQ(job["status"], "ready") << job.dump(2);
  EXPECT_EQ(job["manifest"]["conformance"]["conforming"], true);
  const std::string csv_name = "focus-ccloud-prod-" + month + ".csv";
  auto csv =
      http_get(port, "/api/v1/tenants/ccloud-prod/focus/exports/" + id + "/files/" + csv_name);
  ASSERT_EQ(csv.status, 200);
  // Byte for byte the CLI's export of the same database.
  EXPECT_EQ(csv.body, read_file(dir.file("artifacts/ccloud-prod/cli-" + month + "/" + csv_name)));
  EXPECT_EQ(job["files"][0]["size_bytes"].get<std::size_t>(), csv.body.size());
  auto list = http_get(port, "/api/v1/tenants/ccloud-prod/focus/exports");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["exports"][0]["id"], id);
  EXPECT_EQ(http_get(port, "/api/v1/tenants/ccloud-prod/focus/exports/nope").status, 404);
  api.signal(SIGTERM);
  EXPECT_EQ(api.wait_exit(30s), std::optional<int>(0));

  // Usage errors exit 2 and name the problem.
  auto bad = run_binary({"focus", "export", "--config-file", config, "--tenant", "ccloud-prod",
                         "--billing-period", "2026-13"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("YYYY-MM"), std::string::npos) << bad.err;
  auto unknown = run_binary({"focus", "export", "--config-file", config, "--tenant", "nobody",
                             "--billing-period", "2026-07"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("unknown tenant 'nobody'"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace chitragupt::testing
