// Every simulator endpoint, validated against the official Confluent Cloud OpenAPI schemas.
#include <map>
#include <memory>

#include <gtest/gtest.h>

#include "sim/openapi_validator.hpp"
#include "sim/test_support.hpp"
#include "sim/truth.hpp"

namespace ccloud_sim::testing {
namespace {

class Conformance : public ::testing::TestWithParam<Preset> {
 protected:
  static std::map<std::string, std::unique_ptr<OpenApiDocument>>& documents() {
    static std::map<std::string, std::unique_ptr<OpenApiDocument>> loaded;
    return loaded;
  }

  const OpenApiDocument& document(const std::string& file) {
    auto& loaded = documents();
    auto it = loaded.find(file);
    if (it == loaded.end()) {
      auto doc = std::make_unique<OpenApiDocument>(
          yaml_to_json(YAML::LoadFile(openapi_dir() + "/" + file)));
      it = loaded.emplace(file, std::move(doc)).first;
    }
    return *it->second;
  }

  void SetUp() override {
    CHITRAGUPT_REQUIRE_OPENAPI();
    server_ = std::make_unique<TestServer>(test_options(11, GetParam()));
    ASSERT_TRUE(server_->started());
  }

  // GETs every page of `url` and validates each body against the 200 schema of
  // `spec_path` in `file`. Returns the items (or the whole body for non-list answers).
  std::vector<json> check_list(const std::string& file, const std::string& spec_path,
                               const std::string& url) {
    const json* schema = document(file).response_schema(spec_path, "get", "200");
    EXPECT_NE(schema, nullptr) << file << " has no 200 schema for " << spec_path;
    auto client = server_->client();
    std::vector<json> items;
    for (const auto& page : get_all_pages(client, url)) {
      EXPECT_TRUE(page.parsed.is_object() || page.parsed.is_array()) << url;
      if (schema != nullptr) {
        for (const auto& error : document(file).validate(page.parsed, *schema)) {
          ADD_FAILURE() << url << " violates " << file << " " << spec_path << ": " << error;
        }
      }
      if (page.parsed.is_object() && page.parsed.contains("data")) {
        for (const auto& item : page.parsed["data"]) items.push_back(item);
      } else {
        items.push_back(page.parsed);
      }
    }
    return items;
  }

  std::unique_ptr<TestServer> server_;
};

TEST_P(Conformance, every_endpoint_matches_its_official_schema) {
  const auto& model = server_->sim().model();
  const std::string start = format_date(model.start_day);
  const std::string end = format_date(model.end_day);

  auto costs =
      check_list("billing-v1.yaml", "/billing/v1/costs",
                 "/billing/v1/costs?start_date=" + start + "&end_date=" + end + "&page_size=2000");
  EXPECT_EQ(costs.size(), server_->sim().ledger().rows().size());

  EXPECT_EQ(check_list("org-v2.yaml", "/org/v2/organizations", "/org/v2/organizations").size(), 1u);
  auto envs = check_list("org-v2.yaml", "/org/v2/environments", "/org/v2/environments?page_size=3");
  ASSERT_FALSE(envs.empty());

  size_t clusters = 0, connectors = 0, statements = 0;
  for (const auto& env : envs) {
    const std::string id = env["id"];
    auto lkcs = check_list("cmk-v2.yaml", "/cmk/v2/clusters", "/cmk/v2/clusters?environment=" + id);
    clusters += lkcs.size();
    check_list("srcm-v3.yaml", "/srcm/v3/clusters", "/srcm/v3/clusters?environment=" + id);
    check_list("srcm-v2.yaml", "/srcm/v2/clusters", "/srcm/v2/clusters?environment=" + id);
    check_list("ksql-v2.yaml", "/ksqldbcm/v2/clusters", "/ksqldbcm/v2/clusters?environment=" + id);
    check_list("flink-v2.yaml", "/fcpm/v2/compute-pools",
               "/fcpm/v2/compute-pools?environment=" + id + "&page_size=2");
    statements += check_list("flink-gateway-v1.yaml",
                             "/sql/v1/organizations/{organization_id}/environments/"
                             "{environment_id}/statements",
                             "/sql/v1/organizations/" + model.organization.id + "/environments/" +
                                 id + "/statements?page_size=4")
                      .size();
    for (const auto& lkc : lkcs) {
      const std::string base = "/connect/v1/environments/" + id + "/clusters/" +
                               lkc["id"].get<std::string>() + "/connectors";
      auto expanded = check_list("connect-v1.yaml",
                                 "/connect/v1/environments/{environment_id}/clusters/"
                                 "{kafka_cluster_id}/connectors?expand=info,status,id",
                                 base + "?expand=info,status,id");
      ASSERT_EQ(expanded.size(), 1u);
      connectors += expanded[0].size();
      check_list("connect-v1.yaml",
                 "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors",
                 base);
    }
  }
  const json truth = truth_json(model, server_->sim().ledger());
  EXPECT_EQ(clusters, truth["objects"]["kafka_clusters"].get<size_t>());
  EXPECT_EQ(connectors, truth["objects"]["connectors"].get<size_t>());
  EXPECT_EQ(statements, truth["objects"]["flink_statements"].get<size_t>());

  check_list("iam-v2.yaml", "/iam/v2/service-accounts", "/iam/v2/service-accounts?page_size=100");
  check_list("iam-v2.yaml", "/iam/v2/users", "/iam/v2/users?page_size=100");
  check_list("apikeys-v2.yaml", "/iam/v2/api-keys", "/iam/v2/api-keys?page_size=100");
  auto providers = check_list("identity-provider-v2.yaml", "/iam/v2/identity-providers",
                              "/iam/v2/identity-providers");
  for (const auto& provider : providers) {
    check_list(
        "identity-provider-v2.yaml", "/iam/v2/identity-providers/{provider_id}/identity-pools",
        "/iam/v2/identity-providers/" + provider["id"].get<std::string>() + "/identity-pools");
  }
}

TEST_P(Conformance, error_bodies_match_the_failure_schema) {
  const auto& doc = document("billing-v1.yaml");
  const json* unauthorized = doc.response_schema("/billing/v1/costs", "get", "401");
  const json* bad_request = doc.response_schema("/billing/v1/costs", "get", "400");
  ASSERT_NE(unauthorized, nullptr);
  ASSERT_NE(bad_request, nullptr);

  auto anonymous = server_->client(false);
  auto res = anonymous.Get("/billing/v1/costs?start_date=2026-01-01&end_date=2026-01-02");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_TRUE(doc.validate(json::parse(res->body), *unauthorized).empty()) << res->body;

  auto client = server_->client();
  res = client.Get("/billing/v1/costs?start_date=2026-01-01");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_TRUE(doc.validate(json::parse(res->body), *bad_request).empty()) << res->body;
}

INSTANTIATE_TEST_SUITE_P(Presets, Conformance, ::testing::Values(Preset::kSmall, Preset::kMedium),
                         [](const auto& info) { return preset_name(info.param); });

}  // namespace
}  // namespace ccloud_sim::testing
