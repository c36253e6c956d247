#include "sim/faults.hpp"

#include "sim/random.hpp"

namespace ccloud_sim {

FaultInjector::FaultInjector(uint64_t seed, FaultOptions options)
    : seed_(seed), options_(std::move(options)) {}

std::optional<InjectedFault> FaultInjector::throttle() {
  if (options_.rate_limit <= 0) return std::nullopt;
  using namespace std::chrono;
  const auto now = duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
  const int64_t second = now / 1000;
  std::lock_guard<std::mutex> lock(window_mutex_);
  if (second != window_second_) {
    window_second_ = second;
    window_count_ = 0;
  }
  if (++window_count_ <= options_.rate_limit) return std::nullopt;
  InjectedFault fault;
  fault.status = 429;
  fault.code = "too_many_requests";
  fault.title = "Too Many Requests";
  fault.detail =
      "Rate limit of " + std::to_string(options_.rate_limit) + " requests per second exceeded";
  fault.retry_after = 1;
  return fault;
}

std::optional<InjectedFault> FaultInjector::failure(const std::string& path) {
  for (const auto& prefix : options_.fail_paths) {
    if (path.compare(0, prefix.size(), prefix) == 0) {
      return InjectedFault{500, "internal_error", "Internal Server Error",
                           "Injected permanent failure for " + prefix, 0};
    }
  }
  if (options_.fail_rate <= 0) return std::nullopt;
  const uint64_t n = fail_sequence_++;
  const uint64_t h = hash_of(seed_, "fail", n);
  if (unit_interval(h) >= options_.fail_rate) return std::nullopt;
  if (h & 1) {
    return InjectedFault{503, "service_unavailable", "Service Unavailable",
                         "Injected transient failure", 0};
  }
  return InjectedFault{500, "internal_error", "Internal Server Error", "Injected transient failure",
                       0};
}

bool FaultInjector::truncate_next() {
  if (options_.truncate_rate <= 0) return false;
  const uint64_t n = truncate_sequence_++;
  return unit_interval(hash_of(seed_, "truncate", n)) < options_.truncate_rate;
}

std::string FaultInjector::truncate(const std::string& body) {
  if (body.size() < 2) return std::string();
  return body.substr(0, body.size() / 2);
}

}  // namespace ccloud_sim
