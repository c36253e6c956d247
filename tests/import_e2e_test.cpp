// `chitragupt import chitragupta` with the real binary: a SIGKILL in the middle of the import
// leaves the target unchanged and a re-run succeeds; the imported tenant then answers the
// report API over real HTTP on 127.0.0.1 with the totals computed from the fixture itself;
// usage errors, refusals and exit codes; the password of --from is never printed.

#include <signal.h>
#include <stdlib.h>

#include <chrono>

#include <gtest/gtest.h>

#include "importer/fixture.hpp"
#include "storage/database.hpp"
#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using namespace std::chrono_literals;

std::int64_t scalar(const std::string& url, const std::string& sql) {
  auto db = storage::open_database(url);
  EXPECT_TRUE(db.is_ok()) << db.error();
  if (!db) return -1;
  auto rows = (*db)->query(sql);
  EXPECT_TRUE(rows.is_ok()) << rows.error();
  return rows && !rows->empty() ? rows->front().get_int(0) : -1;
}

class ImportE2E : public ::testing::Test {
 protected:
  TempDir dir_;
  int port_ = free_port();
  std::string config_ = dir_.file("config.yaml");
  std::string source_ = "sqlite:///" + dir_.file("chargeback.db");
  std::string target_ = "sqlite:///" + dir_.file("chitragupt.db");
  importer::fixture::Options options_;
  importer::fixture::Expected expected_;

  void SetUp() override {
    options_.days = 40;
    auto db = storage::open_database(source_);
    ASSERT_TRUE(db.is_ok()) << db.error();
    auto e = importer::fixture::build(**db, options_);
    ASSERT_TRUE(e.is_ok()) << e.error();
    expected_ = *e;
    // The tenant as the original's config names it; the pipeline never runs here (api mode).
    write_file(config_,
               "features:\n  enable_periodic_refresh: false\n"
               "api:\n  host: 127.0.0.1\n  port: " +
                   std::to_string(port_) +
                   "\ntenants:\n  acme:\n    ecosystem: confluent_cloud\n"
                   "    tenant_id: acme-prod\n    storage:\n      connection_string: " +
                   target_ +
                   "\n    plugin_settings:\n      ccloud_api:\n        key: k\n"
                   "        secret: s\n        base_url: http://127.0.0.1:9\n");
  }

  std::vector<std::string> import_args() const {
    return {"import",        "chitragupta", "--from",   source_,
            "--config-file", config_,       "--tenant", "acme"};
  }
};

TEST_F(ImportE2E, KilledMidImportLeavesTheTargetUnchangedAndARerunSucceeds) {
  ::setenv("CHITRAGUPT_TEST_IMPORT_STALL_AFTER", "chargebacks", 1);
  EngineProcess killed(import_args(), dir_.path(), CHITRAGUPT_BINARY, "import-killed");
  ::unsetenv("CHITRAGUPT_TEST_IMPORT_STALL_AFTER");
  ASSERT_TRUE(eventually(
      [&] {
        return killed.stderr_text().find("test stall after chargebacks") != std::string::npos;
      },
      60s))
      << killed.stderr_text();
  killed.signal(SIGKILL);
  ASSERT_TRUE(killed.wait_exit(10s).has_value());
  // Billing and chargebacks had been written inside the transaction: none of it is there.
  for (const char* table : {"resources", "tags", "ccloud_billing", "chargeback_facts",
                            "chargeback_dimensions", "pipeline_state"}) {
    EXPECT_EQ(scalar(target_, std::string("SELECT count(*) FROM ") + table), 0) << table;
  }
  auto rerun = run_binary(import_args(), 120s);
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err << rerun.out;
  EXPECT_NE(rerun.out.find("imported everything"), std::string::npos) << rerun.out;
  EXPECT_EQ(scalar(target_, "SELECT count(*) FROM chargeback_facts"),
            expected_.facts - expected_.merged_facts);
  // And once more: nothing changes, exit 0.
  auto again = run_binary(import_args(), 120s);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(scalar(target_, "SELECT count(*) FROM chargeback_facts"),
            expected_.facts - expected_.merged_facts);
}

