#include "sim/openapi_validator.hpp"

#include <gtest/gtest.h>

#include "sim/test_support.hpp"

namespace ccloud_sim::testing {
namespace {

const json kDoc = json::parse(R"({
  "components": {"schemas": {
    "Ref": {"type": "object", "required": ["id"],
            "properties": {"id": {"type": "string", "minLength": 1},
                           "related": {"type": "string", "format": "uri"}}},
    "Thing": {"type": "object",
      "properties": {
        "kind": {"type": "string", "enum": ["Thing"]},
        "count": {"type": "integer", "minimum": 0},
        "when": {"type": "string", "format": "date-time"},
        "day": {"type": "string", "format": "date"},
        "owner": {"allOf": [{"$ref": "#/components/schemas/Ref"}], "nullable": true},
        "maybe": {"allOf": [{"$ref": "#/components/schemas/Ref"}, {"nullable": true}]},
        "strict": {"$ref": "#/components/schemas/Ref"},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
        "config": {"type": "object", "additionalProperties": {"type": "string"}},
        "choice": {"oneOf": [{"type": "object", "required": ["a"]},
                             {"type": "object", "required": ["b"]}]},
        "name": {"type": "string", "pattern": "^[a-z]+$"}
      }}
  }}
})");

class Walker : public ::testing::Test {
 protected:
  std::vector<std::string> errors(const json& value) {
    return doc_.validate(value, *doc_.component_schema("Thing"));
  }
  OpenApiDocument doc_{kDoc};
};

TEST_F(Walker, accepts_a_conforming_value) {
  EXPECT_TRUE(errors(json::parse(R"({"kind":"Thing","count":3,"when":"2026-02-01T00:00:00Z",
      "day":"2026-02-01","owner":null,"maybe":null,"strict":{"id":"x","related":"https://a/b"},
      "tags":["a","b"],"config":{"k":"v"},"choice":{"b":1},"name":"abc"})"))
                  .empty());
}

TEST_F(Walker, follows_refs_and_reports_missing_required_properties) {
  auto e = errors(json::parse(R"({"strict":{"related":"https://x"}})"));
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].find("$.strict: missing required property \"id\""), std::string::npos) << e[0];
}

TEST_F(Walker, null_needs_nullable_on_the_schema_or_an_allof_member) {
  EXPECT_TRUE(errors(json::parse(R"({"owner":null,"maybe":null})")).empty());
  EXPECT_FALSE(errors(json::parse(R"({"strict":null})")).empty());
}

TEST_F(Walker, checks_types_enums_formats_and_bounds) {
  EXPECT_FALSE(errors(json::parse(R"({"kind":"Other"})")).empty());
  EXPECT_FALSE(errors(json::parse(R"({"count":1.5})")).empty());
  EXPECT_TRUE(errors(json::parse(R"({"count":2.0})")).empty());
  EXPECT_FALSE(errors(json::parse(R"({"count":-1})")).empty());
  EXPECT_FALSE(errors(json::parse(R"({"when":"2026-02-01 00:00"})")).empty());
  EXPECT_TRUE(errors(json::parse(R"({"when":"2026-02-01T00:00:00.123+05:30"})")).empty());
  EXPECT_FALSE(errors(json::parse(R"({"day":"01/02/2026"})")).empty());
  EXPECT_FALSE(errors(json::parse(R"({"strict":{"id":""}})")).empty());
  EXPECT_FALSE(errors(json::parse(R"({"name":"ABC"})")).empty());
}

TEST_F(Walker, checks_items_uniqueness_and_additional_properties) {
  EXPECT_FALSE(errors(json::parse(R"({"tags":["a",1]})")).empty());
  EXPECT_FALSE(errors(json::parse(R"({"tags":["a","a"]})")).empty());
  EXPECT_FALSE(errors(json::parse(R"({"config":{"k":3}})")).empty());
}

TEST_F(Walker, one_of_needs_any_branch_to_match) {
  EXPECT_TRUE(errors(json::parse(R"({"choice":{"a":1}})")).empty());
  EXPECT_FALSE(errors(json::parse(R"({"choice":{"c":1}})")).empty());
}

TEST_F(Walker, reports_unresolvable_refs) {
  auto e = doc_.validate(json::object(), json{{"$ref", "#/components/schemas/Missing"}});
  ASSERT_EQ(e.size(), 1u);
}

// The walker on the real descriptions: a real response passes, mutations of it fail.
TEST(WalkerOnOfficialSchemas, detects_mutations_of_a_real_response) {
  CHITRAGUPT_REQUIRE_OPENAPI();
  OpenApiDocument cmk(yaml_to_json(YAML::LoadFile(openapi_dir() + "/cmk-v2.yaml")));
  const json* schema = cmk.response_schema("/cmk/v2/clusters", "get", "200");
  ASSERT_NE(schema, nullptr);
  TestServer server(test_options());
  ASSERT_TRUE(server.started());
  auto client = server.client();
  const std::string env = server.sim().model().environments[0].id;
  auto res = client.Get(("/cmk/v2/clusters?environment=" + env).c_str());
  ASSERT_TRUE(res);
  const json body = json::parse(res->body);
  ASSERT_TRUE(cmk.validate(body, *schema).empty());

  json missing_spec_field = body;
  missing_spec_field["data"][0]["spec"].erase("region");
  EXPECT_FALSE(cmk.validate(missing_spec_field, *schema).empty());

  json wrong_kind = body;
  wrong_kind["kind"] = "Cluster";
  EXPECT_FALSE(cmk.validate(wrong_kind, *schema).empty());

  json bad_config = body;
  bad_config["data"][0]["spec"]["config"] = {{"kind", "Dedicated"}};  // no cku: no oneOf branch
  EXPECT_FALSE(cmk.validate(bad_config, *schema).empty());

  json bad_time = body;
  bad_time["data"][0]["metadata"]["created_at"] = "yesterday";
  EXPECT_FALSE(cmk.validate(bad_time, *schema).empty());

  OpenApiDocument connect(yaml_to_json(YAML::LoadFile(openapi_dir() + "/connect-v1.yaml")));
  const json* map_schema = connect.response_schema(
      "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/"
      "connectors?expand=info,status,id",
      "get", "200");
  ASSERT_NE(map_schema, nullptr);
  const json entry = {{"info", {{"name", "x"}, {"config", {{"name", "x"}}}}}};
  EXPECT_FALSE(connect.validate(json{{"x", entry}}, *map_schema).empty());
}

TEST(YamlToJson, keeps_quoted_scalars_as_strings_and_types_plain_ones) {
  const json j =
      yaml_to_json(YAML::Load("a: \"400\"\nb: 400\nc: true\nd: 2022-10-12\ne: 1.5\nf: ~\n"));
  EXPECT_EQ(j["a"], "400");
  EXPECT_EQ(j["b"], 400);
  EXPECT_EQ(j["c"], true);
  EXPECT_EQ(j["d"], "2022-10-12");
  EXPECT_EQ(j["e"], 1.5);
  EXPECT_TRUE(j["f"].is_null());
}

}  // namespace
}  // namespace ccloud_sim::testing
