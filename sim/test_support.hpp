// Helpers for the sim_tests only (header-only so that yaml-cpp stays out of ccloud_sim_lib):
// an in-process simulator on a free loopback port, an authenticated client, paging through a
// listing, and loading the official OpenAPI YAML as JSON for the schema walker.
#pragma once

#include <httplib.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/options.hpp"
#include "sim/sim_server.hpp"
#include "sim/sim_time.hpp"

namespace ccloud_sim::testing {

using json = nlohmann::json;

// Options for a test server: loopback, any free port, a pinned 30-day window.
inline SimOptions test_options(uint64_t seed = 7, Preset preset = Preset::kSmall, int days = 30) {
  SimOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.seed = seed;
  options.preset = preset;
  options.days = days;
  options.end_day = parse_date("2026-02-01");
  return options;
}

class TestServer {
 public:
  explicit TestServer(SimOptions options)
      : server_(std::make_unique<SimServer>(std::move(options))) {
    started_ = server_->start();
  }
  bool started() const { return started_; }
  SimServer& sim() { return *server_; }
  int port() const { return server_->port(); }

  // A client with the server's credentials (or none when `authenticated` is false).
  httplib::Client client(bool authenticated = true) const {
    httplib::Client c("127.0.0.1", server_->port());
    if (authenticated) c.set_basic_auth(server_->options().api_key, server_->options().api_secret);
    c.set_connection_timeout(5);
    c.set_read_timeout(20);
    c.set_keep_alive(true);
    c.set_tcp_nodelay(true);
    return c;
  }

 private:
  std::unique_ptr<SimServer> server_;
  bool started_ = false;
};

// "http://host:port/path?query" → "/path?query".
inline std::string path_of(const std::string& url) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

struct Page {
  int status = 0;
  std::string body;
  json parsed;
};

// GET every page of a listing, following metadata.next. Fails the test on a non-200 answer.
inline std::vector<Page> get_all_pages(httplib::Client& client, const std::string& first,
                                       const httplib::Headers& headers = {}) {
  std::vector<Page> pages;
  std::string next = first;
  for (int guard = 0; !next.empty() && guard < 10000; ++guard) {
    auto res = client.Get(next.c_str(), headers);
    if (!res) {
      ADD_FAILURE() << "no response for " << next;
      break;
    }
    Page page{res->status, res->body, json::parse(res->body, nullptr, false)};
    EXPECT_EQ(res->status, 200) << next << ": " << res->body;
    pages.push_back(page);
    if (res->status != 200 || !page.parsed.is_object()) break;
    const auto& meta = page.parsed.value("metadata", json::object());
    next = meta.contains("next") && meta["next"].is_string() ? path_of(meta["next"]) : "";
  }
  return pages;
}

inline std::vector<json> all_items(httplib::Client& client, const std::string& first) {
  std::vector<json> items;
  for (const auto& page : get_all_pages(client, first)) {
    for (const auto& item : page.parsed.value("data", json::array())) items.push_back(item);
  }
  return items;
}

// YAML → JSON with YAML 1.2 core-schema scalars: quoted scalars stay strings, plain ones become
// null / booleans / integers / floats when they look like one.
inline json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json object = json::object();
      for (const auto& entry : node) object[entry.first.Scalar()] = yaml_to_json(entry.second);
      return object;
    }
    case YAML::NodeType::Sequence: {
      json array = json::array();
      for (const auto& item : node) array.push_back(yaml_to_json(item));
      return array;
    }
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      if (node.Tag() == "!") return text;  // quoted
      if (text == "null" || text == "~" || text == "Null" || text == "NULL") return nullptr;
      if (text == "true" || text == "True" || text == "TRUE") return true;
      if (text == "false" || text == "False" || text == "FALSE") return false;
      static const std::regex integer(R"(^[-+]?[0-9]+$)");
      static const std::regex number(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)");
      if (std::regex_match(text, integer) && text.size() < 19) return std::stoll(text);
      if (std::regex_match(text, number)) return std::stod(text);
      return text;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
  }
  return nullptr;
}

