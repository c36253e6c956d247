// The limit the HTTP benches compare the engine with: a bare cpp-httplib server answering a
// constant JSON /health, configured as the engine's server is (TCP_NODELAY, 32 threads,
// keep-alive), with nothing behind it.
//
//   bare_http_server <port>      serves 127.0.0.1:<port> until killed
//
// Not a Google Benchmark program (bench/*.cpp all link the library; this one has its own main).

#include <cstdlib>
#include <iostream>

#include <httplib.h>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bare_http_server <port>\n";
    return 2;
  }
  httplib::Server server;
  server.set_tcp_nodelay(true);
  server.new_task_queue = [] { return new httplib::ThreadPool(32); };
  server.set_keep_alive_max_count(1000);
  server.set_keep_alive_timeout(10);
  server.Get("/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"healthy","version":"bare","uptime_seconds":0,"tenants":{}})",
                    "application/json");
  });
  if (!server.listen("127.0.0.1", std::atoi(argv[1]))) {
    std::cerr << "bare_http_server: cannot listen on port " << argv[1] << "\n";
    return 1;
  }
  return 0;
}
