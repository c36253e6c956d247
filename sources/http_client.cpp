#include "sources/http_client.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <set>

#include "sources/request_deadline.hpp"

namespace chitragupt::ccloud {
namespace {

using Ms = std::chrono::milliseconds;

Ms seconds_to_ms(double seconds) {
  return Ms(static_cast<int64_t>(std::llround(std::max(0.0, seconds) * 1000.0)));
}

std::optional<double> parse_seconds(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  while (end != nullptr && *end == ' ') ++end;
  if (end == text.c_str() || (end != nullptr && *end != '\0') || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// "Wed, 21 Oct 2015 07:28:00 GMT" -> epoch seconds.
std::optional<int64_t> parse_http_date(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
  if (end == nullptr) return std::nullopt;
  return static_cast<int64_t>(timegm(&tm));
}

double epoch_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

// A short, secret-free description of an API error body: errors[0].detail/title, or message.
std::string error_detail(const std::string& body) {
  auto parsed = parse_json(body);
  if (!parsed || !parsed->is_object()) return "";
  const auto& j = *parsed;
  auto text_of = [](const nlohmann::json& v, const char* key) -> std::string {
    auto it = v.find(key);
    return it != v.end() && it->is_string() ? it->get<std::string>() : "";
  };
  std::string detail;
  if (auto errors = j.find("errors");
      errors != j.end() && errors->is_array() && !errors->empty() && (*errors)[0].is_object()) {
    detail = text_of((*errors)[0], "detail");
    if (detail.empty()) detail = text_of((*errors)[0], "title");
  }
  if (detail.empty()) detail = text_of(j, "message");
  if (detail.empty()) detail = text_of(j, "error");
  if (detail.size() > 200) detail = detail.substr(0, 200) + "...";
  return detail;
}

}  // namespace

std::optional<double> rate_limit_seconds(const std::string& retry_after,
                                         const std::string& ratelimit_reset,
                                         const std::string& x_ratelimit_reset,
                                         std::chrono::system_clock::time_point now) {
  if (auto s = parse_seconds(retry_after)) return *s;
  if (auto date = parse_http_date(retry_after)) {
    return static_cast<double>(*date) - epoch_seconds(now);
  }
  if (auto s = parse_seconds(ratelimit_reset)) return *s;
  if (auto s = parse_seconds(x_ratelimit_reset)) {
    // An epoch; small values are servers that send a delta instead.
    return *s >= 1e9 ? *s - epoch_seconds(now) : *s;
  }
  return std::nullopt;
}

bool gave_up_retrying(const std::string& error) {
  // The wording of get()'s last error; kept next to it.
  return error.find(" failed after ") != std::string::npos &&
         error.find(" attempt") != std::string::npos;
}

Result<std::unique_ptr<HttpClient>> HttpClient::create(HttpClientOptions options) {
  auto base = BaseUrl::parse(options.base_url);
  if (!base) return Status::error("invalid base URL: " + base.error());
  if (!options.clock) options.clock = system_clock();
  if (!options.uniform01) options.uniform01 = default_uniform01();
  options.max_retries = std::max(0, options.max_retries);
  if (options.request_timeout <= Ms(0)) options.request_timeout = Ms(30000);
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(options), std::move(*base)));
}

HttpClient::HttpClient(HttpClientOptions options, BaseUrl base)
    : options_(std::move(options)), base_(std::move(base)) {
  client_ = std::make_unique<httplib::Client>(base_.origin());
  client_->set_connection_timeout(options_.request_timeout);
  // The watchdog (request_deadline.hpp) enforces request_timeout on the whole request;
  // httplib's per-call timeouts are only a backstop behind it.
  client_->set_read_timeout(options_.request_timeout + std::chrono::seconds(1));
  client_->set_write_timeout(options_.request_timeout + std::chrono::seconds(1));
  client_->set_keep_alive(true);
  client_->set_follow_location(false);
  client_->set_url_encode(false);  // encode_query() has done it
  if (!options_.username.empty()) client_->set_basic_auth(options_.username, options_.password);
}

HttpClient::~HttpClient() = default;

Ms HttpClient::backoff(int attempt) {
  double seconds = options_.backoff_base_seconds * std::pow(2.0, attempt) + options_.uniform01();
  return seconds_to_ms(std::min(seconds, options_.max_backoff_seconds));
}

Ms HttpClient::rate_limit_wait(const std::string& retry_after, const std::string& ratelimit_reset,
                               const std::string& x_ratelimit_reset, int attempt) {
  auto seconds =
      rate_limit_seconds(retry_after, ratelimit_reset, x_ratelimit_reset, options_.clock->now());
  double wait = seconds ? *seconds : std::chrono::duration<double>(backoff(attempt)).count();
  wait = std::max(wait, 1.0) * (1.1 + 0.1 * options_.uniform01());
  return seconds_to_ms(std::min(wait, options_.max_rate_limit_wait_seconds));
}

bool HttpClient::throttle() {
  auto now = options_.clock->now();
  if (last_request_ && options_.min_request_gap > Ms(0)) {
    auto next_allowed = *last_request_ + options_.min_request_gap;
    if (now < next_allowed) {
      if (!options_.clock->sleep_unless_stopped(std::chrono::duration_cast<Ms>(next_allowed - now),
                                                options_.stop)) {
        return false;
      }
      now = options_.clock->now();
    }
  }
  last_request_ = now;
  return true;
}

std::string HttpClient::redact(std::string text) const {
  if (options_.password.size() >= 4) {
    for (size_t pos = text.find(options_.password); pos != std::string::npos;
         pos = text.find(options_.password, pos)) {
      text.replace(pos, options_.password.size(), "**********");
    }
  }
  return text;
}

Result<JsonResponse> HttpClient::get(const std::string& path, const QueryParams& params,
                                     NumberMode numbers) {
  const std::string endpoint = base_.path_prefix + path;
  const std::string target = params.empty() ? endpoint : endpoint + "?" + encode_query(params);
  const int attempts = options_.max_retries + 1;
  std::string problem;
  auto interrupted = [&] {
    return Status::error("GET " + endpoint + " interrupted (" + options_.stop.reason() + ")");
  };
  for (int attempt = 0; attempt < attempts; ++attempt) {
    if (options_.stop.stop_requested() || !throttle()) return interrupted();
    RequestEnd how = RequestEnd::finished;
    auto res = run_with_deadline(
        *client_, options_.request_timeout, options_.stop,
        [&] { return client_->Get(target, httplib::Headers{}); }, how);
    Ms wait{0};
    if (how == RequestEnd::stopped || options_.stop.stop_requested()) {
      client_->stop();
      return interrupted();
    }
    if (!res) {
      bool timed_out =
          how == RequestEnd::timed_out || res.error() == httplib::Error::ConnectionTimeout;
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%.3g",
                    std::chrono::duration<double>(options_.request_timeout).count());
      problem = timed_out ? std::string("timed out after ") + seconds + " s"
                          : "transport error (" + httplib::to_string(res.error()) + ")";
      client_->stop();  // never reuse a connection left mid-response
      wait = backoff(attempt);
    } else {
      const int status = res->status;
      if (status >= 200 && status < 300) {
        auto body = parse_json(res->body, numbers);
        if (body) return JsonResponse{true, std::move(*body)};
        problem = body.error();  // truncated or garbled: may be transient
        wait = backoff(attempt);
      } else if (status == 404) {
        return JsonResponse{false, nullptr};
      } else if (status == 401 || status == 403) {
        return Status::error("authentication failed (HTTP " + std::to_string(status) + ") for " +
                             endpoint);
      } else if (status == 429) {
        problem = "rate limited (HTTP 429)";
        wait = rate_limit_wait(res->get_header_value("Retry-After"),
                               res->get_header_value("RateLimit-Reset"),
                               res->get_header_value("X-RateLimit-Reset"), attempt);
      } else if (status >= 500 || status == 408) {
        problem = "HTTP " + std::to_string(status);
        wait = backoff(attempt);
      } else {
        std::string detail = redact(error_detail(res->body));
        return Status::error("GET " + endpoint + ": HTTP " + std::to_string(status) +
                             (detail.empty() ? "" : ": " + detail));
      }
    }
    if (attempt + 1 < attempts) {
      spdlog::warn("ccloud_request_retry endpoint={} attempt={} reason=\"{}\" wait_ms={}", endpoint,
                   attempt + 1, problem, wait.count());
      if (!options_.clock->sleep_unless_stopped(wait, options_.stop)) return interrupted();
    }
  }
  return Status::error("GET " + endpoint + " failed after " + std::to_string(attempts) +
                       (attempts == 1 ? " attempt: " : " attempts: ") + problem);
}

