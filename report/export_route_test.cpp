// POST export: CSV chunks read back and summed equal the aggregate total; columns and filters.

#include "allocation/money.hpp"
#include "report/report_test_fixture.hpp"

namespace chitragupt::report {
namespace {

using testing::fact;
using testing::json;

class ExportRoute : public testing::ReportTest {
 protected:
  // Every chunk of one export, concatenated; counts the chunks.
  std::string export_all(const std::string& body, int* chunks) {
    std::string csv;
    Request r;
    r.method = "POST";
    r.route = "/tenants/{tenant}/export";
    r.body = body;
    *chunks = 0;
    for (int guard = 0; guard < 1000; ++guard) {
      Response out = handle(*db_, context_, r);
      EXPECT_EQ(out.status, 200) << out.body;
      EXPECT_EQ(out.content_type, "text/csv");
      if (out.status != 200) break;
      ++*chunks;
      csv += out.body;
      if (!out.next_cursor) break;
      r.cursor = *out.next_cursor;
    }
    return csv;
  }
  static std::vector<std::string> lines(const std::string& csv) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < csv.size()) {
      auto end = csv.find("\r\n", start);
      out.push_back(csv.substr(start, end - start));
      start = end + 2;
    }
    return out;
  }
};
CHITRAGUPT_ON_BOTH_ENGINES(ExportRoute);

TEST_P(ExportRoute, chunks_read_back_sum_to_the_aggregate_total) {
  std::vector<storage::ChargebackFactRecord> rows;
  for (int day = 1; day <= 5; ++day) {
    for (int i = 0; i < 5; ++i) {
      char ts[32];
      std::snprintf(ts, sizeof ts, "2026-01-%02d %02d:00:00", day, i);
      rows.push_back(fact(ts, "sa-" + std::to_string(i), 1234567 + day * 1000 + i,
                          i % 2 ? "shared" : "usage"));
    }
  }
  write_facts(rows);
  context_.export_chunk_rows = 7;
  int chunks = 0;
  std::string csv = export_all(
      R"({"start_date":"2026-01-01","end_date":"2026-01-31","columns":["timestamp","identity_id","amount"]})",
      &chunks);
  EXPECT_EQ(chunks, 4);  // 25 rows, 7 per chunk
  auto all = lines(csv);
  ASSERT_EQ(all.size(), 26u);
  EXPECT_EQ(all[0], "timestamp,identity_id,amount");
  EXPECT_EQ(all[1], "2026-01-01T00:00:00Z,sa-0,123.5567");
  allocation::Money sum;
  for (std::size_t i = 1; i < all.size(); ++i) {
    auto amount = allocation::Money::parse(all[i].substr(all[i].rfind(',') + 1));
    ASSERT_TRUE(amount.is_ok()) << all[i];
    sum += *amount;
  }
  json aggregate =
      get_ok("/chargebacks/aggregate", {{"start_date", "2026-01-01"}, {"end_date", "2026-01-31"}});
  EXPECT_EQ(sum.to_string(), aggregate["total_amount"].get<std::string>());
  EXPECT_EQ(aggregate["total_rows"], 25);
}

TEST_P(ExportRoute, default_columns_tags_filters_and_quoting) {
  add_identity("sa-1", "service_account");
  ASSERT_EQ(call("POST", "/tenants/{tenant}/entities/{entity_type}/{entity_id}/tags", {},
                 {{"entity_type", "identity"}, {"entity_id", "sa-1"}},
                 R"({"tag_key":"team","tag_value":"a,b"})")
                .status,
            201);
  write_facts({fact("2026-01-02 00:00:00", "sa-1", 5), fact("2026-01-02 00:00:00", "sa-2", 7)});
  int chunks = 0;
  std::string csv = export_all(
      R"({"start_date":"2026-01-01","end_date":"2026-01-31","filters":{"identity_id":"sa-1"}})",
      &chunks);
  auto all = lines(csv);
  ASSERT_EQ(all.size(), 2u) << csv;
  EXPECT_EQ(all[0],
            "timestamp,resource_id,product_category,product_type,identity_id,cost_type,amount,"
            "allocation_method,tags");
  EXPECT_EQ(all[1],
            "2026-01-02T00:00:00Z,lkc-1,KAFKA,KAFKA_NUM_CKU,sa-1,usage,0.0005,usage_ratio,"
            "\"team=a,b\"");
  std::string extra = export_all(
      R"({"start_date":"2026-01-01","end_date":"2026-01-31","columns":["tenant_id","metadata"]})",
      &chunks);
  EXPECT_EQ(lines(extra)[1], "t1,\"{\"\"env_id\"\":\"\"env-1\"\"}\"");
}

TEST_P(ExportRoute, bad_column_filter_dates_or_cursor_are_400) {
  auto post = [&](const std::string& body, const std::string& cursor = "") {
    Request r;
    r.method = "POST";
    r.route = "/tenants/{tenant}/export";
    r.body = body;
    r.cursor = cursor;
    return handle(*db_, context_, r);
  };
  expect_bad(post(R"({"columns":["amount","password"]})"), "columns");
  expect_bad(post(R"({"columns":[]})"), "columns");
  expect_bad(post(R"({"filters":{"owner":"x"}})"), "filters");
  expect_bad(post(R"({"start_date":"2026-02-01","end_date":"2026-01-01"})"), "start_date");
  expect_bad(post(R"({"timezone":"Moon/Tranquility"})"), "timezone");
  expect_bad(post("{}", "garbage"), "cursor");
  EXPECT_EQ(post("[1,2]").status, 422);
}

}  // namespace
}  // namespace chitragupt::report
