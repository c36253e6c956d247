#include "http/report_routes.hpp"

#include <regex>

#include <gtest/gtest.h>

namespace chitragupt::http {
namespace {

TEST(ReportRoutes, a_route_id_becomes_an_anchored_regex_with_named_captures) {
  auto p = route_pattern({"GET", "/tenants/{tenant}/chargebacks/{dimension_id}", ""});
  EXPECT_EQ(p.regex, "/api/v1/tenants/([^/]+)/chargebacks/([^/]+)");
  EXPECT_EQ(p.params, (std::vector<std::string>{"tenant", "dimension_id"}));
  std::smatch m;
  std::string path = "/api/v1/tenants/acme/chargebacks/42";
  ASSERT_TRUE(std::regex_match(path, m, std::regex(p.regex)));
  EXPECT_EQ(m[1].str(), "acme");
  EXPECT_EQ(m[2].str(), "42");
  std::string deeper = "/api/v1/tenants/acme/chargebacks/42/x";
  EXPECT_FALSE(std::regex_match(deeper, std::regex(p.regex)));
}

TEST(ReportRoutes, literal_routes_are_registered_before_parameter_routes_that_would_shadow_them) {
  auto patterns = report_route_patterns();
  ASSERT_EQ(patterns.size(), report::routes().size());
  auto index = [&](const std::string& route) {
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      if (patterns[i].route == route) return static_cast<int>(i);
    }
    return -1;
  };
  int aggregate = index("/tenants/{tenant}/chargebacks/aggregate");
  int dimension = index("/tenants/{tenant}/chargebacks/{dimension_id}");
  ASSERT_GE(aggregate, 0);
  ASSERT_GE(dimension, 0);
  EXPECT_LT(aggregate, dimension);
  // The first pattern that matches a literal path is the literal route's.
  std::string path = "/api/v1/tenants/acme/chargebacks/aggregate";
  for (const auto& p : patterns) {
    if (p.method == "GET" && std::regex_match(path, std::regex(p.regex))) {
      EXPECT_EQ(p.route, "/tenants/{tenant}/chargebacks/aggregate");
      break;
    }
  }
}

TEST(ReportRoutes, query_keeps_order_and_repeated_keys_and_decodes) {
  auto q = query_params("/x?group_by=identity_id&time_bucket=day&group_by=tag%3Ateam&tz=Europe%2FBerlin"
                        "&flag&q=a+b&empty=");
  std::vector<std::pair<std::string, std::string>> want = {
      {"group_by", "identity_id"}, {"time_bucket", "day"}, {"group_by", "tag:team"},
      {"tz", "Europe/Berlin"},     {"flag", ""},           {"q", "a b"},
      {"empty", ""}};
  EXPECT_EQ(q, want);
  EXPECT_TRUE(query_params("/x").empty());
  EXPECT_TRUE(query_params("/x?").empty());
}

TEST(ReportRoutes, malformed_percent_escapes_are_kept_as_text) {
  EXPECT_EQ(decode_query_component("100%"), "100%");
  EXPECT_EQ(decode_query_component("%zz"), "%zz");
  EXPECT_EQ(decode_query_component("%4"), "%4");
  EXPECT_EQ(decode_query_component("%41"), "A");
}

}  // namespace
}  // namespace chitragupt::http
