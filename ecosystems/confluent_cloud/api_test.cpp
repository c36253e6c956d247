#include "ecosystems/confluent_cloud/api.hpp"

#include <gtest/gtest.h>

#include <mutex>

#include "sources/test_support.hpp"

namespace chitragupt::ccloud {
namespace {

using nlohmann::json;
using testing::FakeServer;
using testing::RecordingClock;

void reply(httplib::Response& res, const json& body) {
  res.set_content(body.dump(), "application/json");
}

struct ApiFixture {
  FakeServer server;
  std::shared_ptr<RecordingClock> clock = std::make_shared<RecordingClock>();
  std::mutex mutex;
  std::vector<std::string> log;  // "path?query" of each request, in order

  void record(const httplib::Request& req) {
    std::string query;
    for (const auto& [k, v] : req.params) query += (query.empty() ? "" : "&") + k + "=" + v;
    std::lock_guard<std::mutex> lock(mutex);
    log.push_back(req.path + "?" + query);
  }

  std::unique_ptr<CcloudApi> api(CcloudSettings settings = {}) {
    settings.ccloud_api.key = "KEY";
    settings.ccloud_api.secret = "SECRET";
    settings.ccloud_api.base_url = server.url();
    HttpClientOptions tuning;
    tuning.clock = clock;
    tuning.min_request_gap = std::chrono::milliseconds(0);
    auto created = CcloudApi::create(settings, tuning);
    EXPECT_TRUE(created.is_ok()) << created.error();
    return std::move(*created);
  }
};

TEST(ConnectorAuthMode, explicit_mode_wins_then_api_key_then_service_account) {
  EXPECT_EQ(connector_auth_mode({{"kafka.auth.mode", "SERVICE_ACCOUNT"}, {"kafka.api.key", "K"}}),
            "SERVICE_ACCOUNT");
  EXPECT_EQ(connector_auth_mode({{"kafka.api.key", "****************"}}), "KAFKA_API_KEY");
  EXPECT_EQ(connector_auth_mode({{"kafka.api.key", "ABC"}, {"kafka.service.account.id", "sa-1"}}),
            "KAFKA_API_KEY");
  EXPECT_EQ(connector_auth_mode({{"kafka.service.account.id", "sa-1"}}), "SERVICE_ACCOUNT");
  EXPECT_EQ(connector_auth_mode({{"connector.class", "S3Sink"}}), "UNKNOWN");
  EXPECT_EQ(connector_auth_mode(json::object()), "UNKNOWN");
}

TEST(ConnectorAuthMode, masked_keys_are_all_asterisks) {
  EXPECT_TRUE(is_masked_api_key("****************"));
  EXPECT_FALSE(is_masked_api_key("ABCD****"));
  EXPECT_FALSE(is_masked_api_key(""));
}

TEST(CcloudApi, connectors_are_read_from_the_expanded_object_keyed_by_name) {
  ApiFixture f;
  f.server.server().Get("/connect/v1/environments/env-1/clusters/lkc-1/connectors",
                        [&](const httplib::Request& req, httplib::Response& res) {
                          f.record(req);
                          reply(res, json::parse(R"({
      "masked": {"id": {"id": "lcc-1", "id_type": "ID"},
                 "info": {"name": "masked", "config": {"connector.class": "S3Sink",
                          "kafka.api.key": "****************", "kafka.api.secret": "****"}},
                 "status": {"connector": {"state": "RUNNING"}, "type": "sink"}},
      "by-sa": {"id": {"id": "lcc-2"},
                "info": {"config": {"kafka.auth.mode": "SERVICE_ACCOUNT",
                                    "kafka.service.account.id": "sa-9"}}},
      "plain-key": {"info": {"config": {"kafka.api.key": "AKEY1"}}},
      "bare": {}})"));
                        });
  f.server.start();
  auto connectors = f.api()->connectors("env-1", "lkc-1");
  ASSERT_TRUE(connectors.is_ok()) << connectors.error();
  ASSERT_EQ(connectors->size(), 4u);
  EXPECT_EQ(f.log[0],
            "/connect/v1/environments/env-1/clusters/lkc-1/connectors?expand=info,status,id");
  std::map<std::string, Resource> by_name;
  for (const auto& c : *connectors) by_name[c.metadata["connector_name"]] = c;
  const auto& masked = by_name.at("masked");
  EXPECT_EQ(masked.id, "lcc-1");
  EXPECT_EQ(masked.type, "connector");
  EXPECT_EQ(masked.parent_id, "lkc-1");
  EXPECT_EQ(masked.metadata["env_id"], "env-1");
  EXPECT_EQ(masked.metadata["kafka_auth_mode"], "KAFKA_API_KEY");
  EXPECT_EQ(masked.metadata["kafka_api_key_masked"], true);
  EXPECT_EQ(masked.metadata["connector_class"], "S3Sink");
  EXPECT_EQ(masked.metadata["state"], "RUNNING");
  EXPECT_EQ(by_name.at("by-sa").metadata["kafka_auth_mode"], "SERVICE_ACCOUNT");
  EXPECT_EQ(by_name.at("by-sa").metadata["kafka_service_account_id"], "sa-9");
  EXPECT_EQ(by_name.at("plain-key").id, "plain-key");  // no id.id: the name
  EXPECT_EQ(by_name.at("plain-key").metadata["kafka_api_key_masked"], false);
  EXPECT_EQ(by_name.at("bare").metadata["kafka_auth_mode"], "UNKNOWN");
}

TEST(CcloudApi, connectors_of_a_deleted_cluster_are_an_empty_list) {
  ApiFixture f;
  f.server.start();
  auto connectors = f.api()->connectors("env-1", "lkc-gone");
  ASSERT_TRUE(connectors.is_ok()) << connectors.error();
  EXPECT_TRUE(connectors->empty());
}

// The listing parsers share their common fields (id, name, environment, created_at,
// resource_name, description); each record is pinned whole so a shared part cannot drift.
TEST(CcloudApiParse, environment_scoped_clusters_share_id_name_environment_and_crn) {
  const json item = json::parse(R"({"id":"X-1","spec":{"display_name":"name",
      "environment":{"id":"env-own"},"cloud":"GCP","region":"europe-west1",
      "kafka_bootstrap_endpoint":"SASL_SSL://b:9092","availability":"MULTI_ZONE",
      "config":{"kind":"Basic","cku":1},"http_endpoint":"https://sr","package":"ESSENTIALS",
      "credential_identity":{"id":"u-9"},"kafka_cluster":{"id":"lkc-9"},"csu":8,"max_cfu":20},
      "metadata":{"created_at":"2024-05-06T07:08:09Z",
      "resource_name":"crn://confluent.cloud/organization=org-9/environment=env-own"}})");
  const json crn = "crn://confluent.cloud/organization=org-9/environment=env-own";
  auto common = [&](const Resource& r, const char* type) {
    EXPECT_EQ(r.id, "X-1");
    EXPECT_EQ(r.type, type);
    EXPECT_EQ(r.display_name, "name");
    EXPECT_EQ(r.parent_id, "env-own");  // the item's own environment wins over the listed one
    EXPECT_EQ(r.created_at, "2024-05-06T07:08:09Z");
  };
  Resource lkc = parse_kafka_cluster(item, "env-listed");
  common(lkc, "kafka_cluster");
  EXPECT_EQ(lkc.metadata, json({{"env_id", "env-own"},
                                {"cloud", "GCP"},
                                {"region", "europe-west1"},
                                {"kafka_bootstrap_endpoint", "SASL_SSL://b:9092"},
                                {"availability", "MULTI_ZONE"},
                                {"cluster_type", "Basic"},
                                {"cku", 1},
                                {"resource_name", crn}}));
  Resource sr = parse_schema_registry(item, "env-listed");
  common(sr, "schema_registry");
  EXPECT_EQ(sr.metadata, json({{"env_id", "env-own"},
                               {"cloud", "GCP"},
                               {"region", "europe-west1"},
                               {"http_endpoint", "https://sr"},
                               {"package", "ESSENTIALS"},
                               {"resource_name", crn}}));
  Resource ksql = parse_ksqldb_cluster(item, "env-listed");
  common(ksql, "ksqldb_cluster");
  EXPECT_EQ(ksql.owner_id, "u-9");
  EXPECT_EQ(ksql.metadata, json({{"env_id", "env-own"},
                                 {"kafka_cluster_id", "lkc-9"},
                                 {"csu", 8},
                                 {"resource_name", crn}}));
  Resource pool = parse_flink_compute_pool(item, "env-listed");
  common(pool, "flink_compute_pool");
  EXPECT_EQ(pool.metadata, json({{"env_id", "env-own"},
                                 {"cloud", "GCP"},
                                 {"region", "europe-west1"},
                                 {"max_cfu", 20},
                                 {"resource_name", crn},
                                 {"org_id", "org-9"}}));

