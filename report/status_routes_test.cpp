// status, billing and pipeline/status on both engines.

#include "report/report_test_fixture.hpp"
#include "storage/pipeline_runs.hpp"

namespace chitragupt::report {
namespace {

using testing::json;

class StatusRoutes : public testing::ReportTest {};
CHITRAGUPT_ON_BOTH_ENGINES(StatusRoutes);

storage::BillingRecord line(const std::string& ts, const std::string& resource,
                            const std::string& cost) {
  storage::BillingRecord b;
  b.timestamp = ts;
  b.env_id = "env-1";
  b.resource_id = resource;
  b.product_type = "KAFKA_NUM_CKU";
  b.product_category = "KAFKA";
  b.quantity = "24";
  b.unit_price = "0.123456";
  b.total_cost = cost;
  return b;
}

TEST_P(StatusRoutes, billing_lists_lines_with_decimal_text_as_received) {
  storage::BillingStore store(*db_, context_.ecosystem, context_.tenant_id);
  auto up = store.upsert({line("2026-01-10 00:00:00", "lkc-2", "2.962944"),
                          line("2026-01-10 00:00:00", "lkc-1", "10.5"),
                          line("2026-01-12 00:00:00", "lkc-1", "1")});
  ASSERT_TRUE(up.is_ok()) << up.error();
  json body = get_ok("/billing", {{"start_date", "2026-01-10"}, {"end_date", "2026-01-11"}});
  ASSERT_EQ(body["total"], 2);
  const json& first = body["items"][0];
  EXPECT_EQ(first["resource_id"], "lkc-1");
  EXPECT_EQ(first["total_cost"], "10.5");
  EXPECT_EQ(first["unit_price"], "0.123456");
  EXPECT_EQ(first["quantity"], "24");
  EXPECT_EQ(first["timestamp"], "2026-01-10T00:00:00Z");
  EXPECT_EQ(first["currency"], "USD");
  EXPECT_EQ(first["granularity"], "daily");
  EXPECT_EQ(first["metadata"]["env_id"], "env-1");
  EXPECT_EQ(body["items"][1]["total_cost"], "2.962944");
  json filtered = get_ok("/billing", {{"start_date", "2026-01-01"},
                                      {"end_date", "2026-01-31"},
                                      {"resource_id", "lkc-1"},
                                      {"page_size", "1"}});
  EXPECT_EQ(filtered["total"], 2);
  EXPECT_EQ(filtered["pages"], 2);
  expect_bad(get("/billing", {{"page_size", "abc"}}), "page_size");
  expect_bad(get("/billing", {{"timezone", "Europe/Atlantis"}}), "timezone");
}

TEST_P(StatusRoutes, status_lists_tracking_dates_in_the_window) {
  storage::BillingStore store(*db_, context_.ecosystem, context_.tenant_id);
  ASSERT_TRUE(store.mark_gathered({"2026-01-10", "2026-01-11", "2026-03-01"}, {}).is_ok());
  json body = get_ok("/status", {{"start_date", "2026-01-01"}, {"end_date", "2026-01-31"}});
  EXPECT_EQ(body["tenant_name"], "prod");
  EXPECT_EQ(body["tenant_id"], "t1");
  EXPECT_EQ(body["ecosystem"], "confluent_cloud");
  ASSERT_EQ(body["states"].size(), 2u);
  EXPECT_EQ(body["states"][0]["tracking_date"], "2026-01-10");
  EXPECT_EQ(body["states"][0]["billing_gathered"], true);
  EXPECT_EQ(body["states"][0]["chargeback_calculated"], false);
  expect_bad(get("/status", {{"start_date", "2026-02-01"}, {"end_date", "2026-01-01"}}),
             "start_date");
}

TEST_P(StatusRoutes, pipeline_status_reports_the_last_run_and_the_running_flag) {
  json none = get_ok("/pipeline/status");
  EXPECT_EQ(none, json({{"tenant_name", "prod"},
                        {"is_running", false},
                        {"last_run", nullptr},
                        {"last_result", nullptr}}));
  storage::PipelineRunStore runs(*db_);
  auto id = runs.start("prod", "manual");
  ASSERT_TRUE(id.is_ok()) << id.error();
  storage::RunCounts counts;
  counts.dates_gathered = 3;
  counts.dates_calculated = 2;
  counts.rows_written = 40;
  ASSERT_TRUE(runs.finish(*id, "failed", counts, "metrics endpoint unreachable").is_ok());
  context_.pipeline_running = true;
  json body = get_ok("/pipeline/status");
  EXPECT_EQ(body["is_running"], true);
  EXPECT_EQ(body["last_run"]["status"], "failed");
  EXPECT_EQ(body["last_run"]["trigger"], "manual");
  EXPECT_EQ(body["last_run"]["runner"], storage::runner_name());
  EXPECT_EQ(body["last_result"]["dates_gathered"], 3);
  EXPECT_EQ(body["last_result"]["dates_calculated"], 2);
  EXPECT_EQ(body["last_result"]["chargeback_rows_written"], 40);
  EXPECT_EQ(body["last_result"]["errors"], json({"metrics endpoint unreachable"}));
  EXPECT_TRUE(body["last_result"]["completed_at"].is_string());
}

}  // namespace
}  // namespace chitragupt::report