Result<std::vector<nlohmann::json>> HttpClient::get_all_pages(const std::string& path,
                                                              const QueryParams& params,
                                                              std::optional<int> page_size,
                                                              NumberMode numbers) {
  QueryParams base_params = params;
  bool has_page_size = std::any_of(params.begin(), params.end(),
                                   [](const auto& p) { return p.first == "page_size"; });
  if (!has_page_size) {
    base_params.emplace_back("page_size",
                             std::to_string(page_size.value_or(options_.default_page_size)));
  }
  const std::string endpoint = base_.path_prefix + path;
  std::vector<nlohmann::json> items;
  std::set<std::string> tokens_seen;
  std::string token;
  for (size_t page = 0; page < options_.max_pages; ++page) {
    QueryParams page_params = base_params;
    if (!token.empty()) page_params.emplace_back("page_token", token);
    auto response = get(path, page_params, numbers);
    if (!response) return response.status();
    if (!response->found) return items;
    const auto& body = response->body;
    if (!body.is_object()) {
      return Status::error("GET " + endpoint + ": expected a JSON object with data, got " +
                           std::string(body.type_name()));
    }
    if (auto data = body.find("data"); data != body.end() && !data->is_null()) {
      if (!data->is_array()) return Status::error("GET " + endpoint + ": data is not a list");
      for (const auto& item : *data) items.push_back(item);
    }
    std::string next;
    if (auto meta = body.find("metadata"); meta != body.end() && meta->is_object()) {
      if (auto n = meta->find("next"); n != meta->end() && n->is_string()) next = *n;
    }
    if (next.empty()) return items;
    token = query_param_of(next, "page_token");
    if (token.empty()) return items;
    if (!tokens_seen.insert(token).second) {
      return Status::error("GET " + endpoint + ": paging loop (a page_token came back twice)");
    }
  }
  return Status::error("GET " + endpoint + ": more than " + std::to_string(options_.max_pages) +
                       " pages");
}

}  // namespace chitragupt::ccloud