  // Without its own environment, name, date or CRN: the listed environment, nothing invented.
  const json bare = json::parse(R"({"id":"X-2","spec":{}})");
  for (const Resource& r :
       {parse_kafka_cluster(bare, "env-listed"), parse_schema_registry(bare, "env-listed"),
        parse_ksqldb_cluster(bare, "env-listed"), parse_flink_compute_pool(bare, "env-listed")}) {
    EXPECT_EQ(r.id, "X-2");
    EXPECT_EQ(r.display_name, "");
    EXPECT_EQ(r.parent_id, "env-listed");
    EXPECT_EQ(r.created_at, "");
    EXPECT_EQ(r.metadata["env_id"], "env-listed");
    EXPECT_FALSE(r.metadata.contains("resource_name")) << r.type;
    EXPECT_FALSE(r.metadata.contains("cloud")) << r.type;
  }
}

TEST(CcloudApiParse, organizations_environments_and_described_identities_share_their_fields) {
  const json item = json::parse(R"({"id":"I-1","display_name":"shown","full_name":"Full",
      "description":"what it is","metadata":{"created_at":"2024-01-02T03:04:05Z",
      "resource_name":"crn://i"}})");
  Resource org = parse_organization(item);
  EXPECT_EQ(org.id, "I-1");
  EXPECT_EQ(org.type, "organization");
  EXPECT_EQ(org.display_name, "shown");
  EXPECT_EQ(org.parent_id, "");
  EXPECT_EQ(org.created_at, "2024-01-02T03:04:05Z");
  EXPECT_EQ(org.metadata, json({{"resource_name", "crn://i"}}));
  Resource env = parse_environment(item, "org-1");
  EXPECT_EQ(env.type, "environment");
  EXPECT_EQ(env.display_name, "shown");
  EXPECT_EQ(env.parent_id, "org-1");
  EXPECT_EQ(env.created_at, "2024-01-02T03:04:05Z");
  EXPECT_EQ(env.metadata, json({{"resource_name", "crn://i"}}));

  Identity sa = parse_service_account(item);
  Identity idp = parse_identity_provider(item);
  Identity pool = parse_identity_pool(item, "op-1");
  EXPECT_EQ(sa.type, "service_account");
  EXPECT_EQ(idp.type, "identity_provider");
  EXPECT_EQ(pool.type, "identity_pool");
  for (const Identity* i : {&sa, &idp, &pool}) {
    EXPECT_EQ(i->id, "I-1");
    EXPECT_EQ(i->display_name, "shown");
    EXPECT_EQ(i->created_at, "2024-01-02T03:04:05Z");
  }
  EXPECT_EQ(sa.parent_id, "");
  EXPECT_EQ(sa.metadata, json({{"description", "what it is"}}));
  EXPECT_EQ(idp.metadata, json({{"description", "what it is"}}));
  EXPECT_EQ(pool.parent_id, "op-1");
  EXPECT_EQ(pool.metadata, json({{"description", "what it is"}, {"provider_id", "op-1"}}));

  Identity user = parse_user(item);  // named by full_name, with its CRN
  EXPECT_EQ(user.id, "I-1");
  EXPECT_EQ(user.type, "user");
  EXPECT_EQ(user.display_name, "Full");
  EXPECT_EQ(user.created_at, "2024-01-02T03:04:05Z");
  EXPECT_EQ(user.metadata, json({{"resource_name", "crn://i"}}));

  const json bare = json::parse(R"({"id":"I-2"})");
  EXPECT_EQ(parse_organization(bare).metadata, json::object());
  EXPECT_EQ(parse_service_account(bare).metadata, json::object());
  EXPECT_EQ(parse_identity_pool(bare, "op-1").metadata, json({{"provider_id", "op-1"}}));
}

