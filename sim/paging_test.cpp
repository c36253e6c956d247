// page_size / page_token / metadata.next: every item exactly once, limits, bad tokens.
#include <set>

#include <gtest/gtest.h>

#include "sim/paging.hpp"
#include "sim/test_support.hpp"

namespace ccloud_sim::testing {
namespace {

class Paging : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.started()); }
  TestServer server_{test_options(5, Preset::kMedium)};
};

// Pages through `url` with small pages and checks that ids are all distinct and match the
// single-page listing.
void expect_each_item_once(httplib::Client& client, const std::string& small_pages,
                           const std::string& one_page, size_t expected) {
  std::vector<std::string> paged;
  const auto pages = get_all_pages(client, small_pages);
  for (size_t i = 0; i < pages.size(); ++i) {
    const auto& meta = pages[i].parsed["metadata"];
    EXPECT_EQ(meta.contains("next"), i + 1 < pages.size()) << small_pages << " page " << i;
    if (meta.contains("total_size")) {
      EXPECT_EQ(meta["total_size"].get<size_t>(), expected);
    }
    for (const auto& item : pages[i].parsed["data"]) paged.push_back(item["id"]);
  }
  EXPECT_GT(pages.size(), 1u) << small_pages;
  const std::set<std::string> distinct(paged.begin(), paged.end());
  EXPECT_EQ(distinct.size(), paged.size()) << "an item came twice: " << small_pages;
  EXPECT_EQ(paged.size(), expected) << small_pages;
  std::vector<std::string> whole;
  for (const auto& item : all_items(client, one_page)) whole.push_back(item["id"]);
  EXPECT_EQ(paged, whole) << "paging changed the order or the content of " << one_page;
}

TEST_F(Paging, small_pages_cover_every_item_exactly_once) {
  auto client = server_.client();
  const auto& m = server_.sim().model();
  const std::string window =
      "start_date=" + format_date(m.start_day) + "&end_date=" + format_date(m.end_day);
  expect_each_item_once(client, "/billing/v1/costs?" + window + "&page_size=37",
                        "/billing/v1/costs?" + window + "&page_size=10000",
                        server_.sim().ledger().rows().size());
  size_t accounts = 0;
  for (const auto& sa : m.service_accounts) accounts += sa.life.listed() ? 1 : 0;
  expect_each_item_once(client, "/iam/v2/service-accounts?page_size=7",
                        "/iam/v2/service-accounts?page_size=100", accounts);
  size_t keys = 0;
  for (const auto& key : m.api_keys) keys += key.life.listed() ? 1 : 0;
  expect_each_item_once(client, "/iam/v2/api-keys?page_size=9", "/iam/v2/api-keys?page_size=100",
                        keys);
}

TEST_F(Paging, default_and_maximum_page_sizes_follow_the_api) {
  auto client = server_.client();
  auto res = client.Get("/iam/v2/service-accounts");
  ASSERT_TRUE(res);
  auto body = json::parse(res->body);
  EXPECT_EQ(body["data"].size(), 10u);  // documented default
  res = client.Get("/iam/v2/service-accounts?page_size=1000");
  ASSERT_TRUE(res);
  body = json::parse(res->body);
  EXPECT_EQ(body["data"].size(), 100u);  // documented maximum
  const std::string next = body["metadata"]["next"];
  EXPECT_EQ(
      next.rfind("http://127.0.0.1:" + std::to_string(server_.port()) + "/iam/v2/service-accounts?",
                 0),
      0u)
      << next;
  EXPECT_NE(next.find("page_token="), std::string::npos);
}

TEST_F(Paging, next_links_keep_the_filters_and_use_the_callers_host) {
  auto client = server_.client();
  const auto& m = server_.sim().model();
  const std::string url = "/billing/v1/costs?start_date=" + format_date(m.start_day) +
                          "&end_date=" + format_date(m.end_day) + "&page_size=5";
  auto res = client.Get(url.c_str(), httplib::Headers{{"Host", "billing.example:8443"}});
  ASSERT_TRUE(res);
  const std::string next = json::parse(res->body)["metadata"]["next"];
  EXPECT_EQ(next.rfind("http://billing.example:8443/billing/v1/costs?", 0), 0u) << next;
  EXPECT_NE(next.find("start_date=" + format_date(m.start_day)), std::string::npos);
  EXPECT_NE(next.find("page_size=5"), std::string::npos);
}

TEST_F(Paging, bad_page_parameters_answer_400) {
  auto client = server_.client();
  for (const char* url : {"/iam/v2/users?page_size=0", "/iam/v2/users?page_size=abc",
                          "/iam/v2/users?page_token=garbage"}) {
    auto res = client.Get(url);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << url;
    EXPECT_TRUE(json::parse(res->body).contains("errors")) << url;
  }
  // A token of one listing is not valid for another.
  auto res = client.Get("/iam/v2/service-accounts?page_size=5");
  const std::string next = json::parse(res->body)["metadata"]["next"];
  const std::string token = next.substr(next.find("page_token=") + 11);
  res = client.Get(("/iam/v2/users?page_size=5&page_token=" + token).c_str());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
}

TEST(PageTokens, round_trip_and_reject_other_scopes) {
  const std::string token = make_page_token(120, "/a");
  auto parsed = parse_page(std::nullopt, token, PageLimits{10, 100}, "/a");
  ASSERT_TRUE(parsed.page);
  EXPECT_EQ(parsed.page->offset, 120u);
  EXPECT_EQ(parsed.page->size, 10u);
  EXPECT_FALSE(parse_page(std::nullopt, token, PageLimits{10, 100}, "/b").page);
  EXPECT_EQ(parse_page(std::string("500"), std::nullopt, PageLimits{10, 100}, "/a").page->size,
            100u);
}

}  // namespace
}  // namespace ccloud_sim::testing
