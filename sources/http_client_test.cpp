#include "sources/http_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "sources/test_support.hpp"

namespace chitragupt::ccloud {
namespace {

using std::chrono::milliseconds;
using testing::FakeServer;
using testing::RecordingClock;

constexpr const char* kKey = "AKEY123";
constexpr const char* kSecret = "very-secret-value";
constexpr const char* kBasicHeader = "Basic QUtFWTEyMzp2ZXJ5LXNlY3JldC12YWx1ZQ==";

struct Fixture {
  FakeServer server;
  std::shared_ptr<RecordingClock> clock = std::make_shared<RecordingClock>();
  std::atomic<int> requests{0};

  std::unique_ptr<HttpClient> client(int max_retries = 5, milliseconds timeout = milliseconds(2000),
                                     const std::string& prefix = "") {
    HttpClientOptions options;
    options.base_url = server.url() + prefix;
    options.username = kKey;
    options.password = kSecret;
    options.max_retries = max_retries;
    options.request_timeout = timeout;
    options.min_request_gap = milliseconds(0);
    options.clock = clock;
    options.uniform01 = [] { return 0.5; };
    auto created = HttpClient::create(options);
    EXPECT_TRUE(created.is_ok()) << created.error();
    return std::move(*created);
  }
};

double seconds(milliseconds ms) { return static_cast<double>(ms.count()) / 1000.0; }

TEST(HttpClient, paging_resends_the_same_params_plus_the_page_token_until_next_is_empty) {
  Fixture f;
  std::mutex mutex;
  std::vector<std::string> seen;  // "environment|page_size|page_token" per request
  f.server.server().Get("/cmk/v2/clusters",
                        [&](const httplib::Request& req, httplib::Response& res) {
                          std::string token = req.get_param_value("page_token");
                          {
                            std::lock_guard<std::mutex> lock(mutex);
                            seen.push_back(req.get_param_value("environment") + "|" +
                                           req.get_param_value("page_size") + "|" + token);
                          }
                          nlohmann::json body;
                          if (token.empty()) {
                            body = {{"data", {{{"id", "lkc-1"}}, {{"id", "lkc-2"}}}},
                                    {"metadata",
                                     {{"next",
                                       "https://api.confluent.cloud/cmk/v2/clusters?environment="
                                       "env-1&page_size=99&page_token=tok%2F2"}}}};
                          } else if (token == "tok/2") {
                            body = {{"data", {{{"id", "lkc-3"}}}},
                                    {"metadata", {{"next", "/cmk/v2/clusters?page_token=tok3"}}}};
                          } else {
                            body = {{"data", {{{"id", "lkc-4"}}}}, {"metadata", {{"next", ""}}}};
                          }
                          res.set_content(body.dump(), "application/json");
                        });
  f.server.start();
  auto items = f.client()->get_all_pages("/cmk/v2/clusters", {{"environment", "env-1"}});
  ASSERT_TRUE(items.is_ok()) << items.error();
  ASSERT_EQ(items->size(), 4u);
  EXPECT_EQ((*items)[0]["id"], "lkc-1");
  EXPECT_EQ((*items)[3]["id"], "lkc-4");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], "env-1|99|");
  EXPECT_EQ(seen[1], "env-1|99|tok/2");
  EXPECT_EQ(seen[2], "env-1|99|tok3");
}

TEST(HttpClient, paging_uses_the_endpoint_page_size_and_stops_when_next_has_no_token) {
  Fixture f;
  std::string page_size;
  f.server.server().Get("/x", [&](const httplib::Request& req, httplib::Response& res) {
    page_size = req.get_param_value("page_size");
    res.set_content(R"({"data":[{"id":"a"}],"metadata":{"next":"https://h/x?other=1"}})",
                    "application/json");
  });
  f.server.start();
  auto items = f.client()->get_all_pages("/x", {}, 2000);
  ASSERT_TRUE(items.is_ok()) << items.error();
  EXPECT_EQ(items->size(), 1u);
  EXPECT_EQ(page_size, "2000");
}

