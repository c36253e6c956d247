#include "http/ui_assets.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <regex>
#include <string_view>
#include <unordered_map>

#include <httplib.h>
#include <zlib.h>
#include <nlohmann/json.hpp>

namespace chitragupt::http {

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

const std::unordered_map<std::string, const EmbeddedFile*>& files_by_path() {
  static const auto map = [] {
    std::unordered_map<std::string, const EmbeddedFile*> m;
    for (const auto& f : embedded_ui_files()) m.emplace(f.path, &f);
    return m;
  }();
  return map;
}

// The file gzipped once (level 9), on first use; empty when it would not get smaller.
const std::string& gzipped(const EmbeddedFile& file) {
  static std::mutex mutex;
  static std::unordered_map<const EmbeddedFile*, std::unique_ptr<std::string>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[&file];
  if (slot) return *slot;
  slot = std::make_unique<std::string>();
  z_stream z{};
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return *slot;
  std::string out(deflateBound(&z, file.size), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(file.data));
  z.avail_in = static_cast<uInt>(file.size);
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  deflateEnd(&z);
  if (rc == Z_STREAM_END && z.total_out < file.size) {
    out.resize(z.total_out);
    *slot = std::move(out);
  }
  return *slot;
}

// Whether Accept-Encoding offers gzip (and does not refuse it with q=0).
bool accepts_gzip(const httplib::Request& req) {
  std::string value = req.get_header_value("Accept-Encoding");
  for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto pos = value.find("gzip");
  if (pos == std::string::npos) return false;
  auto end = value.find(',', pos);
  std::string item = value.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
  item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
  return item.find(";q=0") == std::string::npos || item.find(";q=0.") != std::string::npos;
}

// The body goes out through a fixed-length content provider, which httplib never compresses
// itself: its own compression would redo the work on every request (brotli at its highest
// quality takes seconds for Swagger UI's bundle). Ours is done once per file.
void send_file(const httplib::Request& req, const EmbeddedFile& file,
               const std::string& cache_control, httplib::Response& res) {
  res.status = 200;
  res.set_header("Cache-Control", cache_control);
  res.set_header("X-Content-Type-Options", "nosniff");
  if (ends_with(file.path, ".html")) {
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                   "frame-ancestors 'none'");
    res.set_header("Referrer-Policy", "no-referrer");
  }
  res.set_header("Vary", "Accept-Encoding");
  std::string_view body(file.data, file.size);
  if (accepts_gzip(req)) {
    const std::string& gz = gzipped(file);
    if (!gz.empty()) {
      res.set_header("Content-Encoding", "gzip");
      body = gz;
    }
  }
  res.set_content_provider(body.size(), ui_content_type(file.path),
                           [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             return sink.write(body.data() + offset, length);
                           });
}

void send_not_found(httplib::Response& res) {
  res.status = 404;
  nlohmann::json body = {{"error", {{"code", "not_found"}, {"message", "no such UI file"}}}};
  res.set_content(body.dump(), "application/json");
}

}  // namespace

const char* ui_route_pattern() {
  // The pages of ui/src/main.ts (PAGES), each with anything below it, plus the files.
  return R"(/|/index\.html|/favicon\.svg|/docs(/.*)?|/assets/.*|)"
         R"(/(dashboard|chargebacks|explorer|topic-attributions|billing|resources|identities|tags|)"
         R"(pipeline|focus)(/.*)?)";
}

bool is_ui_path(const std::string& path) {
  static const std::regex pattern(ui_route_pattern());
  return std::regex_match(path, pattern);
}

std::string ui_content_type(const std::string& path) {
  if (ends_with(path, ".html")) return "text/html; charset=utf-8";
  if (ends_with(path, ".js") || ends_with(path, ".mjs")) return "text/javascript; charset=utf-8";
  if (ends_with(path, ".css")) return "text/css; charset=utf-8";
  if (ends_with(path, ".svg")) return "image/svg+xml";
  if (ends_with(path, ".json")) return "application/json";
  if (ends_with(path, ".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

void serve_ui(const httplib::Request& req, httplib::Response& res) {
  const auto& files = files_by_path();
  const std::string& path = req.path;
  if (path.rfind("/assets/", 0) == 0) {
    auto it = files.find(path);
    if (it == files.end()) return send_not_found(res);
    return send_file(req, *it->second, "public, max-age=31536000, immutable", res);
  }
  std::string key = path == "/docs" || path == "/docs/" ? "/docs/index.html" : path;
  if (key != "/" && key != "/index.html") {
    auto it = files.find(key);
    if (it != files.end()) return send_file(req, *it->second, "no-cache", res);
    if (key.rfind("/docs/", 0) == 0) return send_not_found(res);
  }
  auto index = files.find("/index.html");
  if (index == files.end()) {
    res.status = 200;
    res.set_header("Cache-Control", "no-cache");
    res.set_content(
        "This chitragupt binary was built without its web UI (-DCHITRAGUPT_UI=OFF); the API is "
        "under /api/v1 (see /openapi.json).\n",
        "text/plain; charset=utf-8");
    return;
  }
  send_file(req, *index->second, "no-cache", res);
}

}  // namespace chitragupt::http
