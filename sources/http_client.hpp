#pragma once
// A GET-JSON client for the Confluent Cloud REST APIs: HTTP Basic auth with a Cloud API key,
// `metadata.next` -> `page_token` paging, and the retry rules of the original collector.
//
// Promises:
//   - 2xx with a JSON body -> the body; 404 -> "not found" (an empty list when paging).
//   - 429 waits as the server asks (Retry-After, RateLimit-Reset, X-RateLimit-Reset as an epoch),
//     at least 1 s, times 1.1..1.2; 5xx, 408, timeouts, transport errors and unparseable bodies
//     wait base*2^attempt + U(0,1) s (capped). At most max_retries + 1 attempts in all, then an
//     error naming the endpoint and the last problem.
//   - 401/403 -> "authentication failed (HTTP 401) for <path>" at once; other 4xx at once.
//   - Each attempt has a hard deadline, request_timeout, covering connect, headers and body.
//   - options.stop (or set_stop) ends a request in flight and any wait at once: "interrupted".
//   - No message ever contains the secret or the Authorization header.
// Not thread-safe: one client per thread (it keeps one keep-alive connection).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "sources/clock.hpp"
#include "sources/json_text.hpp"
#include "sources/url.hpp"
#include "common/stop_token.hpp"

namespace httplib {
class Client;
}

namespace chitragupt::ccloud {

struct HttpClientOptions {
  std::string base_url;  // scheme://host[:port][/prefix]; http:// is allowed (simulator, tests)
  std::string username;  // HTTP Basic user (the API key); empty = no Authorization header
  std::string password;  // secret
  std::chrono::milliseconds request_timeout{30000};
  int max_retries = 5;
  std::chrono::milliseconds min_request_gap{100};  // proactive throttle between requests
  double backoff_base_seconds = 2.0;
  double max_backoff_seconds = 60.0;
  double max_rate_limit_wait_seconds = 300.0;  // a longer Retry-After is cut to this
  int default_page_size = 99;
  size_t max_pages = 100000;     // a paging loop that never ends is an error, not a hang
  std::shared_ptr<Clock> clock;  // null = system_clock()
  Uniform01 uniform01;           // null = default_uniform01()
  // Cuts every wait short: an in-flight request is aborted, a backoff or throttle sleep ends,
  // and the call returns an error saying it was interrupted.
  StopToken stop;
};

struct JsonResponse {
  bool found = true;  // false on 404 (body is then null)
  nlohmann::json body;
};

class HttpClient {
 public:
  // Fails only on an unusable base URL.
  static Result<std::unique_ptr<HttpClient>> create(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One logical GET of `path` (relative to the base URL's path prefix), retried as above.
  Result<JsonResponse> get(const std::string& path, const QueryParams& params = {},
                           NumberMode numbers = NumberMode::doubles);

  // Every item of `data` across all pages. Adds page_size (page_size, else the default)
  // unless params has one; each next request resends params plus the page_token parsed from
  // metadata.next; stops when next is absent/empty or carries no token. 404 -> no items.
  Result<std::vector<nlohmann::json>> get_all_pages(const std::string& path,
                                                    const QueryParams& params = {},
                                                    std::optional<int> page_size = std::nullopt,
                                                    NumberMode numbers = NumberMode::doubles);

  // The stop that later calls obey (a pipeline run binds its own).
  void set_stop(StopToken stop) { options_.stop = std::move(stop); }

  const BaseUrl& base_url() const { return base_; }
  const HttpClientOptions& options() const { return options_; }

 private:
  HttpClient(HttpClientOptions options, BaseUrl base);
  std::chrono::milliseconds backoff(int attempt);
  std::chrono::milliseconds rate_limit_wait(const std::string& retry_after,
                                            const std::string& ratelimit_reset,
                                            const std::string& x_ratelimit_reset, int attempt);
  bool throttle();  // false: stopped while waiting
  std::string redact(std::string text) const;

  HttpClientOptions options_;
  BaseUrl base_;
  std::unique_ptr<httplib::Client> client_;
  std::optional<std::chrono::system_clock::time_point> last_request_;
};

// True for an error of HttpClient::get / get_all_pages that a later try may cure: the retries
// ran out on 5xx, 429, timeouts, transport errors or unparseable bodies. False for a definite
// answer (401/403, another 4xx, a malformed listing) and for an interrupted call.
bool gave_up_retrying(const std::string& error);

// Seconds to wait for a 429, from its headers ("" = absent), before the floor and jitter;
// nullopt when no header is usable. Retry-After is seconds or an HTTP date; RateLimit-Reset
// is seconds; X-RateLimit-Reset is an epoch (values below 10^9 are taken as seconds).
std::optional<double> rate_limit_seconds(const std::string& retry_after,
                                         const std::string& ratelimit_reset,
                                         const std::string& x_ratelimit_reset,
                                         std::chrono::system_clock::time_point now);

}  // namespace chitragupt::ccloud
