// The same data on SQLite and on PostgreSQL gives byte-identical bodies for every read route
// (the original's aggregation only worked on SQLite).

#include <cstdio>

#include "report/report_test_fixture.hpp"
#include "report/zone_time.hpp"
#include "storage/pipeline_runs.hpp"

namespace chitragupt::report {
namespace {

using testing::fact;

void seed(storage::Database& db, const TenantContext& t) {
  storage::InventoryStore inv(db, t.ecosystem, t.tenant_id);
  std::vector<storage::ResourceRecord> resources;
  for (const char* id : {"lkc-1", "lkc-2", "Lkc-3", "env-1"}) {
    storage::ResourceRecord r;
    r.resource_id = id;
    r.resource_type = id[0] == 'e' ? "environment" : "kafka_cluster";
    r.display_name = std::string(id) == "lkc-2" ? "Ärger" : std::string("name of ") + id;
    r.created_at = std::string(id) == "lkc-1" ? "2026-01-01 00:00:00" : "";
    resources.push_back(r);
  }
  ASSERT_TRUE(inv.upsert_resources(resources, "2026-02-01 00:00:00").is_ok());
  std::vector<storage::IdentityRecord> identities;
  for (const char* id : {"sa-1", "sa-2", "User-9", "u-ä"}) {
    storage::IdentityRecord r;
    r.identity_id = id;
    r.identity_type = id[0] == 's' ? "service_account" : "user";
    identities.push_back(r);
  }
  ASSERT_TRUE(inv.upsert_identities(identities, "2026-02-01 00:00:00").is_ok());
  // Tags with a fixed created_at so both databases hold the same text.
  for (auto [type, id, key, value] :
       std::vector<std::tuple<const char*, const char*, const char*, const char*>>{
           {"identity", "sa-1", "team", "payments"},
           {"identity", "User-9", "team", "Core"},
           {"resource", "lkc-2", "team", "platform"},
           {"resource", "lkc-1", "cost-center", "42"}}) {
    ASSERT_TRUE(db.execute("INSERT INTO tags (tenant_id, entity_type, entity_id, tag_key, "
                           "tag_value, created_by, created_at) VALUES (?, ?, ?, ?, ?, 'test', "
                           "'2026-02-01 00:00:00')",
                           {t.tenant_id, std::string(type), std::string(id), std::string(key),
                            std::string(value)})
                    .is_ok());
  }
  // Hourly facts over the New York fall-back change, several identities and resources.
  std::vector<storage::ChargebackFactRecord> facts;
  const char* who[] = {"sa-1", "sa-2", "User-9", "u-ä", "sa-1"};
  const char* where[] = {"lkc-1", "lkc-2", "Lkc-3", "lkc-1", "lkc-2"};
  std::int64_t start = *parse_day("2026-10-30") * 86400;
  for (int h = 0; h < 24 * 4; ++h) {
    std::int64_t t0 = start + h * 3600;
    char ts[32];
    std::snprintf(ts, sizeof ts, "%s %02d:00:00", format_day(t0 / 86400).c_str(),
                  static_cast<int>(t0 % 86400 / 3600));
    for (int k = 0; k < 5; ++k) {
      auto f = fact(ts, who[k], 1000 + h * 37 + k * 11, k % 3 == 2 ? "shared" : "usage", where[k]);
      if (k == 3 && h % 7 == 0) {
        f.allocation_method = "ALLOCATION_FAILED";
        f.allocation_detail = "no_metrics_located";
      }
      facts.push_back(f);
    }
  }
  std::map<std::string, std::vector<storage::ChargebackFactRecord>> by_date;
  for (const auto& f : facts) by_date[f.timestamp.substr(0, 10)].push_back(f);
  storage::ChargebackStore store(db, t.ecosystem, t.tenant_id);
  for (const auto& [date, rows] : by_date) ASSERT_TRUE(store.replace_date(date, rows).is_ok());
  storage::BillingStore billing(db, t.ecosystem, t.tenant_id);
  storage::BillingRecord line;
  line.timestamp = "2026-10-31 00:00:00";
  line.env_id = "env-1";
  line.resource_id = "lkc-1";
  line.product_type = "KAFKA_NUM_CKU";
  line.product_category = "KAFKA";
  line.quantity = "24";
  line.unit_price = "0.5";
  line.total_cost = "12.000001";
  ASSERT_TRUE(billing.upsert({line}).is_ok());
  ASSERT_TRUE(billing.mark_gathered({"2026-10-30", "2026-10-31"}, {}).is_ok());
}

TEST(EnginesAgree, every_read_route_gives_identical_bodies_on_sqlite_and_postgresql) {
  CHITRAGUPT_REQUIRE_POSTGRESQL();
  storage::testing::TempDir dir;
  storage::testing::PgScratchDatabase pg;
  ASSERT_TRUE(pg.status().is_ok()) << pg.status().message();
  auto lite = storage::open_database(dir.sqlite_url("t.db"));
  auto post = storage::open_database(pg.url());
  ASSERT_TRUE(lite.is_ok() && post.is_ok());
  TenantContext t = testing::tenant_context();
  t.export_chunk_rows = 150;
  for (auto* db : {lite->get(), post->get()}) {
    storage::Migrator m(*db);
    ASSERT_TRUE(m.upgrade().is_ok());
    seed(*db, t);
  }

  using Q = std::vector<std::pair<std::string, std::string>>;
  const Q window = {
      {"start_date", "2026-10-30"}, {"end_date", "2026-11-02"}, {"timezone", "America/New_York"}};
  auto with = [&](Q more) {
    Q q = window;
    q.insert(q.end(), more.begin(), more.end());
    return q;
  };
  std::vector<Request> requests;
  auto add = [&](const std::string& route, Q query, Q path = {}) {
    Request r;
    r.method = "GET";
    r.route = "/tenants/{tenant}" + route;
    r.query = std::move(query);
    r.path_params = std::move(path);
    requests.push_back(r);
  };
  add("/chargebacks", with({{"page_size", "50"}, {"page", "3"}}));
  add("/chargebacks", with({{"tag_key", "team"}, {"tag_value", "platform"}}));
  for (const char* bucket : {"hour", "day", "week", "month"}) {
    add("/chargebacks/aggregate", with({{"time_bucket", bucket}}));
    add("/chargebacks/aggregate", with({{"time_bucket", bucket},
                                        {"group_by", "resource_id"},
                                        {"group_by", "tag:team"},
                                        {"group_by", "cost_type"}}));
  }
  add("/chargebacks/aggregate", with({{"group_by", "product_type"},
                                      {"tag:team", "Core,UNTAGGED"},
                                      {"timezone", "Asia/Kolkata"}}));
  add("/chargebacks/dates", {});
  add("/chargebacks/allocation-issues", with({}));
  add("/chargebacks/{dimension_id}", {}, {{"dimension_id", "3"}});
  add("/resources", {{"sort_by", "display_name"}});
  add("/resources", {{"sort_by", "created_at"}, {"sort_order", "desc"}});
  add("/resources", {{"search", "LKC"}});
  add("/identities", {});
  add("/identities", {{"active_at", "2026-10-31"}, {"timezone", "America/New_York"}});
  add("/inventory/summary", {});
  add("/billing", with({}));
  add("/status", {{"start_date", "2026-10-01"}, {"end_date", "2026-11-30"}});
  add("/tags", {});
  add("/tags/keys", {});
  add("/tags/keys/{tag_key}/values", {}, {{"tag_key", "team"}});
  add("/entities/{entity_type}/{entity_id}/tags", {},
      {{"entity_type", "identity"}, {"entity_id", "sa-1"}});
  add("/pipeline/status", {});

  for (const Request& r : requests) {
    Response a = handle(**lite, t, r);
    Response b = handle(**post, t, r);
    EXPECT_EQ(a.status, 200) << r.route << " " << a.body;
    EXPECT_EQ(a.body, b.body) << r.route;
    // Every request reads something: an empty answer on both engines would prove nothing.
    EXPECT_EQ(a.body.find("\"total\":0"), std::string::npos) << r.route;
    EXPECT_EQ(a.body.find("\"buckets\":[]"), std::string::npos) << r.route;
  }

  Request exp;
  exp.method = "POST";
  exp.route = "/tenants/{tenant}/export";
  exp.body = R"({"start_date":"2026-10-30","end_date":"2026-11-02","timezone":"America/New_York",
                 "columns":["timestamp","identity_id","amount","tags","metadata","allocation_detail"]})";
  int chunks = 0;
  for (int guard = 0; guard < 100; ++guard) {
    Response a = handle(**lite, t, exp);
    Response b = handle(**post, t, exp);
    ASSERT_EQ(a.status, 200) << a.body;
    EXPECT_EQ(a.body, b.body);
    EXPECT_EQ(a.next_cursor, b.next_cursor);
    ++chunks;
    if (!a.next_cursor) break;
    exp.cursor = *a.next_cursor;
  }
  EXPECT_GE(chunks, 3);
}

}  // namespace
}  // namespace chitragupt::report
