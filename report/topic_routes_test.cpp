// The topic-attribution and graph routes: the reference's example 3 answered exactly (decimal
// strings, defined order), and the same bodies on SQLite and PostgreSQL.

#include "allocation/money.hpp"
#include "report/report_test_fixture.hpp"

namespace chitragupt::report {
namespace {

using testing::fact;
using Q = std::vector<std::pair<std::string, std::string>>;

void ta_fact(storage::Database& db, const std::string& ts, const std::string& cluster,
             const std::string& topic, const std::string& type, const std::string& method,
             std::int64_t units) {
  ASSERT_TRUE(db.execute("INSERT INTO topic_attribution_dimensions (ecosystem, tenant_id, env_id, "
                         "cluster_resource_id, topic_name, product_category, product_type, "
                         "attribution_method, resource_id) SELECT 'confluent_cloud', 't1', "
                         "'env-1', ?, ?, 'KAFKA', ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM "
                         "topic_attribution_dimensions WHERE cluster_resource_id = ? AND "
                         "topic_name = ? AND product_type = ? AND attribution_method = ?)",
                         {cluster, topic, type, method, cluster + ":topic:" + topic, cluster, topic,
                          type, method})
                  .is_ok());
  ASSERT_TRUE(db.execute("INSERT INTO topic_attribution_facts (timestamp, dimension_id, amount) "
                         "SELECT ?, dimension_id, ? FROM topic_attribution_dimensions WHERE "
                         "cluster_resource_id = ? AND topic_name = ? AND product_type = ? AND "
                         "attribution_method = ?",
                         {ts, units, cluster, topic, type, method})
                  .is_ok());
}

// Example 3 of the reference, plus a tag and a second product type.
void seed(storage::Database& db) {
  const TenantContext t = testing::tenant_context();
  storage::InventoryStore inv(db, t.ecosystem, t.tenant_id);
  std::vector<storage::ResourceRecord> resources;
  auto res = [&](const char* id, const char* type, const char* name, const char* parent) {
    storage::ResourceRecord r;
    r.resource_id = id;
    r.resource_type = type;
    r.display_name = name;
    r.parent_id = parent;
    r.created_at = "2026-01-01 00:00:00";
    resources.push_back(r);
  };
  res("env-1", "environment", "env-1", "");
  res("lkc-g1", "kafka_cluster", "g1", "env-1");
  res("lkc-g1:topic:orders", "topic", "orders", "lkc-g1");
  res("lkc-g1:topic:payments", "topic", "payments", "lkc-g1");
  ASSERT_TRUE(inv.upsert_resources(resources, "2026-01-01 00:00:00").is_ok());
  std::vector<storage::IdentityRecord> ids;
  for (const char* id : {"sa-1", "sa-2"}) {
    storage::IdentityRecord r;
    r.identity_id = id;
    r.identity_type = "service_account";
    r.display_name = id;
    ids.push_back(r);
  }
  ASSERT_TRUE(inv.upsert_identities(ids, "2026-01-01 00:00:00").is_ok());
  storage::ChargebackStore charges(db, t.ecosystem, t.tenant_id);
  ASSERT_TRUE(charges
                  .replace_date("2026-03-10",
                                {fact("2026-03-10 00:00:00", "sa-1", 200000, "usage", "lkc-g1"),
                                 fact("2026-03-10 00:00:00", "sa-2", 50000, "usage", "lkc-g1")})
                  .is_ok());
  ASSERT_TRUE(charges
                  .replace_date("2026-02-20",
                                {fact("2026-02-20 00:00:00", "sa-1", 200000, "usage", "lkc-g1")})
                  .is_ok());
  ta_fact(db, "2026-03-10 00:00:00", "lkc-g1", "orders", "KAFKA_NETWORK_WRITE", "bytes_ratio",
          72000);
  ta_fact(db, "2026-03-11 00:00:00", "lkc-g1", "orders", "KAFKA_NETWORK_WRITE", "bytes_ratio",
          48000);
  ta_fact(db, "2026-02-20 00:00:00", "lkc-g1", "orders", "KAFKA_NETWORK_WRITE", "bytes_ratio",
          100000);
  ta_fact(db, "2026-03-10 00:00:00", "lkc-g1", "payments", "KAFKA_BASE", "even_split", 30000);
  ta_fact(db, "2026-03-11 00:00:00", "lkc-g1", "__UNATTRIBUTED__", "KAFKA_NETWORK_READ",
          "ATTRIBUTION_FAILED", 50000);
  ASSERT_TRUE(db.execute("INSERT INTO tags (tenant_id, entity_type, entity_id, tag_key, "
                         "tag_value, created_by, created_at) VALUES ('t1', 'resource', "
                         "'lkc-g1:topic:orders', 'owner', 'alice', 'test', '2026-01-01 00:00:00')")
                  .is_ok());
}

Response call_route(storage::Database& db, const std::string& route, Q query,
                    const std::string& method = "GET", const std::string& body = "") {
  Request r;
  r.method = method;
  r.route = "/tenants/{tenant}" + route;
  r.query = std::move(query);
  r.body = body;
  TenantContext t = testing::tenant_context();
  t.export_chunk_rows = 2;
  return handle(db, t, r);
}

nlohmann::json parsed(const Response& r) { return nlohmann::json::parse(r.body); }

class TopicRoutes : public testing::ReportTest {};

TEST_P(TopicRoutes, list_pages_in_time_then_dimension_order_with_exact_amounts) {
  if (not_runnable()) return;
  seed(*db_);
  const Q march = {{"start_date", "2026-03-01"}, {"end_date", "2026-03-31"}};
  auto r = call_route(*db_, "/topic-attributions", march);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = parsed(r);
  EXPECT_EQ(j["total"], 4);
  EXPECT_EQ(j["items"][0]["timestamp"], "2026-03-10T00:00:00Z");
  EXPECT_EQ(j["items"][0]["topic_name"], "orders");
  EXPECT_EQ(j["items"][0]["amount"], "7.2000");
  EXPECT_EQ(j["items"][0]["resource_id"], nullptr);
  Q filtered = march;
  filtered.push_back({"topic_name", "PAY"});
  EXPECT_EQ(parsed(call_route(*db_, "/topic-attributions", filtered))["total"], 1);
  Q literal = march;
  literal.push_back({"topic_name", "_"});  // the underscore is literal, not a wildcard
  EXPECT_EQ(parsed(call_route(*db_, "/topic-attributions", literal))["total"], 1);
  Q tagged = march;
  tagged.push_back({"tag_key", "owner"});
  EXPECT_EQ(parsed(call_route(*db_, "/topic-attributions", tagged))["total"], 2);
}

TEST_P(TopicRoutes, aggregate_groups_by_topic_and_tag_with_exact_totals) {
  if (not_runnable()) return;
  seed(*db_);
  auto j = parsed(call_route(*db_, "/topic-attributions/aggregate",
                             {{"start_date", "2026-03-01"},
                              {"end_date", "2026-03-31"},
                              {"time_bucket", "month"},
                              {"group_by", "topic_name"},
                              {"group_by", "tag:owner"}}));
  ASSERT_EQ(j["buckets"].size(), 3u) << j.dump();
  EXPECT_EQ(j["buckets"][0]["dimensions"]["topic_name"], "__UNATTRIBUTED__");
  EXPECT_EQ(j["buckets"][1]["dimensions"]["topic_name"], "orders");
  EXPECT_EQ(j["buckets"][1]["dimensions"]["tag:owner"], "alice");
  EXPECT_EQ(j["buckets"][1]["total_amount"], "12.0000");
  EXPECT_EQ(j["buckets"][1]["row_count"], 2);
  EXPECT_EQ(j["buckets"][2]["dimensions"]["tag:owner"], "UNTAGGED");
  EXPECT_EQ(j["total_amount"], "20.0000");
  EXPECT_EQ(j["total_rows"], 4);
  EXPECT_EQ(call_route(*db_, "/topic-attributions/aggregate", {{"group_by", "identity_id"}}).status,
            400);
}

TEST_P(TopicRoutes, dates_and_export_csv_sum_to_the_aggregate_total) {
  if (not_runnable()) return;
  seed(*db_);
  EXPECT_EQ(parsed(call_route(*db_, "/topic-attributions/dates", {}))["dates"],
            nlohmann::json({"2026-02-20", "2026-03-10", "2026-03-11"}));
  Request r;
  r.method = "POST";
  r.route = "/tenants/{tenant}/topic-attributions/export";
  r.body = R"({"start_date":"2026-02-01","end_date":"2026-03-31"})";
  TenantContext t = testing::tenant_context();
  t.export_chunk_rows = 2;
  std::string csv;
  int chunks = 0;
  for (;;) {
    Response a = handle(*db_, t, r);
    ASSERT_EQ(a.status, 200) << a.body;
    csv += a.body;
    ++chunks;
    if (!a.next_cursor) break;
    r.cursor = *a.next_cursor;
  }
  EXPECT_EQ(chunks, 3);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "ecosystem,tenant_id,timestamp,env_id,cluster_resource_id,topic_name,"
            "product_category,product_type,attribution_method,amount");
  EXPECT_NE(csv.find("confluent_cloud,t1,2026-03-10T00:00:00+00:00,env-1,lkc-g1,orders,KAFKA,"
                     "KAFKA_NETWORK_WRITE,bytes_ratio,7.2000\n"),
            std::string::npos);
  std::int64_t sum = 0;
  std::size_t at = csv.find('\n') + 1;
  while (at < csv.size()) {
    auto end = csv.find('\n', at);
    std::string line = csv.substr(at, end - at);
    sum += allocation::Money::parse(line.substr(line.rfind(',') + 1))->units();
    at = end + 1;
  }
  auto agg = parsed(call_route(*db_, "/topic-attributions/aggregate",
                               {{"start_date", "2026-02-01"}, {"end_date", "2026-03-31"}}));
  EXPECT_EQ(allocation::Money::from_units(sum).to_string(), agg["total_amount"]);
}

TEST_P(TopicRoutes, graph_example3_cluster_view_in_exact_decimals) {
  if (not_runnable()) return;
  seed(*db_);
  auto r = call_route(*db_, "/graph", {{"focus", "lkc-g1"}, {"at", "2026-03-15T00:00:00Z"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = parsed(r);
  std::vector<std::string> nodes;
  for (const auto& n : j["nodes"])
    nodes.push_back(n["id"].get<std::string>() + "=" + n["cost"].get<std::string>());
  EXPECT_EQ(nodes, (std::vector<std::string>{"lkc-g1=25.0000", "lkc-g1:topic:orders=12.0000",
                                             "lkc-g1:topic:payments=3.0000", "sa-1=20.0000",
                                             "sa-2=5.0000"}));
  std::vector<std::string> edges;
  for (const auto& e : j["edges"]) {
    edges.push_back(e["relationship_type"].get<std::string>() + ":" +
                    e["target"].get<std::string>() + "=" +
                    (e["cost"].is_null() ? "null" : e["cost"].get<std::string>()));
  }
  EXPECT_EQ(edges, (std::vector<std::string>{"parent:lkc-g1:topic:orders=null",
                                             "parent:lkc-g1:topic:payments=null",
                                             "charge:sa-1=20.0000", "charge:sa-2=5.0000",
                                             "attribution:lkc-g1:topic:orders=12.0000",
                                             "attribution:lkc-g1:topic:payments=3.0000"}));
  EXPECT_EQ(call_route(*db_, "/graph", {{"focus", "nope"}}).status, 404);
  EXPECT_EQ(call_route(*db_, "/graph", {{"at", "2026-03-15T00:00:00"}}).status, 400);
  // Root view: the tenant, then its environments.
  auto root = parsed(call_route(*db_, "/graph", {{"at", "2026-03-15T00:00:00Z"}}));
  EXPECT_EQ(root["nodes"][0]["id"], "t1");
  EXPECT_EQ(root["nodes"][0]["cost"], "25.0000");
  EXPECT_EQ(root["nodes"][1]["id"], "env-1");
}

TEST_P(TopicRoutes, graph_example3_diff_and_timeline) {
  if (not_runnable()) return;
  seed(*db_);
  auto diff = parsed(call_route(*db_, "/graph/diff",
                                {{"from_start", "2026-02-01"},
                                 {"from_end", "2026-02-28"},
                                 {"to_start", "2026-03-01"},
                                 {"to_end", "2026-03-31"},
                                 {"focus", "lkc-g1"}}));
  std::map<std::string, std::string> got;
  for (const auto& n : diff["nodes"]) {
    got[n["id"]] = n["cost_before"].get<std::string>() + ">" + n["cost_after"].get<std::string>() +
                   " " + n["status"].get<std::string>() + " " +
                   (n["pct_change"].is_null() ? "null" : n["pct_change"].get<std::string>());
  }
  EXPECT_EQ(got, (std::map<std::string, std::string>{
                     {"lkc-g1", "20.0000>25.0000 changed 25.0000"},
                     {"lkc-g1:topic:orders", "10.0000>12.0000 changed 20.0000"},
                     {"lkc-g1:topic:payments", "0.0000>3.0000 changed null"},
                     {"sa-1", "20.0000>20.0000 unchanged 0.0000"},
                     {"sa-2", "0.0000>5.0000 changed null"}}));
  auto tl = parsed(call_route(
      *db_, "/graph/timeline",
      {{"entity_id", "lkc-g1:topic:orders"}, {"start", "2026-03-09"}, {"end", "2026-03-12"}}));
  EXPECT_EQ(tl["points"], nlohmann::json::parse(R"([{"date":"2026-03-09","cost":"0.0000"},
      {"date":"2026-03-10","cost":"7.2000"},{"date":"2026-03-11","cost":"4.8000"},
      {"date":"2026-03-12","cost":"0.0000"}])"));
  auto search = parsed(call_route(*db_, "/graph/search", {{"q", "orders"}}));
  ASSERT_EQ(search["results"].size(), 1u);
  EXPECT_EQ(search["results"][0]["id"], "lkc-g1:topic:orders");
  EXPECT_EQ(search["results"][0]["parent_display_name"], "g1");
  EXPECT_EQ(call_route(*db_, "/graph/search", {}).status, 422);
}

CHITRAGUPT_ON_BOTH_ENGINES(TopicRoutes);

TEST(TopicRoutesEnginesAgree, every_topic_and_graph_route_gives_identical_bodies) {
  CHITRAGUPT_REQUIRE_POSTGRESQL();
  storage::testing::TempDir dir;
  storage::testing::PgScratchDatabase pg;
  ASSERT_TRUE(pg.status().is_ok()) << pg.status().message();
  auto lite = storage::open_database(dir.sqlite_url("t.db"));
  auto post = storage::open_database(pg.url());
  ASSERT_TRUE(lite.is_ok() && post.is_ok());
  for (auto* db : {lite->get(), post->get()}) {
    storage::Migrator m(*db);
    ASSERT_TRUE(m.upgrade().is_ok());
    seed(*db);
  }
  const Q all = {
      {"start_date", "2026-02-01"}, {"end_date", "2026-03-31"}, {"timezone", "America/New_York"}};
  std::vector<std::pair<std::string, Q>> requests = {
      {"/topic-attributions", all},
      {"/topic-attributions/aggregate", all},
      {"/topic-attributions/aggregate",
       {{"start_date", "2026-02-01"},
        {"end_date", "2026-03-31"},
        {"time_bucket", "week"},
        {"group_by", "cluster_resource_id"},
        {"group_by", "product_type"},
        {"tag:owner", "alice"}}},
      {"/topic-attributions/dates", {}},
      {"/graph", {{"focus", "lkc-g1"}, {"at", "2026-03-15T00:00:00Z"}}},
      {"/graph", {{"focus", "env-1"}, {"depth", "3"}, {"at", "2026-03-15T00:00:00Z"}}},
      {"/graph", {{"focus", "sa-1"}, {"start_date", "2026-02-01"}, {"end_date", "2026-03-31"}}},
      {"/graph/search", {{"q", "SA"}}},
      {"/graph/diff",
       {{"from_start", "2026-02-01"},
        {"from_end", "2026-02-28"},
        {"to_start", "2026-03-01"},
        {"to_end", "2026-03-31"}}},
      {"/graph/timeline",
       {{"entity_id", "lkc-g1"}, {"start", "2026-02-19"}, {"end", "2026-03-11"}}},
  };
  for (const auto& [route, query] : requests) {
    Response a = call_route(**lite, route, query), b = call_route(**post, route, query);
    EXPECT_EQ(a.status, 200) << route << " " << a.body;
    EXPECT_EQ(a.body, b.body) << route;
  }
  Response a = call_route(**lite, "/topic-attributions/export", {}, "POST", "{}");
  Response b = call_route(**post, "/topic-attributions/export", {}, "POST", "{}");
  EXPECT_EQ(a.body, b.body);
}

}  // namespace
}  // namespace chitragupt::report