TEST(CcloudApi, org_objects_use_the_endpoint_params_and_page_sizes_of_the_original) {
  ApiFixture f;
  auto& s = f.server.server();
  auto list = [&](json data) {
    return [&f, data](const httplib::Request& req, httplib::Response& res) {
      f.record(req);
      reply(res, {{"data", data}, {"metadata", json::object()}});
    };
  };
  s.Get("/org/v2/organizations", list(json::parse(R"([{"id":"org-1","display_name":"Acme",
        "metadata":{"created_at":"2024-01-01T00:00:00Z"}}])")));
  s.Get("/org/v2/environments", list(json::parse(R"([{"id":"env-1","display_name":"prod",
        "metadata":{"created_at":"2024-02-01T00:00:00Z"}}])")));
  s.Get("/cmk/v2/clusters", list(json::parse(R"([{"id":"lkc-1","spec":{"display_name":"main",
        "environment":{"id":"env-1"},"cloud":"AWS","region":"us-east-1",
        "kafka_bootstrap_endpoint":"SASL_SSL://pkc:9092","config":{"kind":"Dedicated","cku":2}},
        "metadata":{"created_at":"2024-03-01T00:00:00Z"}}])")));
  s.Get("/srcm/v3/clusters", list(json::parse(R"([{"id":"lsrc-1","spec":{"display_name":"sr",
        "environment":{"id":"env-1"},"cloud":"AWS","region":"us-east-1",
        "http_endpoint":"https://psrc"},"metadata":{"resource_name":"crn://x"}}])")));
  s.Get("/ksqldbcm/v2/clusters", list(json::parse(R"([
        {"id":"lksqlc-1","spec":{"display_name":"k","credential_identity":{"id":"sa-7"},
         "kafka_cluster":{"id":"lkc-1"},"csu":4}},
        {"id":"lksqlc-2","spec":{"display_name":"k2"}}])")));
  s.Get("/fcpm/v2/compute-pools", list(json::parse(R"([{"id":"lfcp-1","spec":{
        "display_name":"pool","cloud":"AWS","region":"us-east-1","max_cfu":10},
        "metadata":{"resource_name":
        "crn://confluent.cloud/organization=org-1/environment=env-1/flink-region=aws.us-east-1/compute-pool=lfcp-1"}}])")));
  s.Get("/iam/v2/service-accounts", list(json::parse(R"([{"id":"sa-1","display_name":"app",
        "description":"d","metadata":{"created_at":"2024-01-02T00:00:00Z"}}])")));
  s.Get("/iam/v2/users", list(json::parse(R"([{"id":"u-1","full_name":"Ada",
        "metadata":{"resource_name":"crn://u"}}])")));
  s.Get("/iam/v2/api-keys", list(json::parse(R"([{"id":"AKEY1","spec":{"display_name":"",
        "description":"ci","owner":{"id":"sa-1"},"resource":{"id":"lkc-1","kind":"Cluster"}}}])")));
  s.Get("/iam/v2/identity-providers",
        list(json::parse(R"([{"id":"op-1","display_name":"okta"}])")));
  s.Get("/iam/v2/identity-providers/op-1/identity-pools",
        list(json::parse(R"([{"id":"pool-1","display_name":"p","description":"x"}])")));
  f.server.start();
  auto api = f.api();

  auto orgs = api->organizations();
  ASSERT_TRUE(orgs.is_ok()) << orgs.error();
  EXPECT_EQ((*orgs)[0].display_name, "Acme");
  auto envs = api->environments("org-1");
  ASSERT_TRUE(envs.is_ok());
  EXPECT_EQ((*envs)[0].parent_id, "org-1");
  EXPECT_EQ((*envs)[0].created_at, "2024-02-01T00:00:00Z");
  auto clusters = api->kafka_clusters("env-1");
  ASSERT_TRUE(clusters.is_ok());
  const Resource& lkc = (*clusters)[0];
  EXPECT_EQ(lkc.type, "kafka_cluster");
  EXPECT_EQ(lkc.display_name, "main");
  EXPECT_EQ(lkc.parent_id, "env-1");
  EXPECT_EQ(lkc.metadata["cloud"], "AWS");
  EXPECT_EQ(lkc.metadata["cku"], 2);
  auto srs = api->schema_registries("env-1");
  ASSERT_TRUE(srs.is_ok());
  EXPECT_EQ((*srs)[0].metadata["http_endpoint"], "https://psrc");
  auto ksql = api->ksqldb_clusters("env-1");
  ASSERT_TRUE(ksql.is_ok());
  EXPECT_EQ((*ksql)[0].owner_id, "sa-7");
  EXPECT_EQ((*ksql)[0].metadata["csu"], 4);
  EXPECT_EQ((*ksql)[1].owner_id, "ksqldb_owner_unknown");
  auto pools = api->flink_compute_pools("env-1");
  ASSERT_TRUE(pools.is_ok());
  EXPECT_EQ((*pools)[0].metadata["org_id"], "org-1");
  auto sas = api->service_accounts();
  ASSERT_TRUE(sas.is_ok());
  EXPECT_EQ((*sas)[0].type, "service_account");
  auto users = api->users();
  ASSERT_TRUE(users.is_ok());
  EXPECT_EQ((*users)[0].display_name, "Ada");
  auto keys = api->api_keys();
  ASSERT_TRUE(keys.is_ok());
  EXPECT_EQ((*keys)[0].owner_id, "sa-1");
  EXPECT_EQ((*keys)[0].display_name, "AKEY1");
  EXPECT_EQ((*keys)[0].metadata["owner_id"], "sa-1");
  EXPECT_EQ((*keys)[0].metadata["resource_id"], "lkc-1");
  auto idps = api->identity_providers();
  ASSERT_TRUE(idps.is_ok());
  auto idpools = api->identity_pools("op-1");
  ASSERT_TRUE(idpools.is_ok());
  EXPECT_EQ((*idpools)[0].parent_id, "op-1");
  EXPECT_EQ((*idpools)[0].type, "identity_pool");

  EXPECT_EQ(f.log, (std::vector<std::string>{
                       "/org/v2/organizations?page_size=99",
                       "/org/v2/environments?page_size=99",
                       "/cmk/v2/clusters?environment=env-1&page_size=99",
                       "/srcm/v3/clusters?environment=env-1&page_size=50",
                       "/ksqldbcm/v2/clusters?environment=env-1&page_size=100",
                       "/fcpm/v2/compute-pools?environment=env-1&page_size=50",
                       "/iam/v2/service-accounts?page_size=99",
                       "/iam/v2/users?page_size=99",
                       "/iam/v2/api-keys?page_size=100",
                       "/iam/v2/identity-providers?page_size=99",
                       "/iam/v2/identity-providers/op-1/identity-pools?page_size=99",
                   }));
}

