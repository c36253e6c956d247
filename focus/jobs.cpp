#include "focus/jobs.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <vector>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "focus/exporter.hpp"
#include "storage/database.hpp"
#include "storage/utc_time.hpp"

namespace chitragupt::focus {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* kRoutes[] = {"/tenants/{tenant}/focus/exports",
                         "/tenants/{tenant}/focus/exports/{export_id}",
                         "/tenants/{tenant}/focus/exports/{export_id}/files/{file_name}"};

report::Response json_response(int status, const json& body) {
  report::Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

std::optional<json> read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  json j = json::parse(s.str(), nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

bool write_json(const fs::path& path, const json& j) {
  const fs::path temp = path.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    if (!out) return false;
    out << j.dump(2) << "\n";
    if (!out) return false;
  }
  std::error_code ec;
  fs::rename(temp, path, ec);
  return !ec;
}

std::string path_param(const report::Request& r, const std::string& name) {
  for (const auto& [k, v] : r.path_params) {
    if (k == name) return v;
  }
  return "";
}

bool safe_name(const std::string& s) {
  static const std::regex re("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");
  return std::regex_match(s, re) && s.find("..") == std::string::npos;
}

std::string new_id(const std::string& period) {
  std::string now = storage::utc_now_compact();  // YYYYMMDDTHHMMSSZ or similar
  std::random_device rd;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%06x", rd() & 0xffffff);
  std::string id = now + "-" + period + "-" + suffix;
  std::string out;
  for (char c : id) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') out += c;
  }
  return out;
}

// "YYYY-MM-DD HH:MM:SS" -> time_point (UTC); nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_stored(const std::string& t) {
  std::tm tm{};
  if (std::sscanf(t.c_str(), "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec) != 6) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace

bool ExportJobs::is_focus_route(const std::string& route) {
  return std::find(std::begin(kRoutes), std::end(kRoutes), route) != std::end(kRoutes);
}

ExportJobs::ExportJobs(config::TenantConfig tenant, config::PreviewConfig preview)
    : tenant_(std::move(tenant)),
      preview_(std::move(preview)),
      root_((fs::path(preview_.artifact_root) / tenant_.name).string()) {
  // A job still "running" in its job.json was cut short by a stop or a crash.
  std::error_code ec;
  if (!fs::is_directory(root_, ec)) return;
  for (const auto& entry : fs::directory_iterator(root_, ec)) {
    auto job = read_json(entry.path() / "job.json");
    if (!job || (*job)["status"] != "running") continue;
    (*job)["status"] = "failed";
    (*job)["error"] = "interrupted: the engine stopped while the export ran";
    (*job)["finished_at"] = storage::utc_now_timestamp();
    write_json(entry.path() / "job.json", *job);
  }
}

ExportJobs::~ExportJobs() {
  cancel_ = true;
  std::lock_guard<std::mutex> lock(mu_);
  if (worker_.joinable()) worker_.join();
}

bool ExportJobs::busy() { return running_.load(); }

std::string ExportJobs::job_dir(const std::string& id) const {
  return (fs::path(root_) / id).string();
}

void ExportJobs::reap() {
  if (!running_ && worker_.joinable()) worker_.join();
}

report::Response ExportJobs::handle(const report::Request& request) {
  try {
    if (request.method == "POST" && request.route == kRoutes[0]) return start(request);
    if (request.method == "GET" && request.route == kRoutes[0]) return list();
    const std::string id = path_param(request, "export_id");
    if (!safe_name(id)) return report::error_response(404, "not_found", "no such FOCUS export");
    if (request.method == "GET" && request.route == kRoutes[1]) return get(id);
    if (request.method == "GET" && request.route == kRoutes[2]) {
      return file(id, path_param(request, "file_name"), request.cursor);
    }
    return report::error_response(404, "not_found", "no such route");
  } catch (const std::exception& e) {
    spdlog::error("tenant={} event=focus_export_route_failed error={}", tenant_.name, e.what());
    return report::error_response(500, "internal_error", "the FOCUS export request failed");
  }
}

report::Response ExportJobs::start(const report::Request& request) {
  json body = request.body.empty() ? json::object() : json::parse(request.body, nullptr, false);
  if (!body.is_object()) {
    return report::error_response(400, "bad_parameter",
                                  "invalid parameter 'body': must be a JSON object");
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "billing_period" && key != "gzip") {
      return report::error_response(400, "bad_parameter",
                                    "invalid parameter 'body': unknown field (the fields are "
                                    "billing_period and gzip)");
    }
  }
  if (!body.contains("billing_period") || !body["billing_period"].is_string() ||
      !valid_billing_period(body["billing_period"].get<std::string>())) {
    return report::error_response(400, "bad_parameter",
                                  "invalid parameter 'billing_period': must be YYYY-MM");
  }
  if (body.contains("gzip") && !body["gzip"].is_boolean()) {
    return report::error_response(400, "bad_parameter",
                                  "invalid parameter 'gzip': must be true or false");
  }
  const std::string period = body["billing_period"].get<std::string>();
  const bool gzip = body.value("gzip", false);

  std::lock_guard<std::mutex> lock(mu_);
  reap();
  if (running_) {
    return report::error_response(409, "export_in_progress",
                                  "a FOCUS export of this tenant is running; retry when it ends");
  }
  purge_expired(std::chrono::system_clock::now());
  const std::string id = new_id(period);
  std::error_code ec;
  fs::create_directories(job_dir(id), ec);
  json job = {{"id", id},
              {"tenant", tenant_.name},
              {"billing_period", period},
              {"gzip", gzip},
              {"status", "running"},
              {"created_at", storage::utc_now_timestamp()},
              {"finished_at", nullptr},
              {"error", nullptr}};
  if (ec || !write_json(fs::path(job_dir(id)) / "job.json", job)) {
    return report::error_response(503, "artifact_root_unwritable",
                                  "cannot write under preview.artifact_root");
  }
  running_ = true;
  cancel_ = false;
  worker_ = std::thread([this, id, period, gzip] { run(id, period, gzip); });
  spdlog::info("tenant={} event=focus_export_started id={} billing_period={}", tenant_.name, id,
               period);
  return json_response(202, job);
}

void ExportJobs::run(std::string id, std::string period, bool gzip) {
  const fs::path dir = job_dir(id);
  auto job = read_json(dir / "job.json").value_or(json::object());
  const auto started = std::chrono::steady_clock::now();
  Result<ExportSummary> summary = Status::error("not run");
  {
    auto db = storage::open_database(tenant_.storage.connection_string);
    if (!db) {
      summary = Status::error("cannot open the tenant's database: " + db.error());
    } else {
      ExportRequest request = request_for(tenant_, period, dir.string(), gzip);
      request.cancel = &cancel_;
      summary = export_focus(**db, request);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  job["finished_at"] = storage::utc_now_timestamp();
  job["seconds"] = std::round(seconds * 1000) / 1000;
  if (summary) {
    job["status"] = "ready";
    job["rows"] = summary->rows;
    job["conforming"] = summary->conforming;
    json files = json::array();
    for (const auto& f : summary->files) {
      files.push_back({{"name", f.name},
                       {"media_type", f.media_type},
                       {"size_bytes", f.size_bytes},
                       {"sha256", f.sha256}});
    }
    job["files"] = files;
    spdlog::info("tenant={} event=focus_export_ready id={} rows={} conforming={} seconds={:.2f}",
                 tenant_.name, id, summary->rows, summary->conforming, seconds);
  } else {
    job["status"] = "failed";
    job["error"] = summary.error();
    spdlog::warn("tenant={} event=focus_export_failed id={} error={}", tenant_.name, id,
                 summary.error());
  }
  write_json(dir / "job.json", job);
  running_ = false;
}

int ExportJobs::purge_expired(std::chrono::system_clock::time_point now) {
  int removed = 0;
  std::error_code ec;
  if (!fs::is_directory(root_, ec)) return 0;
  const auto limit = now - std::chrono::hours(24) * preview_.retention_days;
  for (const auto& entry : fs::directory_iterator(root_, ec)) {
    auto job = read_json(entry.path() / "job.json");
    if (!job || (*job)["status"] == "running" || !(*job)["finished_at"].is_string()) continue;
    auto finished = parse_stored((*job)["finished_at"].get<std::string>());
    if (finished && *finished < limit) {
      fs::remove_all(entry.path(), ec);
      if (!ec) ++removed;
    }
  }
  if (removed > 0) {
    spdlog::info("tenant={} event=focus_exports_expired removed={} retention_days={}", tenant_.name,
                 removed, preview_.retention_days);
  }
  return removed;
}

report::Response ExportJobs::list() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    reap();
    purge_expired(std::chrono::system_clock::now());
  }
  std::vector<json> jobs;
  std::error_code ec;
  if (fs::is_directory(root_, ec)) {
    for (const auto& entry : fs::directory_iterator(root_, ec)) {
      if (auto job = read_json(entry.path() / "job.json")) jobs.push_back(*job);
    }
  }
  std::sort(jobs.begin(), jobs.end(), [](const json& a, const json& b) {
    return a.value("created_at", "") != b.value("created_at", "")
               ? a.value("created_at", "") > b.value("created_at", "")
               : a.value("id", "") > b.value("id", "");
  });
  return json_response(200, {{"exports", jobs}, {"retention_days", preview_.retention_days}});
}

report::Response ExportJobs::get(const std::string& id) {
  auto job = read_json(fs::path(job_dir(id)) / "job.json");
  if (!job) return report::error_response(404, "not_found", "no such FOCUS export");
  if ((*job)["status"] == "ready") {
    if (auto manifest = read_json(fs::path(job_dir(id)) / "manifest.json")) {
      (*job)["manifest"] = *manifest;
    }
  }
  return json_response(200, *job);
}

report::Response ExportJobs::file(const std::string& id, const std::string& name,
                                  const std::string& cursor) {
  auto job = read_json(fs::path(job_dir(id)) / "job.json");
  if (!job) return report::error_response(404, "not_found", "no such FOCUS export");
  if ((*job)["status"] != "ready") {
    return report::error_response(
        409, "export_not_ready",
        "the FOCUS export is " + (*job)["status"].get<std::string>() + ", not ready");
  }
  std::string media_type;
  for (const auto& f : (*job)["files"]) {
    if (f["name"] == name) media_type = f["media_type"];
  }
  if (media_type.empty()) return report::error_response(404, "not_found", "no such file");
  std::uintmax_t offset = 0;
  if (!cursor.empty()) {
    char* end = nullptr;
    offset = std::strtoull(cursor.c_str(), &end, 10);
    if (end == nullptr || *end != '\0') {
      return report::error_response(400, "bad_parameter", "invalid parameter 'cursor'");
    }
  }
  const fs::path path = fs::path(job_dir(id)) / name;
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (!in || ec) return report::error_response(404, "not_found", "the file is gone (expired?)");
  report::Response r;
  r.content_type = media_type == "text/csv" ? "text/csv; charset=utf-8" : media_type;
  const auto want = std::min<std::uintmax_t>(chunk_bytes_, size > offset ? size - offset : 0);
  r.body.resize(static_cast<std::size_t>(want));
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(r.body.data(), static_cast<std::streamsize>(want));
  r.body.resize(static_cast<std::size_t>(in.gcount()));
  const auto next = offset + r.body.size();
  if (next < size && !r.body.empty()) r.next_cursor = std::to_string(next);
  return r;
}

}  // namespace chitragupt::focus
