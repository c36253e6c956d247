#pragma once
// The web UI (ui/, built by npm at build time) and the interactive API reference at /docs
// (swagger-ui-dist over /openapi.json), served from files embedded in the binary
// (cmake/embed_ui.cmake). One process, one port; the UI's paths (ui_route_pattern()) never
// include /api/, /health, /ready, /metrics or /openapi.json, and other paths stay 404.
//
//   /assets/<name>-<hash>.<ext>  the bundle: cached for a year (the name changes with the text)
//   /docs                        the API reference page
//   /favicon.svg                 the icon
//   /, /<page>[/...]             index.html (single-page fallback; the UI routes itself), never
//                                cached, so a new binary's UI is picked up on the next load
//
// UI files hold no data, so they are served without the bearer token; the UI asks for the token
// and sends it on every API call. httplib gzips (or brotli-compresses) text bodies when the
// client accepts it.

#include <cstddef>
#include <string>
#include <vector>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace chitragupt::http {

struct EmbeddedFile {
  const char* path;  // "/index.html", "/assets/app-3f2a.js"
  const char* data;
  std::size_t size;
};

// Defined by the generated source (build/generated/embedded_ui.cpp); empty when the build was
// configured with -DCHITRAGUPT_UI=OFF.
const std::vector<EmbeddedFile>& embedded_ui_files();

// The route pattern (std::regex, matched against the whole path) the UI answers.
const char* ui_route_pattern();
bool is_ui_path(const std::string& path);

// Content-Type for a file name, by extension.
std::string ui_content_type(const std::string& path);

// Answers a GET for a UI path.
void serve_ui(const httplib::Request& req, httplib::Response& res);

}  // namespace chitragupt::http