TEST(CcloudApi, flink_statements_come_from_the_regional_gateway_with_the_region_key) {
  ApiFixture f;
  FakeServer flink;
  std::string authorization, page_size;
  flink.server().Get("/sql/v1/organizations/org-1/environments/env-1/statements",
                     [&](const httplib::Request& req, httplib::Response& res) {
                       authorization = req.get_header_value("Authorization");
                       page_size = req.get_param_value("page_size");
                       reply(res, json::parse(R"({"data":[
        {"name":"stmt-a","metadata":{"uid":"uid-a","created_at":"2026-01-01T00:00:00Z"},
         "spec":{"compute_pool_id":"lfcp-1","principal":"sa-1"},"status":{"phase":"RUNNING"}},
        {"name":"stmt-b","metadata":{},"spec":{"compute_pool":{"id":"lfcp-1"},
         "principal":"u-2"},"status":{"phase":"STOPPED"}}],"metadata":{}})"));
                     });
  flink.start();
  f.server.start();
  CcloudSettings settings;
  settings.flink.push_back({"us-east-1", "aws", "FKEY", "fsecret", flink.url()});
  auto api = f.api(settings);

  Resource pool;
  pool.id = "lfcp-1";
  pool.type = "flink_compute_pool";
  pool.parent_id = "env-1";
  pool.metadata = {
      {"env_id", "env-1"}, {"cloud", "AWS"}, {"region", "us-east-1"}, {"org_id", "org-1"}};
  Resource other_region = pool;
  other_region.id = "lfcp-2";
  other_region.metadata["region"] = "eu-west-1";  // no credentials: skipped

  auto statements = api->flink_statements({pool, other_region, pool});
  ASSERT_TRUE(statements.is_ok()) << statements.error();
  ASSERT_EQ(statements->size(), 2u);
  EXPECT_EQ(authorization, "Basic RktFWTpmc2VjcmV0");
  EXPECT_EQ(page_size, "50");
  const Resource& a = (*statements)[0];
  EXPECT_EQ(a.id, "uid-a");
  EXPECT_EQ(a.type, "flink_statement");
  EXPECT_EQ(a.display_name, "stmt-a");
  EXPECT_EQ(a.parent_id, "lfcp-1");
  EXPECT_EQ(a.owner_id, "sa-1");
  EXPECT_EQ(a.metadata["is_stopped"], false);
  EXPECT_EQ(a.metadata["org_id"], "org-1");
  const Resource& b = (*statements)[1];
  EXPECT_EQ(b.id, "stmt-b");  // no uid: the name
  EXPECT_EQ(b.parent_id, "lfcp-1");
  EXPECT_EQ(b.metadata["is_stopped"], true);
}

