// ExportJobs: the focus/exports routes as a tenant actor answers them, on a real SQLite file
// and a real artifact directory: start, list, status with manifest, files streamed in chunks,
// bad requests, retention and a job cut short by a restart.

#include "focus/jobs.hpp"

#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "focus/test_support.hpp"
#include "storage/billing_store.hpp"
#include "storage/chargeback_store.hpp"
#include "storage/migrator.hpp"
#include "storage/test_support.hpp"

namespace chitragupt::focus {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class FocusJobs : public ::testing::Test {
 protected:
  void SetUp() override {
    tenant_.name = "prod";
    tenant_.ecosystem = "confluent_cloud";
    tenant_.tenant_id = "org-1";
    tenant_.storage.connection_string = dir_.sqlite_url("t.db");
    preview_.artifact_root = dir_.file("artifacts");
    preview_.retention_days = 7;
    auto db = storage::open_database(tenant_.storage.connection_string);
    ASSERT_TRUE(db.is_ok());
    storage::Migrator m(**db);
    ASSERT_TRUE(m.upgrade().is_ok());
    storage::BillingStore billing(**db, "confluent_cloud", "org-1");
    std::vector<storage::BillingRecord> lines;
    std::vector<storage::ChargebackFactRecord> facts;
    for (int i = 0; i < 200; ++i) {
      storage::BillingRecord b;
      b.timestamp = "2026-07-01 00:00:00";
      b.env_id = "env-1";
      b.resource_id = "lkc-" + std::to_string(i);
      b.product_category = "KAFKA";
      b.product_type = "KAFKA_STORAGE";
      b.quantity = "3";
      b.unit_price = "1";
      b.total_cost = "3";
      lines.push_back(b);
      storage::ChargebackFactRecord f;
      f.timestamp = b.timestamp;
      f.resource_id = b.resource_id;
      f.product_category = "KAFKA";
      f.product_type = "KAFKA_STORAGE";
      f.env_id = "env-1";
      f.cost_type = "usage";
      f.allocation_method = "usage_ratio";
      for (const char* who : {"sa-1", "sa-2", "sa-3"}) {
        f.identity_id = who;
        f.amount_units = 10000;
        facts.push_back(f);
      }
    }
    ASSERT_TRUE(billing.upsert(lines).is_ok());
    storage::ChargebackStore store(**db, "confluent_cloud", "org-1");
    storage::Transaction tx(**db);
    ASSERT_TRUE(store.replace_date("2026-07-01", facts).is_ok());
    ASSERT_TRUE(tx.commit().is_ok());
  }

  report::Request request(const std::string& method, const std::string& route,
                          std::vector<std::pair<std::string, std::string>> params = {},
                          const std::string& body = "") {
    report::Request r;
    r.method = method;
    r.route = route;
    r.path_params = std::move(params);
    r.body = body;
    return r;
  }

  json finished(ExportJobs& jobs, const std::string& id) {
    json job;
    for (int i = 0; i < 600; ++i) {  // at most 60 s
      auto r = jobs.handle(
          request("GET", "/tenants/{tenant}/focus/exports/{export_id}", {{"export_id", id}}));
      job = json::parse(r.body);
      if (job["status"] != "running") break;
      std::this_thread::sleep_for(100ms);
    }
    return job;
  }

