#pragma once
// The HTTP front end (cpp-httplib). Handlers never touch a database or tenant state: they ask
// the supervisor by message with a short timeout, from one scoped actor per server thread, and
// turn the reply into JSON. A slow or stuck tenant therefore never blocks a request for long.
//
// Report routes (report::routes(), under /api/v1) go to the supervisor as a report::Request for
// a tenant; the supervisor answers 404/503 itself or delegates to the tenant actor. No answer
// within api.request_timeout_seconds is a 504. POST .../export streams the tenant's CSV chunk by
// chunk (one message per chunk). Every request is counted for /metrics by route id.
//
// The server has kServerThreads threads, and a connection holds one while it is served. Report
// routes wait on tenants (an aggregate can take a second), so at most kTenantRequestSlots of
// them are in flight at once, exports while they stream included; one more gets 503 "busy" with
// Retry-After at once. The threads left over keep /health, /ready and /metrics answering while
// the tenants are busy.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "common/status.hpp"
#include "config/config.hpp"
#include "http/request_metrics.hpp"

namespace httplib {
class Server;
}

namespace chitragupt::http {

// A route the server answers itself (not a report route). All are GET.
struct OwnRoute {
  std::string path;
  bool needs_token;  // when api.auth_token is set
};

class ApiServer {
 public:
  static constexpr int kServerThreads = 32;
  static constexpr int kTenantRequestSlots = 28;

  // /health, /ready, /metrics, /openapi.json, /api/v1/tenants, /api/v1/readiness: registered
  // from this list.
  static const std::vector<OwnRoute>& own_routes();

  // `mode`: the engine's --mode (both|api), reported by /api/v1/readiness.
  ApiServer(caf::actor_system& system, caf::actor supervisor, config::ApiConfig api,
            std::string mode = "both");
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds api.host:api.port; the error names the address and the reason.
  Status bind();
  // Serves on a background thread until stop().
  void start();
  void stop();
  int port() const { return port_; }

 private:
  void install_routes();
  void install_report_routes();

  caf::actor_system& system_;
  caf::actor supervisor_;
  config::ApiConfig api_;
  std::string mode_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<bool> listen_returned_{false};  // the listening thread is done
  int port_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::shared_ptr<RequestMetrics> request_metrics_ = std::make_shared<RequestMetrics>();
  // Report requests in flight (see kTenantRequestSlots).
  std::shared_ptr<std::atomic<int>> tenant_requests_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace chitragupt::http