TEST(CcloudApi, organization_id_is_read_from_the_pool_crn) {
  EXPECT_EQ(organization_from_crn("crn://confluent.cloud/organization=abc-123/environment=env-1"),
            "abc-123");
  EXPECT_EQ(organization_from_crn("crn://confluent.cloud/organization=abc"), "abc");
  EXPECT_EQ(organization_from_crn("crn://confluent.cloud/environment=env-1"), "");
}

TEST(CcloudApi, billing_is_queried_per_days_per_query_window_and_merged_per_window) {
  ApiFixture f;
  f.server.server().Get(
      "/billing/v1/costs", [&](const httplib::Request& req, httplib::Response& res) {
        f.record(req);
        const std::string start = req.get_param_value("start_date");
        if (start == "2026-02-01" && req.get_param_value("page_token").empty()) {
          res.set_content(R"({"data":[{"start_date":"2026-02-01","product":"SCHEMA_REGISTRY",
        "line_type":"NUM_RULES","quantity":240,"price":0.023,"amount":5.52,
        "resource":{"id":"lsrc-test","environment":{"id":"env-1"}}}],
        "metadata":{"next":"https://api.confluent.cloud/billing/v1/costs?page_token=p2"}})",
                          "application/json");
        } else if (start == "2026-02-01") {
          res.set_content(R"({"data":[{"start_date":"2026-02-01","product":"SCHEMA_REGISTRY",
        "line_type":"NUM_RULES","quantity":72,"price":0.0345,"amount":2.484,
        "resource":{"id":"lsrc-test","environment":{"id":"env-1"}}}],"metadata":{}})",
                          "application/json");
        } else {
          res.set_content(R"({"data":[{"start_date":")" + start + R"(","product":"KAFKA",
        "line_type":"KAFKA_BASE","amount":1.10,"resource":{"id":"lkc-1"}}]})",
                          "application/json");
        }
      });
  f.server.start();
  CcloudSettings settings;
  settings.billing_api.days_per_query = 2;
  auto api = f.api(settings);
  auto lines = api->billing_lines(*CivilDate::parse("2026-02-01"), *CivilDate::parse("2026-02-06"));
  ASSERT_TRUE(lines.is_ok()) << lines.error();
  EXPECT_EQ(f.log, (std::vector<std::string>{
                       "/billing/v1/costs?end_date=2026-02-03&page_size=2000&start_date=2026-02-01",
                       "/billing/v1/costs?end_date=2026-02-03&page_size=2000&page_token=p2&"
                       "start_date=2026-02-01",
                       "/billing/v1/costs?end_date=2026-02-05&page_size=2000&start_date=2026-02-03",
                       "/billing/v1/costs?end_date=2026-02-06&page_size=2000&start_date=2026-02-05",
                   }));
  ASSERT_EQ(lines->size(), 3u);
  EXPECT_EQ((*lines)[0].total_cost, "8.004");
  EXPECT_EQ((*lines)[0].quantity, "312");
  EXPECT_EQ((*lines)[0].unit_price, "0");
  EXPECT_EQ((*lines)[1].total_cost, "1.10");
  EXPECT_EQ((*lines)[1].resource_id, "lkc-1");
  EXPECT_EQ((*lines)[2].date, "2026-02-05");
}

TEST(CcloudApi, a_failing_endpoint_names_itself_in_the_error) {
  ApiFixture f;
  f.server.server().Get("/iam/v2/api-keys",
                        [&](const httplib::Request&, httplib::Response& res) { res.status = 401; });
  f.server.start();
  auto keys = f.api()->api_keys();
  ASSERT_FALSE(keys.is_ok());
  EXPECT_EQ(keys.error(), "authentication failed (HTTP 401) for /iam/v2/api-keys");
}

}  // namespace
}  // namespace chitragupt::ccloud
