#include "http/openapi.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/api_server.hpp"
#include "http/report_routes.hpp"
#include "report/report.hpp"

namespace chitragupt::http {
namespace {

using Endpoint = std::pair<std::string, std::string>;  // method (upper case), path

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::set<Endpoint> documented() {
  auto doc = nlohmann::json::parse(openapi_document(), nullptr, false);
  std::set<Endpoint> out;
  if (!doc.is_object() || !doc.contains("paths")) return out;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      out.insert({upper(method), path});
    }
  }
  return out;
}

std::set<Endpoint> served() {
  std::set<Endpoint> out;
  for (const auto& r : report::routes()) out.insert({r.method, std::string(kApiPrefix) + r.route});
  for (const auto& r : ApiServer::own_routes()) out.insert({"GET", r.path});
  return out;
}

TEST(OpenApi, the_served_document_is_docs_openapi_json_byte_for_byte) {
  std::ifstream in(std::string(CHITRAGUPT_SOURCE_DIR) + "/docs/openapi.json", std::ios::binary);
  std::ostringstream file;
  file << in.rdbuf();
  ASSERT_GT(file.str().size(), 16000u) << "the document no longer spans several literals";
  EXPECT_EQ(std::string(openapi_document()), file.str());
}

TEST(OpenApi, is_an_openapi_3_document) {
  auto doc = nlohmann::json::parse(openapi_document(), nullptr, false);
  ASSERT_TRUE(doc.is_object()) << "docs/openapi.json is not valid JSON";
  EXPECT_EQ(doc["openapi"].get<std::string>().rfind("3.0", 0), 0u);
  EXPECT_TRUE(doc["components"]["securitySchemes"].contains("bearer"));
}

TEST(OpenApi, documents_every_served_route) {
  auto docs = documented();
  for (const auto& e : served()) {
    EXPECT_TRUE(docs.count(e)) << e.first << " " << e.second << " is served but not documented";
  }
}

TEST(OpenApi, documents_no_route_that_is_not_served) {
  auto routes = served();
  for (const auto& e : documented()) {
    EXPECT_TRUE(routes.count(e)) << e.first << " " << e.second << " is documented but not served";
  }
}

TEST(OpenApi, every_path_parameter_is_declared) {
  auto doc = nlohmann::json::parse(openapi_document(), nullptr, false);
  const auto& shared = doc["components"]["parameters"];
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      std::set<std::string> declared;
      for (const auto& p : op.value("parameters", nlohmann::json::array())) {
        const auto& resolved =
            p.contains("$ref") ? shared[p["$ref"].get<std::string>().substr(24)] : p;
        if (resolved.value("in", "") == "path") declared.insert(resolved["name"]);
      }
      auto pattern = route_pattern({"GET", path, ""});
      std::set<std::string> wanted(pattern.params.begin(), pattern.params.end());
      EXPECT_EQ(declared, wanted) << method << " " << path;
    }
  }
}

}  // namespace
}  // namespace chitragupt::http
