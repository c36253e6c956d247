#include "http/ui_assets.hpp"

#include <gtest/gtest.h>

#include "http/cors.hpp"

namespace chitragupt::http {
namespace {

TEST(UiAssets, ui_paths_are_the_pages_and_files_and_never_the_api_probes_or_metrics) {
  for (const char* path :
       {"/", "/index.html", "/favicon.svg", "/docs", "/docs/", "/assets/app-1.js", "/dashboard",
        "/chargebacks", "/chargebacks/deep/link", "/billing", "/resources", "/identities", "/tags",
        "/pipeline", "/explorer", "/topic-attributions", "/focus"}) {
    EXPECT_TRUE(is_ui_path(path)) << path;
  }
  for (const char* path : {"/api/v1/tenants", "/api", "/api/", "/health", "/ready", "/metrics",
                           "/openapi.json", "/no/such/route", "/dashboardx", "/docsx", ""}) {
    EXPECT_FALSE(is_ui_path(path)) << path;
  }
}

TEST(UiAssets, content_types_by_extension) {
  EXPECT_EQ(ui_content_type("/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ui_content_type("/assets/app-X.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ui_content_type("/assets/app-X.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ui_content_type("/favicon.svg"), "image/svg+xml");
  EXPECT_EQ(ui_content_type("/x.bin"), "application/octet-stream");
}

TEST(UiAssets, every_embedded_file_is_under_a_ui_path) {
  for (const auto& f : embedded_ui_files()) {
    EXPECT_TRUE(is_ui_path(f.path)) << f.path;
    EXPECT_GT(f.size, 0u) << f.path;
  }
}

TEST(Cors, allows_listed_origins_or_any_with_a_star_and_nothing_when_off) {
  Cors listed(true, {"http://ui.example:3000"});
  EXPECT_TRUE(listed.allows("http://ui.example:3000"));
  EXPECT_FALSE(listed.allows("http://ui.example"));
  EXPECT_FALSE(listed.allows(""));
  EXPECT_TRUE(Cors(true, {"*"}).allows("https://anything.example"));
  EXPECT_FALSE(Cors(true, {}).allows("https://anything.example"));
  EXPECT_FALSE(Cors(false, {"*"}).allows("https://anything.example"));
}

}  // namespace
}  // namespace chitragupt::http
