#include "sim/sim_server.hpp"

#include <atomic>
#include <chrono>
#include <thread>

#include <httplib.h>

#include "sim/faults.hpp"
#include "sim/routes.hpp"
#include "sim/sim_time.hpp"

namespace ccloud_sim {

SimOptions resolve_window(SimOptions options) {
  if (!options.end_day) options.end_day = today_utc();
  return options;
}

struct SimServer::State {
  explicit State(SimOptions opts)
      : options(resolve_window(std::move(opts))),
        model(generate_org(options.seed, options.preset, *options.end_day, options.days)),
        telemetry(model),
        ledger(model, telemetry),
        faults(options.seed, options.faults),
        context{options, model, telemetry, ledger, faults} {
    http.set_tcp_nodelay(true);  // small JSON answers must not wait for delayed ACKs
    // httplib's default of 8 workers stalls several keep-alive clients (and --latency-ms).
    http.new_task_queue = [] { return new httplib::ThreadPool(32); };
    install_routes(http, context);
  }

  bool bind() {
    if (bound_port > 0) return true;
    if (options.port == 0) {
      bound_port = http.bind_to_any_port(options.host);
    } else if (http.bind_to_port(options.host, options.port)) {
      bound_port = options.port;
    }
    if (bound_port > 0) options.port = bound_port;
    return bound_port > 0;
  }

  SimOptions options;
  OrgModel model;
  Telemetry telemetry;
  BillingLedger ledger;
  FaultInjector faults;
  RouteContext context;
  httplib::Server http;
  std::thread thread;
  std::atomic<bool> listen_finished{false};
  int bound_port = 0;
};

SimServer::SimServer(SimOptions options) : state_(std::make_unique<State>(std::move(options))) {}

SimServer::~SimServer() { stop(); }

bool SimServer::start() {
  if (!state_->bind()) return false;
  State& s = *state_;
  s.thread = std::thread([&s] {
    s.http.listen_after_bind();
    s.listen_finished = true;
  });
  // stop() only works on a running server: wait until it is (or has already given up).
  while (!s.http.is_running() && !s.listen_finished) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return !s.listen_finished;
}

void SimServer::stop() {
  state_->http.stop();
  if (state_->thread.joinable()) state_->thread.join();
}

int SimServer::port() const { return state_->bound_port; }
const SimOptions& SimServer::options() const { return state_->options; }
const OrgModel& SimServer::model() const { return state_->model; }
const Telemetry& SimServer::telemetry() const { return state_->telemetry; }
const BillingLedger& SimServer::ledger() const { return state_->ledger; }

}  // namespace ccloud_sim