// The first page of every listing the simulator serves for `m` (billing over the whole window).
inline std::vector<std::string> listing_urls(const OrgModel& m) {
  std::vector<std::string> urls = {"/billing/v1/costs?start_date=" + format_date(m.start_day) +
                                       "&end_date=" + format_date(m.end_day) + "&page_size=500",
                                   "/org/v2/organizations",
                                   "/org/v2/environments",
                                   "/iam/v2/service-accounts?page_size=50",
                                   "/iam/v2/users?page_size=50",
                                   "/iam/v2/api-keys?page_size=50",
                                   "/iam/v2/identity-providers"};
  for (const auto& env : m.environments) {
    for (const char* path : {"/cmk/v2/clusters", "/srcm/v3/clusters", "/srcm/v2/clusters",
                             "/ksqldbcm/v2/clusters", "/fcpm/v2/compute-pools"}) {
      urls.push_back(std::string(path) + "?environment=" + env.id);
    }
    urls.push_back("/sql/v1/organizations/" + m.organization.id + "/environments/" + env.id +
                   "/statements");
  }
  for (const auto& c : m.kafka_clusters) {
    if (!c.life.listed()) continue;
    urls.push_back("/connect/v1/environments/" + c.env_id + "/clusters/" + c.id +
                   "/connectors?expand=info,status,id");
    urls.push_back("/connect/v1/environments/" + c.env_id + "/clusters/" + c.id + "/connectors");
  }
  for (const auto& p : m.identity_providers) {
    if (p.life.listed()) urls.push_back("/iam/v2/identity-providers/" + p.id + "/identity-pools");
  }
  return urls;
}

// Telemetry queries of reference §2 (form parameters of POST /api/v1/query_range) for `m`.
inline std::vector<httplib::Params> telemetry_queries(const OrgModel& m) {
  std::vector<httplib::Params> queries;
  const std::string start = format_date(m.end_day - 2) + "T00:00:00+00:00";
  const std::string end = format_date(m.end_day - 1) + "T00:00:00+00:00";
  auto add = [&](const std::string& query) {
    queries.push_back({{"query", query}, {"start", start}, {"end", end}, {"step", "3600"}});
  };
  for (const auto& c : m.kafka_clusters) {
    add("sum by (kafka_id, principal_id) (confluent_kafka_server_request_bytes{kafka_id=\"" + c.id +
        "\"})");
    add("sum by (kafka_id, principal_id) (confluent_kafka_server_response_bytes{kafka_id=\"" +
        c.id + "\"})");
  }
  for (const auto& p : m.flink_pools) {
    add("sum by (compute_pool_id, "
        "flink_statement_name)(confluent_flink_num_cfu{compute_pool_id=\"" +
        p.id + "\"})");
  }
  const std::string lkc = m.kafka_clusters.front().id;
  for (const char* metric : {"received_bytes", "sent_bytes", "retained_bytes"}) {
    add(std::string("sum by (kafka_id, topic) (confluent_kafka_server_") + metric + "{kafka_id=\"" +
        lkc + "\"})");
  }
  return queries;
}

// The OpenAPI folder: $CHITRAGUPT_OPENAPI_DIR when set, else the build's compile definition.
inline std::string openapi_dir() {
  if (const char* overridden = std::getenv("CHITRAGUPT_OPENAPI_DIR")) return overridden;
#ifdef CHITRAGUPT_OPENAPI_DIR
  return CHITRAGUPT_OPENAPI_DIR;
#else
  return "third_party/confluent-cloud-openapi";
#endif
}

inline bool openapi_available() {
  std::ifstream probe(openapi_dir() + "/billing-v1.yaml");
  return probe.good();
}

inline bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

}  // namespace ccloud_sim::testing

// In a test body or SetUp(): without the OpenAPI descriptions (they live beside the repo, in
// ../shared), a loud SKIPPED line locally and a failure under CI=true, so CI can never pass
// without having checked the simulator against them.
#define CHITRAGUPT_REQUIRE_OPENAPI()                                                      \
  do {                                                                                    \
    if (!::ccloud_sim::testing::openapi_available()) {                                    \
      if (::ccloud_sim::testing::running_in_ci()) {                                       \
        FAIL() << "the OpenAPI descriptions must be present under CI=true; not found at " \
               << ::ccloud_sim::testing::openapi_dir();                                   \
      }                                                                                   \
      GTEST_SKIP() << "SKIPPED: OpenAPI folder not found at "                             \
                   << ::ccloud_sim::testing::openapi_dir();                               \
    }                                                                                     \
  } while (false)

namespace ccloud_sim::testing {}  // namespace ccloud_sim::testing