TEST(HttpClient, paging_that_repeats_a_page_token_is_an_error_not_an_endless_loop) {
  Fixture f;
  f.server.server().Get("/x", [&](const httplib::Request&, httplib::Response& res) {
    ++f.requests;
    res.set_content(R"({"data":[{"id":"a"}],"metadata":{"next":"/x?page_token=same"}})",
                    "application/json");
  });
  f.server.start();
  auto items = f.client()->get_all_pages("/x");
  ASSERT_FALSE(items.is_ok());
  EXPECT_NE(items.error().find("paging loop"), std::string::npos) << items.error();
  EXPECT_EQ(f.requests.load(), 2);
}

TEST(HttpClient, sends_http_basic_auth_with_the_api_key) {
  Fixture f;
  std::string authorization;
  f.server.server().Get("/org/v2/organizations",
                        [&](const httplib::Request& req, httplib::Response& res) {
                          authorization = req.get_header_value("Authorization");
                          res.set_content(R"({"data":[]})", "application/json");
                        });
  f.server.start();
  ASSERT_TRUE(f.client()->get_all_pages("/org/v2/organizations").is_ok());
  EXPECT_EQ(authorization, kBasicHeader);
}

TEST(HttpClient, base_url_path_prefix_is_put_before_every_endpoint) {
  Fixture f;
  f.server.server().Get("/api/ccloud/org/v2/environments",
                        [&](const httplib::Request&, httplib::Response& res) {
                          res.set_content(R"({"data":[{"id":"env-1"}]})", "application/json");
                        });
  f.server.start();
  auto items =
      f.client(5, milliseconds(2000), "/api/ccloud/")->get_all_pages("/org/v2/environments");
  ASSERT_TRUE(items.is_ok()) << items.error();
  EXPECT_EQ(items->size(), 1u);
}

TEST(HttpClient, rate_limited_request_waits_the_retry_after_seconds_then_succeeds) {
  Fixture f;
  f.server.server().Get("/x", [&](const httplib::Request&, httplib::Response& res) {
    if (f.requests++ == 0) {
      res.status = 429;
      res.set_header("Retry-After", "3");
      return;
    }
    res.set_content(R"({"data":[{"id":"a"}]})", "application/json");
  });
  f.server.start();
  auto items = f.client()->get_all_pages("/x");
  ASSERT_TRUE(items.is_ok()) << items.error();
  auto sleeps = f.clock->sleeps();
  ASSERT_EQ(sleeps.size(), 1u);
  EXPECT_GE(seconds(sleeps[0]), 3.0 * 1.1);
  EXPECT_LE(seconds(sleeps[0]), 3.0 * 1.2);
}

TEST(HttpClient, rate_limit_wait_has_a_floor_of_one_second) {
  Fixture f;
  f.server.server().Get("/x", [&](const httplib::Request&, httplib::Response& res) {
    if (f.requests++ == 0) {
      res.status = 429;
      res.set_header("RateLimit-Reset", "0");
      return;
    }
    res.set_content(R"({"data":[]})", "application/json");
  });
  f.server.start();
  ASSERT_TRUE(f.client()->get_all_pages("/x").is_ok());
  auto sleeps = f.clock->sleeps();
  ASSERT_EQ(sleeps.size(), 1u);
  EXPECT_GE(seconds(sleeps[0]), 1.1);
  EXPECT_LE(seconds(sleeps[0]), 1.2);
}

