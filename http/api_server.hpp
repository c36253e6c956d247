#pragma once
// The HTTP front end (cpp-httplib). Handlers never touch a database or tenant state: they ask
// the supervisor by message with a short timeout, from one scoped actor per server thread, and
// turn the reply into JSON. A slow or stuck tenant therefore never blocks a request for long.

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "common/status.hpp"
#include "config/config.hpp"

namespace httplib {
class Server;
}

namespace chitragupt::http {

class ApiServer {
 public:
  ApiServer(caf::actor_system& system, caf::actor supervisor, config::ApiConfig api);
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

  caf::actor_system& system_;
  caf::actor supervisor_;
  config::ApiConfig api_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace chitragupt::http
