// The original's API contract (issue 15 item 12): for every report route chitragupta v2.2 serves
// and chitragupt serves too, the response has the original's field names, each of the
// original's type (its pydantic response models, src/core/api/schemas.py, and
// ../shared/reference/original-runtime-api-ops.md), on SQLite and PostgreSQL. Extra fields of
// ours are allowed; a missing field or another type is not. Deliberate differences are listed
// in docs/differences.md (HTTP API) and named here where a shape departs.
//
// Types: "string", "integer", "boolean", "object", "array", "null", or "a|b". Decimals are
// strings (pydantic v2 serialises Decimal as a JSON string), datetimes and dates ISO strings.

#include <gtest/gtest.h>

#include "report/report_test_fixture.hpp"
#include "storage/pipeline_runs.hpp"

namespace chitragupt::report {
namespace {

using testing::fact;
using testing::json;

std::string type_of(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "boolean";
  if (v.is_number_integer() || v.is_number_unsigned()) return "integer";
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_array()) return "array";
  return "object";
}

// Every way `value` departs from `shape`: a type name (possibly "a|b"), an object of field
// shapes, or an array holding the shape of every element.
void compare(const json& value, const json& shape, const std::string& path,
             std::vector<std::string>& out) {
  if (shape.is_string()) {
    const std::string want = shape.get<std::string>();
    const std::string got = type_of(value);
    const std::string alternatives = "|" + want + "|";
    if (alternatives.find("|" + got + "|") == std::string::npos) {
      out.push_back(path + ": expected " + want + ", got " + got + " " + value.dump());
    }
    return;
  }
  if (shape.is_object()) {
    if (!value.is_object()) {
      out.push_back(path + ": expected object, got " + type_of(value));
      return;
    }
    for (auto it = shape.begin(); it != shape.end(); ++it) {
      if (!value.contains(it.key())) {
        out.push_back(path + "." + it.key() + ": missing");
        continue;
      }
      compare(value[it.key()], it.value(), path + "." + it.key(), out);
    }
    return;
  }
  // An array shape: [element shape]. An empty array proves nothing: the test data fills them.
  if (!value.is_array()) {
    out.push_back(path + ": expected array, got " + type_of(value));
    return;
  }
  if (value.empty()) out.push_back(path + ": empty (the test data should fill it)");
  for (std::size_t i = 0; i < value.size(); ++i) {
    compare(value[i], shape[0], path + "[" + std::to_string(i) + "]", out);
  }
}

json page_of(const json& item) {
  return {{"items", json::array({item})},
          {"total", "integer"},
          {"page", "integer"},
          {"page_size", "integer"},
          {"pages", "integer"}};
}

class OriginalContract : public testing::ReportTest {
 protected:
  void SetUp() override {
    ReportTest::SetUp();
    if (not_runnable()) return;
    add_resource("lkc-1", "kafka_cluster", "2026-01-01 00:00:00");
    add_identity("sa-1", "service_account", "2026-01-01 00:00:00");
    auto failed = fact("2026-01-10 00:00:00", "UNALLOCATED", 1'0000, "shared");
    failed.allocation_method = "ALLOCATION_FAILED";  // an allocation issue
    failed.allocation_detail = "Failed after 3 attempts: amount is not a number";
    write_facts({fact("2026-01-10 00:00:00", "sa-1", 12'3400), failed});
    storage::BillingRecord b;
    b.timestamp = "2026-01-10 00:00:00";
    b.env_id = "env-1";
    b.resource_id = "lkc-1";
    b.product_type = "KAFKA_NUM_CKU";
    b.product_category = "KAFKA";
    b.quantity = "24";
    b.unit_price = "0.5";
    b.total_cost = "13.34";
    storage::BillingStore billing(*db_, context_.ecosystem, context_.tenant_id);
    auto merged = billing.upsert({b});
    ASSERT_TRUE(merged.is_ok()) << merged.error();
    ASSERT_TRUE(billing.mark_gathered({"2026-01-10"}, merged->changed_dates).is_ok());
    storage::PipelineRunStore runs(*db_);
    auto id = runs.start(context_.tenant_name, "manual");
    ASSERT_TRUE(id.is_ok());
    ASSERT_TRUE(runs.finish(*id, "completed", {1, 1, 2}).is_ok());
    Response tagged = call("POST", "/tenants/{tenant}/entities/{entity_type}/{entity_id}/tags", {},
                           {{"entity_type", "resource"}, {"entity_id", "lkc-1"}},
                           R"({"tag_key":"team","tag_value":"core","created_by":"t"})");
    ASSERT_EQ(tagged.status, 201) << tagged.body;
  }

  void expect_shape(const std::string& what, const Response& r, const json& shape,
                    int status = 200) {
    ASSERT_EQ(r.status, status) << what << ": " << r.body;
    auto body = json::parse(r.body, nullptr, false);
    std::vector<std::string> problems;
    compare(body, shape, what, problems);
    for (const auto& p : problems) ADD_FAILURE() << p;
  }

  const std::vector<std::pair<std::string, std::string>> kDates = {{"start_date", "2026-01-01"},
                                                                   {"end_date", "2026-01-31"}};
};
CHITRAGUPT_ON_BOTH_ENGINES(OriginalContract);

TEST_P(OriginalContract, read_routes_have_the_original_field_names_and_types) {
  expect_shape("status", get("/status", kDates),
               {{"tenant_name", "string"},
                {"tenant_id", "string"},
                {"ecosystem", "string"},
                {"topic_attribution_status", "string"},
                {"topic_attribution_error", "string|null"},
                {"states", json::array({{{"tracking_date", "string"},
                                         {"billing_gathered", "boolean"},
                                         {"resources_gathered", "boolean"},
                                         {"chargeback_calculated", "boolean"},
                                         {"topic_overlay_gathered", "boolean"},
                                         {"topic_attribution_calculated", "boolean"}}})}});
  expect_shape("billing", get("/billing", kDates),
               page_of({{"ecosystem", "string"},
                        {"tenant_id", "string"},
                        {"timestamp", "string"},
                        {"resource_id", "string"},
                        {"product_category", "string"},
                        {"product_type", "string"},
                        {"quantity", "string"},
                        {"unit_price", "string"},
                        {"total_cost", "string"},
                        {"currency", "string"},
                        {"granularity", "string"},
                        {"metadata", "object"}}));
  expect_shape("chargebacks", get("/chargebacks", kDates),
               page_of({{"dimension_id", "integer|null"},
                        {"ecosystem", "string"},
                        {"tenant_id", "string"},
                        {"timestamp", "string"},
                        {"resource_id", "string|null"},
                        {"product_category", "string"},
                        {"product_type", "string"},
                        {"identity_id", "string"},
                        {"cost_type", "string"},
                        {"amount", "string"},
                        {"allocation_method", "string|null"},
                        {"allocation_detail", "string|null"},
                        {"tags", "object"},
                        {"metadata", "object"}}));
  auto aggregate = get("/chargebacks/aggregate", kDates);
  expect_shape("chargebacks/aggregate", aggregate,
               {{"buckets", json::array({{{"dimensions", "object"},
                                          {"time_bucket", "string"},
                                          {"total_amount", "string"},
                                          {"usage_amount", "string"},
                                          {"shared_amount", "string"},
                                          {"row_count", "integer"}}})},
                {"total_amount", "string"},
                {"usage_amount", "string"},
                {"shared_amount", "string"},
                {"total_rows", "integer"}});
  expect_shape("chargebacks/dates", get("/chargebacks/dates"),
               {{"dates", json::array({"string"})}});
  expect_shape("chargebacks/allocation-issues", get("/chargebacks/allocation-issues", kDates),
               page_of({{"ecosystem", "string"},
                        {"env_id", "string"},
                        {"resource_id", "string|null"},
                        {"product_type", "string"},
                        {"identity_id", "string"},
                        {"allocation_detail", "string"},
                        {"row_count", "integer"},
                        {"usage_cost", "string"},
                        {"shared_cost", "string"},
                        {"total_cost", "string"}}));
  auto rows = json::parse(get("/chargebacks", kDates).body);
  const std::string dimension = std::to_string(rows["items"][0]["dimension_id"].get<int>());
  expect_shape("chargebacks/{dimension_id}",
               get("/chargebacks/{dimension_id}", {}, {{"dimension_id", dimension}}),
               {{"dimension_id", "integer"},
                {"ecosystem", "string"},
                {"env_id", "string"},
                {"tenant_id", "string"},
                {"resource_id", "string|null"},
                {"product_category", "string"},
                {"product_type", "string"},
                {"identity_id", "string"},
                {"cost_type", "string"},
                {"allocation_method", "string|null"},
                {"allocation_detail", "string|null"},
                {"tags", "object"}});
  expect_shape("resources", get("/resources"),
               page_of({{"ecosystem", "string"},
                        {"tenant_id", "string"},
                        {"resource_id", "string"},
                        {"resource_type", "string"},
                        {"display_name", "string|null"},
                        {"parent_id", "string|null"},
                        {"owner_id", "string|null"},
                        {"status", "string"},
                        {"created_at", "string|null"},
                        {"deleted_at", "string|null"},
                        {"last_seen_at", "string|null"},
                        {"metadata", "object"}}));
  expect_shape("identities", get("/identities"),
               page_of({{"ecosystem", "string"},
                        {"tenant_id", "string"},
                        {"identity_id", "string"},
                        {"identity_type", "string"},
                        {"display_name", "string|null"},
                        {"created_at", "string|null"},
                        {"deleted_at", "string|null"},
                        {"last_seen_at", "string|null"},
                        {"metadata", "object"}}));
  const json counts = {{"total", "integer"}, {"active", "integer"}, {"deleted", "integer"}};
  auto summary = get("/inventory/summary");
  expect_shape("inventory/summary", summary,
               {{"resource_counts", {{"kafka_cluster", counts}}},
                {"identity_counts", {{"service_account", counts}}}});
  const json tag = {{"tag_id", "integer"},     {"tenant_id", "string"},
                    {"entity_type", "string"}, {"entity_id", "string"},
                    {"tag_key", "string"},     {"tag_value", "string"},
                    {"created_by", "string"},  {"created_at", "string|null"}};
  expect_shape("entities/{type}/{id}/tags",
               get("/entities/{entity_type}/{entity_id}/tags", {},
                   {{"entity_type", "resource"}, {"entity_id", "lkc-1"}}),
               json::array({tag}));
  expect_shape("tags", get("/tags"), page_of(tag));
  expect_shape("tags/keys", get("/tags/keys"), {{"keys", json::array({"string"})}});
  expect_shape("tags/keys/{k}/values",
               get("/tags/keys/{tag_key}/values", {}, {{"tag_key", "team"}}),
               {{"values", json::array({"string"})}});
  // Deliberate difference (docs/differences.md, HTTP API): last_run is the run as an object
  // {status, started_at, ended_at, stage, trigger}, where the original gives only its datetime.
  expect_shape("pipeline/status", get("/pipeline/status"),
               {{"tenant_name", "string"},
                {"is_running", "boolean"},
                {"last_run", "object|null"},
                {"last_result",
                 {{"dates_gathered", "integer"},
                  {"dates_calculated", "integer"},
                  {"chargeback_rows_written", "integer"},
                  {"errors", "array"},
                  {"completed_at", "string"}}}});
}

TEST_P(OriginalContract, write_routes_have_the_original_field_names_and_types) {
  const std::string entity_tag = "/tenants/{tenant}/entities/{entity_type}/{entity_id}/tags";
  const json tag = {{"tag_id", "integer"},     {"tenant_id", "string"},
                    {"entity_type", "string"}, {"entity_id", "string"},
                    {"tag_key", "string"},     {"tag_value", "string"},
                    {"created_by", "string"},  {"created_at", "string|null"}};
  expect_shape("POST entities/{type}/{id}/tags",
               call("POST", entity_tag, {}, {{"entity_type", "identity"}, {"entity_id", "sa-1"}},
                    R"({"tag_key":"owner","tag_value":"x","created_by":"t"})"),
               tag, 201);
  expect_shape("PUT entities/{type}/{id}/tags/{key}",
               call("PUT", entity_tag + "/{tag_key}", {},
                    {{"entity_type", "identity"}, {"entity_id", "sa-1"}, {"tag_key", "owner"}},
                    R"({"tag_value":"y"})"),
               tag);
  const json counts = {
      {"created_count", "integer"}, {"updated_count", "integer"}, {"skipped_count", "integer"}};
  expect_shape("POST tags/bulk",
               call("POST", "/tenants/{tenant}/tags/bulk", {}, {},
                    R"({"items":[{"entity_type":"resource","entity_id":"lkc-1","tag_key":"a",)"
                    R"("tag_value":"b"}],"created_by":"t"})"),
               counts);
  json by_filter = counts;
  by_filter["errors"] = "array";
  expect_shape("POST tags/bulk-by-filter",
               call("POST", "/tenants/{tenant}/tags/bulk-by-filter", {}, {},
                    R"({"start_date":"2026-01-01","end_date":"2026-01-31","tag_key":"c",)"
                    R"("display_name":"d","created_by":"t"})"),
               by_filter);
}

}  // namespace
}  // namespace chitragupt::report
