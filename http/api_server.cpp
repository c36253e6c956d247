#include "http/api_server.hpp"

#include <cerrno>
#include <cstring>
#include <optional>

#include <httplib.h>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>
#include <caf/all.hpp>

#include "http/health_json.hpp"
#include "messages/protocol.hpp"

namespace chitragupt::http {

using namespace messages;

namespace {

constexpr auto kAskTimeout = std::chrono::milliseconds(900);

// One scoped actor per server thread, created on first use: creating one per request costs
// a thread hop for nothing (PERFORMANCE.md).
caf::scoped_actor& thread_actor(caf::actor_system& system) {
  thread_local std::unique_ptr<caf::scoped_actor> actor;
  thread_local caf::actor_system* owner = nullptr;
  if (!actor || owner != &system) {
    actor = std::make_unique<caf::scoped_actor>(system);
    owner = &system;
  }
  return *actor;
}

template <typename T, typename... Ts>
std::optional<T> ask(caf::actor_system& system, const caf::actor& supervisor,
                     std::chrono::milliseconds timeout, Ts... request) {
  std::optional<T> out;
  auto& self = thread_actor(system);
  self->request(supervisor, timeout, request...)
      .receive([&](T& reply) { out = std::move(reply); }, [&](caf::error&) { out.reset(); });
  return out;
}

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

bool constant_time_equal(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

ApiServer::ApiServer(caf::actor_system& system, caf::actor supervisor, config::ApiConfig api)
    : system_(system),
      supervisor_(std::move(supervisor)),
      api_(std::move(api)),
      server_(std::make_unique<httplib::Server>()),
      started_(std::chrono::steady_clock::now()) {
  // Without TCP_NODELAY every small response waits for the delayed ACK (~40 ms).
  server_->set_tcp_nodelay(true);
  // cpp-httplib's default sets SO_REUSEPORT, which lets a second engine bind the same port
  // and silently share its traffic. SO_REUSEADDR alone allows a quick restart and nothing more.
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server_->new_task_queue = [] { return new httplib::ThreadPool(8); };
  server_->set_keep_alive_max_count(1000);
  server_->set_keep_alive_timeout(10);
  server_->set_read_timeout(api_.request_timeout_seconds, 0);
  server_->set_write_timeout(api_.request_timeout_seconds, 0);
  install_routes();
}

ApiServer::~ApiServer() { stop(); }

void ApiServer::install_routes() {
  auto& sys = system_;
  auto sup = supervisor_;
  auto started = started_;
  const std::string token = api_.auth_token;

  auto uptime = [started] {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                            started)
        .count();
  };
  // Every route but /health and /ready needs the bearer token when one is configured.
  server_->set_pre_routing_handler([token](const httplib::Request& req, httplib::Response& res) {
    if (token.empty() || req.path == "/health" || req.path == "/ready") {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    const std::string prefix = "Bearer ";
    auto header = req.get_header_value("Authorization");
    if (header.rfind(prefix, 0) == 0 && constant_time_equal(header.substr(prefix.size()), token)) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    res.set_header("WWW-Authenticate", "Bearer");
    send_json(res, 401, error_json("unauthorized", "missing or invalid bearer token"));
    return httplib::Server::HandlerResponse::Handled;
  });

  auto health = [&sys, sup, uptime](bool readiness) {
    return [&sys, sup, uptime, readiness](const httplib::Request&, httplib::Response& res) {
      auto report = ask<HealthReport>(sys, sup, kAskTimeout, health_atom::value);
      if (!report) {
        send_json(res, 503,
                  {{"status", "unresponsive"}, {"error", "the supervisor did not answer in time"}});
        return;
      }
      int status = readiness && !is_ready(*report) ? 503 : 200;
      send_json(res, status, health_json(*report, uptime()));
    };
  };
  server_->Get("/health", health(false));
  server_->Get("/ready", health(true));

  server_->Get("/api/v1/tenants", [&sys, sup](const httplib::Request&, httplib::Response& res) {
    auto tenants =
        ask<TenantSummaries>(sys, sup, std::chrono::milliseconds(2000), tenants_atom::value);
    if (!tenants) {
      send_json(res, 504, error_json("timeout", "the supervisor did not answer in time"));
      return;
    }
    send_json(res, 200, tenants_json(*tenants));
  });

  server_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 404) {
      send_json(res, 404, error_json("not_found", "no such route"));
    } else if (res.status == 405) {
      send_json(res, 405, error_json("method_not_allowed", "method not allowed on this route"));
    }
  });
  server_->set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        spdlog::error("event=http_handler_failed path={}", req.path);
        send_json(res, 500, error_json("internal", "internal error"));
      });
}

Status ApiServer::bind() {
  errno = 0;
  if (!server_->bind_to_port(api_.host.c_str(), api_.port)) {
    std::string reason = errno != 0 ? std::strerror(errno) : "address unavailable";
    return Status::error("cannot listen on " + api_.host + ":" + std::to_string(api_.port) + ": " +
                         reason);
  }
  port_ = api_.port;
  return Status::ok();
}

void ApiServer::start() {
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  spdlog::info("event=api_listening host={} port={}", api_.host, port_);
}

void ApiServer::stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace chitragupt::http