  storage::testing::TempDir dir_;
  config::TenantConfig tenant_;
  config::PreviewConfig preview_;
};

TEST_F(FocusJobs, an_export_runs_in_the_background_and_its_files_stream_in_chunks) {
  ExportJobs jobs(tenant_, preview_);
  jobs.set_chunk_bytes(4096);
  auto started = jobs.handle(
      request("POST", "/tenants/{tenant}/focus/exports", {}, R"({"billing_period":"2026-07"})"));
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string id = json::parse(started.body)["id"];
  EXPECT_EQ(json::parse(started.body)["status"], "running");

  json job = finished(jobs, id);
  ASSERT_EQ(job["status"], "ready") << job.dump(2);
  EXPECT_EQ(job["rows"], 600);
  EXPECT_EQ(job["conforming"], true);
  EXPECT_EQ(job["manifest"]["billed_cost"], "600.0000");

  // The CSV, chunk by chunk through the cursor, equals the file; the manifest's checksum holds.
  std::string body, cursor;
  int chunks = 0;
  do {
    auto r = request("GET", "/tenants/{tenant}/focus/exports/{export_id}/files/{file_name}",
                     {{"export_id", id}, {"file_name", "focus-prod-2026-07.csv"}});
    r.cursor = cursor;
    auto chunk = jobs.handle(r);
    ASSERT_EQ(chunk.status, 200) << chunk.body;
    EXPECT_EQ(chunk.content_type, "text/csv; charset=utf-8");
    EXPECT_LE(chunk.body.size(), 4096u);
    body += chunk.body;
    cursor = chunk.next_cursor.value_or("");
    ++chunks;
  } while (!cursor.empty() && chunks < 10000);
  EXPECT_GT(chunks, 10);
  EXPECT_EQ(body,
            testing::read_file(preview_.artifact_root + "/prod/" + id + "/focus-prod-2026-07.csv"));

  auto list = jobs.handle(request("GET", "/tenants/{tenant}/focus/exports"));
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(json::parse(list.body)["exports"][0]["id"], id);
}

TEST_F(FocusJobs, bad_requests_get_clear_errors_and_no_500) {
  ExportJobs jobs(tenant_, preview_);
  for (const char* body : {"[]", "{}", R"({"billing_period":"2026-13"})",
                           R"({"billing_period":"2026-07","gzip":"yes"})",
                           R"({"billing_period":"2026-07","columns":[]})", "not json"}) {
    auto r = jobs.handle(request("POST", "/tenants/{tenant}/focus/exports", {}, body));
    EXPECT_EQ(r.status, 400) << body << " " << r.body;
    EXPECT_NE(json::parse(r.body)["error"]["message"].get<std::string>().find("invalid parameter"),
              std::string::npos);
  }
  for (const char* id : {"nope", "..", "../prod", "a/b"}) {
    auto r = jobs.handle(
        request("GET", "/tenants/{tenant}/focus/exports/{export_id}", {{"export_id", id}}));
    EXPECT_EQ(r.status, 404) << id;
  }
  auto started = jobs.handle(request("POST", "/tenants/{tenant}/focus/exports", {},
                                     R"({"billing_period":"2026-07","gzip":true})"));
  ASSERT_EQ(started.status, 202);
  const std::string id = json::parse(started.body)["id"];
  ASSERT_EQ(finished(jobs, id)["status"], "ready");
  auto missing =
      jobs.handle(request("GET", "/tenants/{tenant}/focus/exports/{export_id}/files/{file_name}",
                          {{"export_id", id}, {"file_name", "job.json"}}));
  EXPECT_EQ(missing.status, 404);  // only the export's own files are served
  auto gz =
      jobs.handle(request("GET", "/tenants/{tenant}/focus/exports/{export_id}/files/{file_name}",
                          {{"export_id", id}, {"file_name", "focus-prod-2026-07.csv.gz"}}));
  EXPECT_EQ(gz.status, 200);
  EXPECT_EQ(gz.content_type, "application/gzip");
}

TEST_F(FocusJobs, finished_exports_expire_after_the_retention_and_interrupted_ones_fail) {
  {
    ExportJobs jobs(tenant_, preview_);
    auto started = jobs.handle(
        request("POST", "/tenants/{tenant}/focus/exports", {}, R"({"billing_period":"2026-07"})"));
    ASSERT_EQ(started.status, 202);
    const std::string id = json::parse(started.body)["id"];
    ASSERT_EQ(finished(jobs, id)["status"], "ready");
    EXPECT_EQ(jobs.purge_expired(std::chrono::system_clock::now() + 6 * 24h), 0);
    EXPECT_EQ(jobs.purge_expired(std::chrono::system_clock::now() + 8 * 24h), 1);
    EXPECT_FALSE(std::filesystem::exists(preview_.artifact_root + "/prod/" + id));
  }
  // A job.json left "running" by a stopped engine.
  std::filesystem::create_directories(preview_.artifact_root + "/prod/old-job");
  testing::read_file("/dev/null");
  {
    std::ofstream out(preview_.artifact_root + "/prod/old-job/job.json");
    out << R"({"id":"old-job","status":"running","created_at":"2026-07-01 00:00:00"})";
  }
  ExportJobs restarted(tenant_, preview_);
  auto r = restarted.handle(
      request("GET", "/tenants/{tenant}/focus/exports/{export_id}", {{"export_id", "old-job"}}));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["status"], "failed");
  EXPECT_NE(json::parse(r.body)["error"].get<std::string>().find("interrupted"), std::string::npos);
}

}  // namespace
}  // namespace chitragupt::focus
