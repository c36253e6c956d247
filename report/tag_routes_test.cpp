// Tags: per-entity CRUD with 404/409/422, listings, bulk and bulk-by-filter, on both engines.

#include "report/report_test_fixture.hpp"

namespace chitragupt::report {
namespace {

using testing::fact;
using testing::json;

const std::string kEntityTags = "/tenants/{tenant}/entities/{entity_type}/{entity_id}/tags";
const std::string kEntityTag = kEntityTags + "/{tag_key}";

class TagRoutes : public testing::ReportTest {
 protected:
  void SetUp() override {
    ReportTest::SetUp();
    if (not_runnable()) return;
    add_resource("lkc-1", "kafka_cluster");
    add_identity("sa-1", "service_account");
    add_identity("sa-2", "service_account");
  }
  Response post_tag(const std::string& type, const std::string& id, const std::string& body) {
    return call("POST", kEntityTags, {}, {{"entity_type", type}, {"entity_id", id}}, body);
  }
  std::string code(const Response& r) {
    auto b = json::parse(r.body, nullptr, false);
    return b.is_object() ? b["error"]["code"].get<std::string>() : "";
  }
};
CHITRAGUPT_ON_BOTH_ENGINES(TagRoutes);

TEST_P(TagRoutes, create_read_update_delete) {
  Response created = post_tag("identity", "sa-1",
                              R"({"tag_key":"team","tag_value":"payments","created_by":"ana"})");
  ASSERT_EQ(created.status, 201) << created.body;
  json tag = json::parse(created.body);
  EXPECT_EQ(tag["entity_type"], "identity");
  EXPECT_EQ(tag["entity_id"], "sa-1");
  EXPECT_EQ(tag["tag_key"], "team");
  EXPECT_EQ(tag["tag_value"], "payments");
  EXPECT_EQ(tag["created_by"], "ana");
  EXPECT_EQ(tag["tenant_id"], "t1");
  EXPECT_TRUE(tag["tag_id"].is_number_integer());

  json listed = get_ok("/entities/{entity_type}/{entity_id}/tags", {},
                       {{"entity_type", "identity"}, {"entity_id", "sa-1"}});
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0], tag);

  Response updated = call("PUT", kEntityTag, {},
                          {{"entity_type", "identity"}, {"entity_id", "sa-1"}, {"tag_key", "team"}},
                          R"({"tag_value":"billing"})");
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(json::parse(updated.body)["tag_value"], "billing");

  Response deleted =
      call("DELETE", kEntityTag, {},
           {{"entity_type", "identity"}, {"entity_id", "sa-1"}, {"tag_key", "team"}});
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.empty());
  EXPECT_TRUE(get_ok("/entities/{entity_type}/{entity_id}/tags", {},
                     {{"entity_type", "identity"}, {"entity_id", "sa-1"}})
                  .empty());
}

TEST_P(TagRoutes, duplicate_is_409_unknown_is_404_bad_type_or_body_is_422) {
  ASSERT_EQ(post_tag("resource", "lkc-1", R"({"tag_key":"team","tag_value":"a"})").status, 201);
  Response dup = post_tag("resource", "lkc-1", R"({"tag_key":"team","tag_value":"b"})");
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(code(dup), "conflict");
  EXPECT_EQ(post_tag("resource", "lkc-404", R"({"tag_key":"team","tag_value":"a"})").status, 404);
  Response bad_type = post_tag("topic", "lkc-1", R"({"tag_key":"team","tag_value":"a"})");
  EXPECT_EQ(bad_type.status, 422);
  EXPECT_EQ(code(bad_type), "invalid_entity_type");
  EXPECT_EQ(post_tag("resource", "lkc-1", "not json").status, 422);
  EXPECT_EQ(post_tag("resource", "lkc-1", R"({"tag_value":"a"})").status, 422);
  EXPECT_EQ(post_tag("resource", "lkc-1", R"({"tag_key":"has space","tag_value":"a"})").status,
            422);
  EXPECT_EQ(post_tag("resource", "lkc-1",
                     R"({"tag_key":"k","tag_value":")" + std::string(501, 'v') + R"("})")
                .status,
            422);
  EXPECT_EQ(call("PUT", kEntityTag, {},
                 {{"entity_type", "resource"}, {"entity_id", "lkc-1"}, {"tag_key", "nope"}},
                 R"({"tag_value":"x"})")
                .status,
            404);
  EXPECT_EQ(call("DELETE", kEntityTag, {},
                 {{"entity_type", "resource"}, {"entity_id", "lkc-1"}, {"tag_key", "nope"}})
                .status,
            404);
  EXPECT_EQ(call("DELETE", kEntityTag, {},
                 {{"entity_type", "user"}, {"entity_id", "lkc-1"}, {"tag_key", "team"}})
                .status,
            422);
}