TEST(HttpClient, x_ratelimit_reset_is_an_epoch_measured_from_the_clock) {
  Fixture f;
  auto reset_epoch =
      std::chrono::duration_cast<std::chrono::seconds>(f.clock->now().time_since_epoch()).count() +
      10;
  f.server.server().Get("/x", [&](const httplib::Request&, httplib::Response& res) {
    if (f.requests++ == 0) {
      res.status = 429;
      res.set_header("X-RateLimit-Reset", std::to_string(reset_epoch));
      return;
    }
    res.set_content(R"({"data":[]})", "application/json");
  });
  f.server.start();
  ASSERT_TRUE(f.client()->get_all_pages("/x").is_ok());
  auto sleeps = f.clock->sleeps();
  ASSERT_EQ(sleeps.size(), 1u);
  EXPECT_GE(seconds(sleeps[0]), 10 * 1.1);
  EXPECT_LE(seconds(sleeps[0]), 10 * 1.2);
}

TEST(HttpClient, rate_limit_seconds_reads_each_header_kind) {
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1445412480));
  EXPECT_EQ(rate_limit_seconds("7", "", "", now), 7.0);
  // Wed, 21 Oct 2015 07:28:00 GMT is 1445412480.
  EXPECT_EQ(rate_limit_seconds("Wed, 21 Oct 2015 07:28:30 GMT", "", "", now), 30.0);
  EXPECT_EQ(rate_limit_seconds("", "4", "", now), 4.0);
  EXPECT_EQ(rate_limit_seconds("", "", "1445412500", now), 20.0);
  EXPECT_FALSE(rate_limit_seconds("", "", "", now).has_value());
}

TEST(HttpClient, server_errors_are_retried_with_exponential_backoff_then_succeed) {
  Fixture f;
  f.server.server().Get("/x", [&](const httplib::Request&, httplib::Response& res) {
    if (f.requests++ < 2) {
      res.status = 503;
      return;
    }
    res.set_content(R"({"data":[{"id":"a"}]})", "application/json");
  });
  f.server.start();
  auto items = f.client()->get_all_pages("/x");
  ASSERT_TRUE(items.is_ok()) << items.error();
  EXPECT_EQ(f.requests.load(), 3);
  auto sleeps = f.clock->sleeps();
  ASSERT_EQ(sleeps.size(), 2u);
  EXPECT_EQ(sleeps[0], milliseconds(2500));  // 2 * 2^0 + U(0,1) with U = 0.5
  EXPECT_EQ(sleeps[1], milliseconds(4500));  // 2 * 2^1 + 0.5
}

TEST(HttpClient, permanent_server_errors_fail_after_max_retries_plus_one_attempts) {
  Fixture f;
  f.server.server().Get("/org/v2/environments",
                        [&](const httplib::Request&, httplib::Response& res) {
                          ++f.requests;
                          res.status = 500;
                        });
  f.server.start();
  auto items = f.client(3)->get_all_pages("/org/v2/environments");
  ASSERT_FALSE(items.is_ok());
  EXPECT_EQ(f.requests.load(), 4);
  EXPECT_EQ(f.clock->sleeps().size(), 3u);
  EXPECT_EQ(items.error(), "GET /org/v2/environments failed after 4 attempts: HTTP 500");
}

TEST(HttpClient, backoff_is_capped) {
  Fixture f;
  f.server.server().Get("/x",
                        [&](const httplib::Request&, httplib::Response& res) { res.status = 502; });
  f.server.start();
  ASSERT_FALSE(f.client(10)->get("/x").is_ok());
  auto sleeps = f.clock->sleeps();
  ASSERT_EQ(sleeps.size(), 10u);
  EXPECT_EQ(sleeps.back(), milliseconds(60000));
}

TEST(HttpClient, truncated_json_fails_cleanly_naming_the_endpoint) {
  Fixture f;
  f.server.server().Get("/billing/v1/costs", [&](const httplib::Request&, httplib::Response& res) {
    ++f.requests;
    res.set_content(R"({"data":[{"id":"cost-1","amount":12.)", "application/json");
  });
  f.server.start();
  auto items = f.client(1)->get_all_pages("/billing/v1/costs");
  ASSERT_FALSE(items.is_ok());
  EXPECT_EQ(f.requests.load(), 2);  // a garbled body may be transient: retried once
  EXPECT_NE(items.error().find("GET /billing/v1/costs failed after 2 attempts: invalid JSON"),
            std::string::npos)
      << items.error();
  EXPECT_EQ(items.error().find("cost-1"), std::string::npos) << "body text leaked";
}

