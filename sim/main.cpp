// ccloud-sim: a simulated Confluent Cloud organisation over HTTP (see sim/sim_server.hpp).
#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <string>
#include <vector>

#include "sim/options.hpp"
#include "sim/sim_server.hpp"
#include "sim/sim_time.hpp"

int main(int argc, char** argv) {
  using namespace ccloud_sim;
  const std::vector<std::string> args(argv + 1, argv + argc);
  const ParsedCommandLine parsed = parse_command_line(args);
  if (parsed.help) {
    std::cout << usage_text();
    return 0;
  }
  if (!parsed.options) {
    std::cerr << "ccloud-sim: " << parsed.error << " (see --help)\n";
    return 2;
  }

  // Signals are taken by sigwait below; every server thread inherits the blocked mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  SimServer server(*parsed.options);
  if (!server.start()) {
    std::cerr << "ccloud-sim: cannot listen on " << parsed.options->host << ":"
              << parsed.options->port << "\n";
    return 1;
  }
  std::cout << "listening on " << server.options().host << ":" << server.port() << std::endl;

  const OrgModel& m = server.model();
  std::cerr << "ccloud-sim: seed " << m.seed << ", preset " << preset_name(m.preset) << ", window "
            << format_date(m.start_day) << ".." << format_date(m.end_day) << " (exclusive), "
            << m.environments.size() << " environments, " << m.kafka_clusters.size()
            << " Kafka clusters, " << m.service_accounts.size() << " service accounts, "
            << m.users.size() << " users, " << m.api_keys.size() << " API keys, "
            << server.ledger().rows().size() << " billing rows; credentials "
            << server.options().api_key << ":<secret>" << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  server.stop();
  return 0;
}
