// A running ccloud-sim: the generated organisation behind an HTTP server.
//
// The constructor generates everything (model, telemetry, billing ledger) from the options;
// start() binds and serves on a background thread, stop() (or the destructor) shuts it down.
// Used by main.cpp and, in-process on a free loopback port, by the tests.
#pragma once

#include <memory>

#include "sim/billing.hpp"
#include "sim/options.hpp"
#include "sim/org_model.hpp"
#include "sim/telemetry.hpp"

namespace ccloud_sim {

class SimServer {
 public:
  explicit SimServer(SimOptions options);
  ~SimServer();
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  // Binds options.host:options.port (port 0: a free port) and serves in the background.
  // False when the address cannot be bound.
  bool start();
  void stop();

  int port() const;  // the bound port, valid after start()
  const SimOptions& options() const;
  const OrgModel& model() const;
  const Telemetry& telemetry() const;
  const BillingLedger& ledger() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The simulator's options with the window pinned (end_day resolved from today's date if unset).
SimOptions resolve_window(SimOptions options);

}  // namespace ccloud_sim