TEST_P(TagRoutes, listings_keys_and_values) {
  ASSERT_EQ(post_tag("resource", "lkc-1", R"({"tag_key":"team","tag_value":"core"})").status, 201);
  ASSERT_EQ(post_tag("identity", "sa-1", R"({"tag_key":"team","tag_value":"payments"})").status,
            201);
  ASSERT_EQ(post_tag("identity", "sa-2", R"({"tag_key":"cost-center","tag_value":"42"})").status,
            201);
  json all = get_ok("/tags");
  EXPECT_EQ(all["total"], 3);
  json identities =
      get_ok("/tags", {{"entity_type", "identity"}, {"page_size", "1"}, {"page", "2"}});
  EXPECT_EQ(identities["total"], 2);
  EXPECT_EQ(identities["pages"], 2);
  ASSERT_EQ(identities["items"].size(), 1u);
  EXPECT_EQ(identities["items"][0]["entity_id"], "sa-2");
  expect_bad(get("/tags", {{"entity_type", "topic"}}), "entity_type");
  EXPECT_EQ(get_ok("/tags/keys"), json({{"keys", {"cost-center", "team"}}}));
  EXPECT_EQ(get_ok("/tags/keys/{tag_key}/values", {}, {{"tag_key", "team"}}),
            json({{"values", {"core", "payments"}}}));
  EXPECT_EQ(get_ok("/tags/keys/{tag_key}/values", {{"q", "pay"}}, {{"tag_key", "team"}}),
            json({{"values", {"payments"}}}));
}

TEST_P(TagRoutes, bulk_creates_updates_and_skips) {
  ASSERT_EQ(post_tag("identity", "sa-1", R"({"tag_key":"team","tag_value":"old"})").status, 201);
  const std::string items =
      R"([{"entity_type":"identity","entity_id":"sa-1","tag_key":"team","tag_value":"new"},
          {"entity_type":"identity","entity_id":"sa-2","tag_key":"team","tag_value":"new"},
          {"entity_type":"resource","entity_id":"lkc-1","tag_key":"team","tag_value":"new"},
          {"entity_type":"resource","entity_id":"ghost","tag_key":"team","tag_value":"new"}])";
  Response keep = call("POST", "/tenants/{tenant}/tags/bulk", {}, {},
                       R"({"items":)" + items + R"(,"override_existing":false})");
  ASSERT_EQ(keep.status, 200) << keep.body;
  EXPECT_EQ(json::parse(keep.body),
            json({{"created_count", 2}, {"updated_count", 0}, {"skipped_count", 2}}));
  Response over = call("POST", "/tenants/{tenant}/tags/bulk", {}, {},
                       R"({"items":)" + items + R"(,"override_existing":true})");
  EXPECT_EQ(json::parse(over.body),
            json({{"created_count", 0}, {"updated_count", 1}, {"skipped_count", 3}}));
  EXPECT_EQ(get_ok("/tags/keys/{tag_key}/values", {}, {{"tag_key", "team"}}),
            json({{"values", {"new"}}}));
  EXPECT_EQ(call("POST", "/tenants/{tenant}/tags/bulk", {}, {}, R"({"items":[]})").status, 422);
  EXPECT_EQ(
      call("POST", "/tenants/{tenant}/tags/bulk", {}, {},
           R"({"items":[{"entity_type":"topic","entity_id":"x","tag_key":"k","tag_value":"v"}]})")
          .status,
      422);
}

TEST_P(TagRoutes, bulk_by_filter_tags_the_resource_else_the_identity) {
  write_facts({fact("2026-01-10 00:00:00", "sa-1", 100, "usage", "lkc-1"),
               fact("2026-01-10 00:00:00", "sa-2", 100, "usage", ""),
               fact("2026-01-10 00:00:00", "ghost", 100, "usage", "")});
  Response r = call("POST", "/tenants/{tenant}/tags/bulk-by-filter", {}, {},
                    R"({"start_date":"2026-01-01","end_date":"2026-01-31","tag_key":"owner",
                        "tag_value":"data","created_by":"ops"})");
  ASSERT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["created_count"], 2);
  EXPECT_EQ(body["skipped_count"], 0);
  ASSERT_EQ(body["errors"].size(), 1u);
  json tags = get_ok("/tags");
  ASSERT_EQ(tags["total"], 2);
  std::set<std::string> targets;
  for (const auto& t : tags["items"])
    targets.insert(t["entity_type"].get<std::string>() + ":" + t["entity_id"].get<std::string>());
  EXPECT_EQ(targets, (std::set<std::string>{"resource:lkc-1", "identity:sa-2"}));
  Response bad =
      call("POST", "/tenants/{tenant}/tags/bulk-by-filter", {}, {},
           R"({"start_date":"2026-02-01","end_date":"2026-01-01","tag_key":"k","tag_value":"v"})");
  expect_bad(bad, "start_date");
}

}  // namespace
}  // namespace chitragupt::report
