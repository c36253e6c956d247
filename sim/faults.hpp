// Fault injection: how the simulated API misbehaves on purpose.
//
// The random faults (--fail-rate, --truncate-rate) follow a sequence derived from the seed: the
// n-th request that reaches the check gets the same answer on every run. The rate limiter is a
// one-second fixed window on the steady clock. Thread-safe; one instance per server.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "sim/options.hpp"

namespace ccloud_sim {

struct InjectedFault {
  int status = 500;
  std::string code, title, detail;
  int retry_after = 0;  // seconds; > 0 adds Retry-After and rateLimit-reset headers
};

class FaultInjector {
 public:
  FaultInjector(uint64_t seed, FaultOptions options);

  int latency_ms() const { return options_.latency_ms; }

  // 429 when this request is over --rate-limit within the current second.
  std::optional<InjectedFault> throttle();
  // 500 for a --fail-path prefix, else 500/503 when the fail-rate sequence says so.
  std::optional<InjectedFault> failure(const std::string& path);
  // Whether the next 200 response is cut (--truncate-rate sequence).
  bool truncate_next();
  // The first half of `body` (always invalid JSON for an object or array body).
  static std::string truncate(const std::string& body);

 private:
  uint64_t seed_;
  FaultOptions options_;
  std::atomic<uint64_t> fail_sequence_{0};
  std::atomic<uint64_t> truncate_sequence_{0};
  std::mutex window_mutex_;
  int64_t window_second_ = -1;
  int window_count_ = 0;
};

}  // namespace ccloud_sim
