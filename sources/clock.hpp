#pragma once
// Time as the retry logic sees it: "now" (for epoch-valued rate-limit headers) and sleeping.
// Injected so tests can record the waits they would have made instead of sleeping.

#include <chrono>
#include <functional>
#include <memory>

#include "common/stop_token.hpp"

namespace chitragupt::ccloud {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() = 0;
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
  // Sleeps `duration` unless `stop` is requested first (then returns at once); false when
  // stopped. A token that cannot stop sleeps with sleep_for, so test clocks see the wait.
  bool sleep_unless_stopped(std::chrono::milliseconds duration, const StopToken& stop) {
    if (!stop.stop_possible()) {
      sleep_for(duration);
      return true;
    }
    return !stop.wait_for(duration);
  }
};

// The real wall clock and std::this_thread::sleep_for.
std::shared_ptr<Clock> system_clock();

// Uniform [0, 1) draws for jitter; the default is a per-thread Mersenne twister.
using Uniform01 = std::function<double()>;
Uniform01 default_uniform01();

}  // namespace chitragupt::ccloud