TEST(HttpClient, unauthorized_fails_at_once_without_leaking_credentials) {
  Fixture f;
  f.server.server().Get(
      "/org/v2/environments", [&](const httplib::Request& req, httplib::Response& res) {
        ++f.requests;
        res.status = 401;
        // A hostile or buggy server echoing the credentials must not get them into our message.
        res.set_content(R"({"errors":[{"detail":"bad credentials )" +
                            req.get_header_value("Authorization") + " " + kSecret + R"("}]})",
                        "application/json");
      });
  f.server.start();
  auto items = f.client()->get_all_pages("/org/v2/environments");
  ASSERT_FALSE(items.is_ok());
  EXPECT_EQ(items.error(), "authentication failed (HTTP 401) for /org/v2/environments");
  EXPECT_EQ(items.error().find(kSecret), std::string::npos);
  EXPECT_EQ(items.error().find("Basic"), std::string::npos);
  EXPECT_EQ(f.requests.load(), 1);
  EXPECT_TRUE(f.clock->sleeps().empty());
}

TEST(HttpClient, forbidden_is_an_authentication_failure_too) {
  Fixture f;
  f.server.server().Get("/iam/v2/users",
                        [&](const httplib::Request&, httplib::Response& res) { res.status = 403; });
  f.server.start();
  auto items = f.client()->get_all_pages("/iam/v2/users");
  ASSERT_FALSE(items.is_ok());
  EXPECT_EQ(items.error(), "authentication failed (HTTP 403) for /iam/v2/users");
}

TEST(HttpClient, other_client_errors_fail_at_once_with_the_api_detail_and_no_secret) {
  Fixture f;
  f.server.server().Get("/x", [&](const httplib::Request&, httplib::Response& res) {
    ++f.requests;
    res.status = 400;
    res.set_content(std::string(R"({"errors":[{"detail":"bad page_size )") + kSecret + R"("}]})",
                    "application/json");
  });
  f.server.start();
  auto result = f.client()->get("/x");
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.error(), "GET /x: HTTP 400: bad page_size **********");
  EXPECT_EQ(f.requests.load(), 1);
}

TEST(HttpClient, not_found_is_an_empty_list) {
  Fixture f;
  f.server.start();  // no routes: every path is a 404
  auto client = f.client();
  auto items = client->get_all_pages("/srcm/v3/clusters", {{"environment", "env-gone"}});
  ASSERT_TRUE(items.is_ok()) << items.error();
  EXPECT_TRUE(items->empty());
  auto single = client->get("/connect/v1/environments/e/clusters/c/connectors");
  ASSERT_TRUE(single.is_ok());
  EXPECT_FALSE(single->found);
}

TEST(HttpClient, a_response_slower_than_the_request_timeout_is_retried_then_fails) {
  Fixture f;
  f.server.server().Get("/slow", [&](const httplib::Request&, httplib::Response& res) {
    ++f.requests;
    f.server.slow_down(milliseconds(3000));
    res.set_content(R"({"data":[]})", "application/json");
  });
  f.server.start();
  auto started = std::chrono::steady_clock::now();
  auto items = f.client(1, milliseconds(250))->get_all_pages("/slow");
  auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(items.is_ok());
  EXPECT_NE(items.error().find("GET /slow failed after 2 attempts: timed out after 0.25 s"),
            std::string::npos)
      << items.error();
  EXPECT_EQ(f.requests.load(), 2);
  EXPECT_LT(elapsed, std::chrono::milliseconds(2000));
}

