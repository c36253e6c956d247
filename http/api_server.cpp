#include "http/api_server.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include <httplib.h>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>
#include <caf/all.hpp>

#include "emitters/prometheus_gauges.hpp"
#include "http/ask.hpp"
#include "http/compression.hpp"
#include "http/cors.hpp"
#include "http/health_json.hpp"
#include "http/openapi.hpp"
#include "http/readiness.hpp"
#include "http/report_routes.hpp"
#include "http/request_framing.hpp"
#include "http/tenant_metrics_text.hpp"
#include "http/ui_assets.hpp"
#include "messages/protocol.hpp"

namespace chitragupt::http {

using namespace messages;

namespace {

constexpr auto kAskTimeout = std::chrono::milliseconds(900);

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

// GET /api/v1/readiness: the supervisor's view of the tenants plus each tenant's pipeline
// status; a tenant that does not answer shows as not tables_ready (never a 503).
nlohmann::json readiness(caf::actor_system& sys, const caf::actor& sup, const std::string& mode,
                         std::chrono::milliseconds timeout) {
  auto health = ask<HealthReport>(sys, sup, kAskTimeout, health_atom::value);
  auto summaries =
      ask<TenantSummaries>(sys, sup, std::chrono::milliseconds(2000), tenants_atom::value);
  PipelineStatuses statuses;
  if (health) {
    // Every tenant is asked at once (one after the other took a second per hundred tenants),
    // by an actor of this request's own: a reply that comes after the deadline reaches an actor
    // that is gone, never a later request's mailbox (http/ask.hpp).
    caf::scoped_actor self{sys};
    std::vector<std::pair<std::string, caf::message_id>> asked;
    asked.reserve(health->tenants.size());
    for (const auto& t : health->tenants) {
      report::Request request;
      request.method = "GET";
      request.route = "/tenants/{tenant}/pipeline/status";
      auto handle =
          self->request(sup, caf::infinite, report_atom::value, t.name, std::move(request));
      asked.emplace_back(t.name, handle.id());
      statuses[t.name];  // no answer yet
    }
    // Each answer is a database read on the pool's io lane (a thousand take seconds), so the
    // wait is the request timeout (api.request_timeout_seconds); a tenant not answered by then
    // is shown as not tables_ready.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (const auto& [name, id] : asked) {
      for (bool answered = false; !answered;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || asks_abandoned()) break;
        caf::blocking_actor::accept_one_cond one;
        self->varargs_receive(
            one, id,
            [&, name = name](report::Response& reply) {
              answered = true;
              if (reply.status != 200) return;
              auto body = nlohmann::json::parse(reply.body, nullptr, false);
              if (body.is_object()) statuses[name] = std::move(body);
            },
            [&](caf::error&) { answered = true; }, caf::after(std::min(left, kAskSlice)) >> [] {});
      }
    }
  }
  return readiness_json(health.value_or(HealthReport{}), summaries.value_or(TenantSummaries{}),
                        statuses, mode);
}

// /health and /ready serve the supervisor's health snapshot (messages::HealthSnapshot),
// serialised once per snapshot: with a thousand tenants a request then costs one ask and a copy
// of ~100 KB instead of building the JSON. The first request that sees a new snapshot builds its
// body; requests arriving meanwhile wait for it rather than build it too.
class HealthBodyCache {
 public:
  std::shared_ptr<const HealthBody> body_of(const HealthSnapshot& snapshot) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!body_ || report_ != snapshot.report) {
      static const HealthReport kEmpty;
      body_ = std::make_shared<const HealthBody>(
          health_body(snapshot.report ? *snapshot.report : kEmpty));
      report_ = snapshot.report;
    }
    return body_;
  }

 private:
  std::mutex mutex_;
  std::shared_ptr<const HealthReport> report_;  // held, so its address is never reused
  std::shared_ptr<const HealthBody> body_;
};