TEST_F(ImportE2E, TheImportedTenantAnswersTheReportApiWithTheFixturesTotals) {
  auto dry = run_binary(
      [&] {
        auto a = import_args();
        a.push_back("--dry-run");
        return a;
      }(),
      120s);
  EXPECT_EQ(dry.exit_code, 0) << dry.err << dry.out;
  EXPECT_NE(dry.out.find("Dry run"), std::string::npos);
  auto done = run_binary(import_args(), 120s);
  ASSERT_EQ(done.exit_code, 0) << done.err << done.out;
  EXPECT_NE(done.out.find("chargeback_facts"), std::string::npos);

  EngineProcess engine({"--config-file", config_, "--mode", "api"}, dir_.path());
  ASSERT_TRUE(eventually([&] { return http_get(port_, "/ready").status == 200; }, 30s))
      << engine.stderr_text();
  // Totals from the fixture itself: each date's exact sum, rounded to 0.0001.
  std::int64_t units = 0;
  std::string last;
  for (const auto& [date, exact] : expected_.charged) {
    units += exact.to_money()->units();
    last = date;
  }
  auto reply = http_get(
      port_, "/api/v1/tenants/acme/chargebacks/aggregate?start_date=" + options_.first_date +
                 "&end_date=" + last + "&time_bucket=month");
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto body = reply.json();
  EXPECT_EQ(body["total_amount"], allocation::Money::from_units(units).to_string()) << reply.body;
  EXPECT_EQ(body["total_rows"], expected_.facts - expected_.merged_facts);
  // One day, bucket by bucket.
  const std::string day = options_.first_date;
  auto one = http_get(
      port_, "/api/v1/tenants/acme/chargebacks/aggregate?start_date=" + day + "&end_date=" + day);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.json()["total_amount"], expected_.charged.at(day).to_money()->to_string());
  // The hand-entered tags came along and label the chargebacks (resource tags win).
  auto tags = http_get(port_, "/api/v1/tenants/acme/tags?page_size=100");
  ASSERT_EQ(tags.status, 200) << tags.body;
  EXPECT_EQ(tags.json()["total"], expected_.tags);
  auto by_team = http_get(port_, "/api/v1/tenants/acme/chargebacks/aggregate?start_date=" + day +
                                     "&end_date=" + day + "&group_by=tag:team");
  ASSERT_EQ(by_team.status, 200) << by_team.body;
  const auto team = by_team.json();
  std::string payments;
  for (const auto& b : team["buckets"]) {
    if (b["dimensions"]["tag:team"] == "payments") payments = b["total_amount"];
  }
  // Every row on the cluster tagged team=payments, whatever its identity's own team tag.
  const std::int64_t on_cluster =
      scalar(target_,
             "SELECT SUM(f.amount) FROM chargeback_facts f JOIN chargeback_dimensions d ON "
             "d.dimension_id = f.dimension_id WHERE d.resource_id = 'lkc-0' AND f.timestamp = '" +
                 day + " 00:00:00'");
  EXPECT_EQ(payments, allocation::Money::from_units(on_cluster).to_string()) << by_team.body;
  engine.signal(SIGTERM);
  EXPECT_TRUE(engine.wait_exit(30s).has_value());
}

TEST_F(ImportE2E, UsageErrorsRefusalsAndNoPasswordInAnyMessage) {
  auto usage = run_binary({"import", "chitragupta", "--config-file", config_, "--tenant", "acme"});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_NE(usage.err.find("--from"), std::string::npos) << usage.err;
  auto unknown = run_binary(
      {"import", "somethingelse", "--from", source_, "--config-file", config_, "--tenant", "acme"});
  EXPECT_EQ(unknown.exit_code, 2);
  auto tenant = run_binary(
      {"import", "chitragupta", "--from", source_, "--config-file", config_, "--tenant", "nope"});
  EXPECT_EQ(tenant.exit_code, 1);
  EXPECT_NE(tenant.err.find("unknown tenant 'nope'"), std::string::npos) << tenant.err;
  auto secret = run_binary({"import", "chitragupta", "--from",
                            "postgresql://importer:S3cretPassw0rd@127.0.0.1:1/chargeback",
                            "--config-file", config_, "--tenant", "acme"});
  EXPECT_EQ(secret.exit_code, 1);
  EXPECT_FALSE(secret.err.empty());
  EXPECT_EQ(secret.err.find("S3cretPassw0rd"), std::string::npos) << secret.err;
  EXPECT_EQ(secret.out.find("S3cretPassw0rd"), std::string::npos) << secret.out;
  // A fact that cannot be imported: the rest is imported, the report lists it, exit 1.
  {
    auto db = storage::open_database(source_);
    ASSERT_TRUE((*db)
                    ->execute("UPDATE chargeback_facts SET amount = 'n/a' WHERE dimension_id = 1 "
                              "AND timestamp = '2026-01-03 00:00:00'")
                    .is_ok());
  }
  auto lost = run_binary(import_args(), 120s);
  EXPECT_EQ(lost.exit_code, 1) << lost.err;
  EXPECT_NE(lost.out.find("NOT everything"), std::string::npos) << lost.out;
  EXPECT_NE(lost.out.find("'n/a'"), std::string::npos) << lost.out;
  // A source at another revision: exit 1, nothing written, the revision and the way forward.
  {
    auto db = storage::open_database(source_);
    ASSERT_TRUE((*db)->execute("UPDATE alembic_version SET version_num = '029'").is_ok());
  }
  auto old = run_binary(import_args());
  EXPECT_EQ(old.exit_code, 1);
  EXPECT_NE(old.err.find("'029'"), std::string::npos) << old.err;
  EXPECT_NE(old.err.find("v2.2"), std::string::npos) << old.err;
}

}  // namespace
}  // namespace chitragupt::testing