TEST(HttpClient, a_server_trickling_its_body_is_cut_off_at_the_request_deadline) {
  Fixture f;
  f.server.server().Get("/trickle", [&](const httplib::Request&, httplib::Response& res) {
    ++f.requests;
    res.set_chunked_content_provider("application/json",
                                     [&](size_t offset, httplib::DataSink& sink) {
                                       if (offset == 0) return sink.write("{\"data\":[", 9);
                                       if (offset > 40) {  // bounded: ~4 s of trickle at most
                                         sink.done();
                                         return true;
                                       }
                                       f.server.slow_down(milliseconds(100));
                                       return sink.write(" ", 1);
                                     });
  });
  f.server.start();
  auto started = std::chrono::steady_clock::now();
  auto result = f.client(0, milliseconds(400))->get("/trickle");
  auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.error(), "GET /trickle failed after 1 attempt: timed out after 0.4 s");
  EXPECT_LT(elapsed, milliseconds(1500));
}

TEST(HttpClient, a_timeout_followed_by_a_fast_answer_succeeds) {
  Fixture f;
  f.server.server().Get("/slow-once", [&](const httplib::Request&, httplib::Response& res) {
    if (f.requests++ == 0) f.server.slow_down(milliseconds(3000));
    res.set_content(R"({"data":[{"id":"a"}]})", "application/json");
  });
  f.server.start();
  auto items = f.client(2, milliseconds(250))->get_all_pages("/slow-once");
  ASSERT_TRUE(items.is_ok()) << items.error();
  EXPECT_EQ(items->size(), 1u);
  EXPECT_EQ(f.clock->sleeps().size(), 1u);
}

TEST(HttpClient, connection_refused_is_retried_as_configured_then_fails) {
  Fixture f;
  HttpClientOptions options;
  options.base_url = "http://127.0.0.1:1";  // a privileged port nobody listens on here
  options.max_retries = 2;
  options.min_request_gap = milliseconds(0);
  options.clock = f.clock;
  options.request_timeout = milliseconds(500);
  auto client = HttpClient::create(options);
  ASSERT_TRUE(client.is_ok());
  auto result = (*client)->get("/x");
  ASSERT_FALSE(result.is_ok());
  EXPECT_NE(result.error().find("failed after 3 attempts"), std::string::npos) << result.error();
  EXPECT_EQ(f.clock->sleeps().size(), 2u);
}

TEST(HttpClient, requests_are_spaced_by_the_minimum_gap) {
  Fixture f;
  f.server.server().Get("/x", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"data":[]})", "application/json");
  });
  f.server.start();
  HttpClientOptions options;
  options.base_url = f.server.url();
  options.clock = f.clock;  // time stands still between requests, so each waits the full gap
  options.min_request_gap = milliseconds(100);
  auto client = HttpClient::create(options);
  ASSERT_TRUE(client.is_ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE((*client)->get("/x").is_ok());
  auto sleeps = f.clock->sleeps();
  ASSERT_EQ(sleeps.size(), 2u);
  EXPECT_EQ(sleeps[0], milliseconds(100));
}

TEST(HttpClient, exact_number_mode_keeps_the_literal_text_of_amounts) {
  Fixture f;
  f.server.server().Get("/billing/v1/costs", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"data":[{"amount":0.1000000000000000055511151231257827,"quantity":24}]})",
                    "application/json");
  });
  f.server.start();
  auto items = f.client()->get_all_pages("/billing/v1/costs", {}, 2000, NumberMode::exact_text);
  ASSERT_TRUE(items.is_ok()) << items.error();
  EXPECT_EQ((*items)[0]["amount"], "0.1000000000000000055511151231257827");
  EXPECT_EQ((*items)[0]["quantity"], 24);
}

TEST(HttpClient, rejects_unusable_base_urls) {
  for (const char* url :
       {"ftp://x", "api.confluent.cloud", "https://", "http://h:99999", "https://user:pw@h"}) {
    HttpClientOptions options;
    options.base_url = url;
    EXPECT_FALSE(HttpClient::create(options).is_ok()) << url;
  }
}

}  // namespace
}  // namespace chitragupt::ccloud