bool constant_time_equal(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// When the request on this thread started and which route id answered it, for /metrics.
struct RequestTiming {
  std::chrono::steady_clock::time_point start;
  std::string route;
  bool active = false;
};

RequestTiming& current_timing() {
  thread_local RequestTiming timing;
  return timing;
}

// Tags the request with its route id before the handler runs.
httplib::Server::Handler named(std::string route, httplib::Server::Handler handler) {
  return [route = std::move(route), handler = std::move(handler)](const httplib::Request& req,
                                                                  httplib::Response& res) {
    current_timing().route = route;
    handler(req, res);
  };
}

// A streamed answer: the first chunk is in hand; each later one is asked for with the cursor
// the previous chunk gave, one message per chunk, so the tenant never holds a whole export.
struct ChunkStream {
  std::string tenant;
  report::Request request;
  std::string pending;
  std::optional<std::string> next_cursor;
};

// One of the kTenantRequestSlots, held from the handler to the end of a streamed body.
class TenantRequestSlot {
 public:
  explicit TenantRequestSlot(std::shared_ptr<std::atomic<int>> in_flight)
      : in_flight_(std::move(in_flight)) {
    taken_ = in_flight_->fetch_add(1) < ApiServer::kTenantRequestSlots;
  }
  ~TenantRequestSlot() { in_flight_->fetch_sub(1); }
  TenantRequestSlot(const TenantRequestSlot&) = delete;
  TenantRequestSlot& operator=(const TenantRequestSlot&) = delete;
  bool taken() const { return taken_; }

 private:
  std::shared_ptr<std::atomic<int>> in_flight_;
  bool taken_ = false;
};

void stream_chunks(caf::actor_system& sys, const caf::actor& sup, std::chrono::milliseconds timeout,
                   std::string tenant, report::Request request, report::Response first,
                   std::shared_ptr<TenantRequestSlot> slot, httplib::Response& res) {
  auto stream = std::make_shared<ChunkStream>();
  stream->tenant = std::move(tenant);
  stream->request = std::move(request);
  stream->pending = std::move(first.body);
  stream->next_cursor = std::move(first.next_cursor);
  res.status = 200;
  res.set_chunked_content_provider(
      first.content_type, [&sys, sup, timeout, stream, slot](std::size_t, httplib::DataSink& sink) {
        if (!stream->pending.empty()) {
          if (!sink.write(stream->pending.data(), stream->pending.size())) return false;
          stream->pending.clear();
        }
        if (!stream->next_cursor) {
          sink.done();
          return true;
        }
        stream->request.cursor = *stream->next_cursor;
        auto next = ask<report::Response>(sys, sup, timeout, report_atom::value, stream->tenant,
                                          stream->request);
        if (!next || next->status != 200) {
          // The status line is gone already: ending the connection without the last chunk is
          // how the client learns that the body is incomplete.
          spdlog::warn("tenant={} event=export_aborted reason={}", stream->tenant,
                       next ? "chunk status " + std::to_string(next->status) : "timeout");
          return false;
        }
        stream->pending = std::move(next->body);
        stream->next_cursor = std::move(next->next_cursor);
        return true;
      });
}

}  // namespace

ApiServer::ApiServer(caf::actor_system& system, caf::actor supervisor, config::ApiConfig api,
                     std::string mode)
    : system_(system),
      supervisor_(std::move(supervisor)),
      api_(std::move(api)),
      mode_(std::move(mode)),
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
  server_->new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
  server_->set_keep_alive_max_count(1000);
  server_->set_keep_alive_timeout(10);
  server_->set_read_timeout(api_.request_timeout_seconds, 0);
  server_->set_write_timeout(api_.request_timeout_seconds, 0);
  install_routes();
}

ApiServer::~ApiServer() { stop(); }

const std::vector<OwnRoute>& ApiServer::own_routes() {
  static const std::vector<OwnRoute> routes = {
      {"/health", false},      {"/ready", false},         {"/metrics", true},
      {"/openapi.json", true}, {"/api/v1/tenants", true}, {"/api/v1/readiness", true}};
  return routes;
}

