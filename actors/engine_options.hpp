#pragma once
// Settings of the actor tree that do not come from the config file.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/stop_token.hpp"

namespace chitragupt::actors {

enum class Mode { worker, api, both };
const char* to_string(Mode m);

struct EngineOptions {
  Mode mode = Mode::both;
  // Each tenant runs its pipeline once; when every tenant has finished (or failed),
  // on_run_once_complete is called (from an actor thread).
  bool run_once = false;
  std::function<void()> on_run_once_complete;
  // Requested by the process on SIGTERM/SIGINT (reason pipeline::kStopShutdown); every wait of
  // every tenant's pipeline ends when it is.
  std::shared_ptr<StopSource> stop = std::make_shared<StopSource>();

  std::chrono::milliseconds heartbeat_interval{1000};
  std::chrono::milliseconds heartbeat_timeout{2000};
  std::chrono::milliseconds restart_base{1000};   // first restart delay, doubling ...
  std::chrono::milliseconds restart_max{300000};  // ... up to 5 minutes
  // A tenant that stayed up this long starts its backoff from restart_base again.
  std::chrono::milliseconds restart_reset_after{60000};
};

}  // namespace chitragupt::actors
