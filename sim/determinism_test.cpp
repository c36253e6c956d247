// Same seed + preset + window → byte-identical responses; another seed → another organisation.
#include <gtest/gtest.h>

#include "sim/billing.hpp"
#include "sim/telemetry.hpp"
#include "sim/test_support.hpp"
#include "sim/truth.hpp"

namespace ccloud_sim::testing {
namespace {

// Every body the server gives for every listing (all pages) and telemetry query, fetched with a
// fixed Host header so that metadata.next links do not depend on the port.
std::vector<std::string> all_bodies(TestServer& server, const OrgModel& urls_for) {
  std::vector<std::string> bodies;
  auto client = server.client();
  const httplib::Headers host{{"Host", "sim.test"}};
  for (const auto& url : listing_urls(urls_for)) {
    for (const auto& page : get_all_pages(client, url, host))
      bodies.push_back(url + "\n" + page.body);
  }
  for (const auto& params : telemetry_queries(urls_for)) {
    auto res = client.Post("/api/v1/query_range", host, params);
    EXPECT_TRUE(res && res->status == 200);
    bodies.push_back(res ? res->body : "");
  }
  auto truth = client.Get("/sim/v1/truth", host);
  bodies.push_back(truth ? truth->body : "");
  return bodies;
}

class Determinism : public ::testing::TestWithParam<Preset> {};

TEST_P(Determinism, same_seed_gives_byte_identical_bodies_on_every_endpoint) {
  TestServer a(test_options(1234, GetParam()));
  TestServer b(test_options(1234, GetParam()));
  ASSERT_TRUE(a.started() && b.started());
  ASSERT_NE(a.port(), b.port());
  const auto first = all_bodies(a, a.sim().model());
  const auto second = all_bodies(b, a.sim().model());
  ASSERT_EQ(first.size(), second.size());
  ASSERT_GT(first.size(), 20u);
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i], second[i]) << "body " << i << " differs";
  }
}

INSTANTIATE_TEST_SUITE_P(Presets, Determinism, ::testing::Values(Preset::kSmall, Preset::kMedium),
                         [](const auto& info) { return preset_name(info.param); });

TEST(Determinism, another_seed_gives_another_organisation) {
  TestServer a(test_options(1));
  TestServer b(test_options(2));
  ASSERT_TRUE(a.started() && b.started());
  auto ca = a.client();
  auto cb = b.client();
  for (const std::string url : {"/org/v2/environments", "/iam/v2/service-accounts",
                                "/billing/v1/costs?start_date=2026-01-10&end_date=2026-01-11"}) {
    auto ra = ca.Get(url.c_str());
    auto rb = cb.Get(url.c_str());
    ASSERT_TRUE(ra && rb);
    EXPECT_NE(ra->body, rb->body) << url;
  }
}

TEST(Determinism, large_preset_generates_identically_twice) {
  const auto one = generate_org(99, Preset::kLarge, 20500, 30);
  const auto two = generate_org(99, Preset::kLarge, 20500, 30);
  const Telemetry t1(one), t2(two);
  const BillingLedger l1(one, t1), l2(two, t2);
  EXPECT_EQ(truth_json(one, l1).dump(), truth_json(two, l2).dump());
  ASSERT_EQ(l1.rows().size(), l2.rows().size());
  for (size_t i = 0; i < l1.rows().size(); i += 97) {
    EXPECT_EQ(cost_json(l1.rows()[i]).dump(), cost_json(l2.rows()[i]).dump());
  }
}

}  // namespace
}  // namespace ccloud_sim::testing