void ApiServer::install_routes() {
  auto& sys = system_;
  auto sup = supervisor_;
  auto started = started_;
  auto metrics = request_metrics_;
  const std::string token = api_.auth_token;

  auto uptime = [started] {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                            started)
        .count();
  };
  // CORS first (http/cors.hpp): a preflight carries no token. Then every route but /health,
  // /ready and the UI's files (which hold no data) needs the bearer token when one is set.
  Cors cors(api_.enable_cors, api_.cors_origins);
  server_->set_pre_routing_handler([token, cors](const httplib::Request& req,
                                                 httplib::Response& res) {
    current_timing() = RequestTiming{std::chrono::steady_clock::now(), "unmatched", true};
    frame_bodiless_request(req);
    offer_gzip_only(req);
    if (cors.apply(req, res)) return httplib::Server::HandlerResponse::Handled;
    if (token.empty() || req.path == "/health" || req.path == "/ready" ||
        (req.method == "GET" && is_ui_path(req.path))) {
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
  // Called once a response is written (streamed bodies included), on the request's thread.
  server_->set_logger([metrics](const httplib::Request&, const httplib::Response& res) {
    RequestTiming& t = current_timing();
    double seconds =
        t.active ? std::chrono::duration<double>(std::chrono::steady_clock::now() - t.start).count()
                 : 0.0;
    metrics->record(t.active ? t.route : std::string("unmatched"), res.status, seconds);
    t.active = false;
  });

  auto health_cache = std::make_shared<HealthBodyCache>();
  auto health = [&sys, sup, uptime, health_cache](bool readiness) {
    return [&sys, sup, uptime, readiness, health_cache](const httplib::Request&,
                                                        httplib::Response& res) {
      auto snapshot = ask<HealthSnapshot>(sys, sup, kAskTimeout, health_snapshot_atom::value);
      if (!snapshot) {
        send_json(res, 503,
                  {{"status", "unresponsive"}, {"error", "the supervisor did not answer in time"}});
        return;
      }
      auto body = health_cache->body_of(*snapshot);
      res.status = readiness && !body->ready ? 503 : 200;
      res.set_content(body->text(uptime()), "application/json");
    };
  };

  std::map<std::string, httplib::Server::Handler> own;
  own["/health"] = health(false);
  own["/ready"] = health(true);
  own["/api/v1/tenants"] = [&sys, sup](const httplib::Request&, httplib::Response& res) {
    auto tenants =
        ask<TenantSummaries>(sys, sup, std::chrono::milliseconds(2000), tenants_atom::value);
    if (!tenants) {
      send_json(res, 504, error_json("timeout", "the supervisor did not answer in time"));
      return;
    }
    send_json(res, 200, tenants_json(*tenants));
  };
  const auto readiness_timeout = std::chrono::milliseconds(
      std::max<std::int64_t>(1000, 1000LL * api_.request_timeout_seconds - 500));
  own["/api/v1/readiness"] = [&sys, sup, mode = mode_, readiness_timeout](const httplib::Request&,
                                                                          httplib::Response& res) {
    send_json(res, 200, readiness(sys, sup, mode, readiness_timeout));
  };
  own["/metrics"] = [&sys, sup, metrics](const httplib::Request&, httplib::Response& res) {
    auto tenants =
        ask<EngineMetrics>(sys, sup, std::chrono::milliseconds(2000), metrics_atom::value);
    if (!tenants) {
      send_json(res, 504, error_json("timeout", "the supervisor did not answer in time"));
      return;
    }
    std::string text = render_tenant_metrics(*tenants);
    text += metrics->render();
    text += emitters::render_gauges();  // the prometheus emitter's chitragupta_* gauges
    res.status = 200;
    res.set_content(text, "text/plain; version=0.0.4; charset=utf-8");
  };
  own["/openapi.json"] = [](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_content(openapi_document(), "application/json");
  };
  for (const auto& route : own_routes()) {
    server_->Get(route.path, named(route.path, own.at(route.path)));
  }
  install_report_routes();
  // Last, so it never shadows a route above (http/ui_assets.hpp).
  server_->Get(ui_route_pattern(), named("ui", serve_ui));

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

void ApiServer::install_report_routes() {
  auto& sys = system_;
  auto sup = supervisor_;
  const auto timeout = std::chrono::milliseconds(1000LL * api_.request_timeout_seconds);
  auto in_flight = tenant_requests_;

  for (const RoutePattern& pattern : report_route_patterns()) {
    const std::string label = std::string(kApiPrefix) + pattern.route;
    httplib::Server::Handler handler = [&sys, sup, pattern, timeout, in_flight](
                                           const httplib::Request& req, httplib::Response& res) {
      auto slot = std::make_shared<TenantRequestSlot>(in_flight);
      if (!slot->taken()) {
        res.set_header("Retry-After", "1");
        send_json(res, 503,
                  error_json("busy", "too many report requests in flight (" +
                                         std::to_string(ApiServer::kTenantRequestSlots) +
                                         "); retry shortly"));
        return;
      }
      std::string tenant;
      report::Request request;
      request.method = pattern.method;
      request.route = pattern.route;
      for (std::size_t i = 0; i < pattern.params.size() && i + 1 < req.matches.size(); ++i) {
        std::string value = req.matches[i + 1].str();
        if (pattern.params[i] == "tenant") {
          tenant = std::move(value);
        } else {
          request.path_params.emplace_back(pattern.params[i], std::move(value));
        }
      }
      request.query = query_params(req.target);
      request.body = req.body;
      auto reply = ask<report::Response>(sys, sup, timeout, report_atom::value, tenant, request);
      if (!reply) {
        send_json(res, 504,
                  error_json("timeout", "the tenant did not answer within the request timeout"));
        return;
      }
      bool is_export = pattern.route == "/tenants/{tenant}/export";
      if (reply->status != 200 || !(is_export || reply->next_cursor)) {
        res.status = reply->status;
        res.set_content(reply->body, reply->content_type);
        return;
      }
      stream_chunks(sys, sup, timeout, tenant, std::move(request), std::move(*reply),
                    std::move(slot), res);
      if (is_export) {
        res.set_header("Content-Disposition", "attachment; filename=\"chargebacks.csv\"");
      }
    };
    handler = named(label, std::move(handler));
    if (pattern.method == "GET") {
      server_->Get(pattern.regex, handler);
    } else if (pattern.method == "POST") {
      server_->Post(pattern.regex, handler);
    } else if (pattern.method == "PUT") {
      server_->Put(pattern.regex, handler);
    } else if (pattern.method == "DELETE") {
      server_->Delete(pattern.regex, handler);
    }
  }
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
  resume_asks();  // an earlier server of this process may have abandoned them when it stopped
  listen_returned_ = false;
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    listen_returned_ = true;
  });
  spdlog::info("event=api_listening host={} port={}", api_.host, port_);
}

void ApiServer::stop() {
  abandon_asks();  // handlers waiting for a stopping actor give up at once
  // httplib's stop() does nothing until listen_after_bind() has begun, so a stop right after
  // start() (a SIGTERM during start-up) left the thread listening and the join below waiting for
  // good. Stop again until the listening thread has returned.
  if (server_) server_->stop();
  while (server_ && thread_.joinable() && !listen_returned_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    server_->stop();
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace chitragupt::http
