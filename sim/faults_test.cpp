// Basic auth on every route, and the fault flags: fail-rate, rate-limit, latency, truncation,
// fail-path. Request loops are bounded.
#include <chrono>

#include <gtest/gtest.h>

#include "sim/faults.hpp"
#include "sim/test_support.hpp"

namespace ccloud_sim::testing {
namespace {

TEST(Auth, every_route_needs_the_configured_basic_credentials) {
  TestServer server(test_options());
  ASSERT_TRUE(server.started());
  const auto& m = server.sim().model();
  auto anonymous = server.client(false);
  httplib::Client wrong("127.0.0.1", server.port());
  wrong.set_basic_auth("sim-key", "not-the-secret");
  std::vector<std::string> urls = listing_urls(m);
  urls.push_back("/sim/v1/truth");
  urls.push_back("/api/v1/query_range?query=up&start=0&end=1&step=1");
  urls.push_back("/api/v1/query?query=up");
  for (const auto& url : urls) {
    for (auto* client : {&anonymous, &wrong}) {
      auto res = client->Get(url.c_str());
      ASSERT_TRUE(res) << url;
      EXPECT_EQ(res->status, 401) << url;
      EXPECT_TRUE(res->has_header("WWW-Authenticate")) << url;
      const auto body = json::parse(res->body);
      EXPECT_EQ(body["errors"][0]["status"], "401") << url;
      EXPECT_EQ(body["errors"][0]["code"], "user_unauthenticated") << url;
    }
  }
  for (const char* path : {"/api/v1/query_range", "/api/v1/query"}) {
    auto res = anonymous.Post(path, httplib::Params{{"query", "up"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << path;
  }
  auto ok = server.client().Get("/org/v2/organizations");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST(Auth, custom_credentials_replace_the_defaults) {
  auto options = test_options();
  options.api_key = "KEY123";
  options.api_secret = "s3cr3t";
  TestServer server(options);
  ASSERT_TRUE(server.started());
  httplib::Client defaults("127.0.0.1", server.port());
  defaults.set_basic_auth("sim-key", "sim-secret");
  EXPECT_EQ(defaults.Get("/org/v2/environments")->status, 401);
  EXPECT_EQ(server.client().Get("/org/v2/environments")->status, 200);
}

std::vector<int> statuses(TestServer& server, int count, const char* url = "/org/v2/environments") {
  auto client = server.client();
  std::vector<int> out;
  for (int i = 0; i < count; ++i) {
    auto res = client.Get(url);
    out.push_back(res ? res->status : -1);
  }
  return out;
}

TEST(Faults, fail_rate_fails_that_fraction_with_500_or_503_in_a_seeded_sequence) {
  auto options = test_options(77);
  options.faults.fail_rate = 0.3;
  TestServer a(options);
  TestServer b(options);
  ASSERT_TRUE(a.started() && b.started());
  const auto first = statuses(a, 200);
  const auto second = statuses(b, 200);
  EXPECT_EQ(first, second) << "the failure sequence must follow the seed";
  int failed = 0, e500 = 0, e503 = 0;
  for (int s : first) {
    EXPECT_TRUE(s == 200 || s == 500 || s == 503) << s;
    failed += s != 200;
    e500 += s == 500;
    e503 += s == 503;
  }
  EXPECT_GT(failed, 30);
  EXPECT_LT(failed, 90);
  EXPECT_GT(e500, 0);
  EXPECT_GT(e503, 0);
  auto other = test_options(78);
  other.faults.fail_rate = 0.3;
  TestServer c(other);
  ASSERT_TRUE(c.started());
  EXPECT_NE(first, statuses(c, 200));
}

TEST(Faults, truth_is_exempt_from_faults) {
  auto options = test_options();
  options.faults.fail_rate = 1.0;
  options.faults.truncate_rate = 1.0;
  TestServer server(options);
  ASSERT_TRUE(server.started());
  auto client = server.client();
  for (int i = 0; i < 5; ++i) {
    auto res = client.Get("/sim/v1/truth");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_FALSE(json::parse(res->body, nullptr, false).is_discarded());
    EXPECT_NE(client.Get("/org/v2/environments")->status, 200);
  }
}

TEST(Faults, rate_limit_answers_429_with_retry_after) {
  auto options = test_options();
  options.faults.rate_limit = 5;
  TestServer server(options);
  ASSERT_TRUE(server.started());
  auto client = server.client();
  int limited = 0, ok = 0;
  for (int i = 0; i < 30; ++i) {
    auto res = client.Get("/org/v2/environments");
    ASSERT_TRUE(res);
    if (res->status == 429) {
      ++limited;
      EXPECT_EQ(res->get_header_value("Retry-After"), "1");
      EXPECT_EQ(res->get_header_value("rateLimit-reset"), "1");
    } else {
      EXPECT_EQ(res->status, 200);
      ++ok;
    }
  }
  EXPECT_GE(ok, 5);
  EXPECT_GT(limited, 10);  // 30 quick requests cannot all fit in 5/s
}

TEST(Faults, latency_delays_every_answer) {
  auto options = test_options();
  options.faults.latency_ms = 120;
  TestServer server(options);
  ASSERT_TRUE(server.started());
  auto client = server.client();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.Get("/org/v2/environments")->status, 200);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, std::chrono::milliseconds(360));
}

TEST(Faults, truncation_cuts_that_fraction_of_bodies_mid_json) {
  auto options = test_options(3);
  options.faults.truncate_rate = 0.5;
  TestServer server(options);
  ASSERT_TRUE(server.started());
  auto client = server.client();
  auto whole = test_options(3);
  TestServer reference(whole);
  ASSERT_TRUE(reference.started());
  const std::string expected = reference.client().Get("/iam/v2/service-accounts")->body;
  int cut = 0;
  for (int i = 0; i < 60; ++i) {
    auto res = client.Get("/iam/v2/service-accounts");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    if (json::parse(res->body, nullptr, false).is_discarded()) {
      ++cut;
      EXPECT_LT(res->body.size(), expected.size());
      EXPECT_EQ(expected.compare(0, res->body.size(), res->body), 0) << "a cut is a prefix";
    } else {
      EXPECT_EQ(res->body, expected);
    }
  }
  EXPECT_GT(cut, 15);
  EXPECT_LT(cut, 45);
}

TEST(Faults, fail_path_always_fails_matching_paths_only) {
  auto options = test_options();
  options.faults.fail_paths = {"/iam/v2/users", "/api/v1/query_range"};
  TestServer server(options);
  ASSERT_TRUE(server.started());
  auto client = server.client();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(client.Get("/iam/v2/users")->status, 500);
    EXPECT_EQ(client.Post("/api/v1/query_range", httplib::Params{{"query", "up"}})->status, 500);
    EXPECT_EQ(client.Get("/iam/v2/service-accounts")->status, 200);
  }
}

TEST(FaultInjector, truncate_keeps_a_strict_prefix) {
  EXPECT_EQ(FaultInjector::truncate("{\"a\":1}"), "{\"a");
  EXPECT_EQ(FaultInjector::truncate("{}"), "{");
}

}  // namespace
}  // namespace ccloud_sim::testing
