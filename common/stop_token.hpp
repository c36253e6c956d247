#pragma once
// Cancellation that reaches every wait. A StopSource raises a stop once; its StopTokens see it:
// code that loops checks stop_requested(), code that sleeps sleeps with wait_for() (woken at
// once by the stop), and code blocked in a call another thread can abort (an HTTP request, a
// database query) registers a StopCallback that aborts it.
//
// Sources form a tree: a source made from a parent token stops when the parent does (the
// process's stop reaches each tenant's, and each tenant's reaches each run's), never the other
// way round. The first reason given is kept, so a run can say why it was stopped.
//
// Everything here is thread-safe. A default StopToken never stops (wait_for just sleeps).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace chitragupt {

namespace detail {
struct StopState;
}

class StopToken {
 public:
  StopToken() = default;
  bool stop_requested() const;
  // False for a default token: nothing can ever stop it.
  bool stop_possible() const { return state_ != nullptr; }
  // Sleeps up to `duration`; true when it returned early because a stop was requested.
  bool wait_for(std::chrono::milliseconds duration) const;
  // Why the stop was requested ("" before).
  std::string reason() const;

 private:
  friend class StopSource;
  friend class StopCallback;
  explicit StopToken(std::shared_ptr<detail::StopState> state) : state_(std::move(state)) {}
  std::shared_ptr<detail::StopState> state_;
};

class StopSource {
 public:
  StopSource();
  // Stops when `parent` stops (with the parent's reason), or when asked itself.
  explicit StopSource(const StopToken& parent);
  ~StopSource();
  StopSource(StopSource&&) noexcept;
  StopSource& operator=(StopSource&&) noexcept;
  StopSource(const StopSource&) = delete;
  StopSource& operator=(const StopSource&) = delete;

  // Raises the stop (once: later calls change nothing) and runs the registered callbacks.
  void request_stop(const std::string& reason = "stop requested");
  bool stop_requested() const { return token().stop_requested(); }
  StopToken token() const { return StopToken(state_); }

 private:
  std::shared_ptr<detail::StopState> state_;
  // The registration on the parent's state that relays its stop here (0: none).
  std::shared_ptr<detail::StopState> parent_;
  std::uint64_t parent_link_ = 0;
};

// Runs `callback` once when the token's stop is requested (at once, on this thread, if it
// already was). The destructor unregisters it and waits for a run in progress to end, so the
// callback may use what the registering scope owns. A callback must not destroy a StopCallback
// of the same token.
class StopCallback {
 public:
  StopCallback(const StopToken& token, std::function<void()> callback);
  ~StopCallback();
  StopCallback(const StopCallback&) = delete;
  StopCallback& operator=(const StopCallback&) = delete;

 private:
  std::shared_ptr<detail::StopState> state_;
  std::uint64_t id_ = 0;
};

}  // namespace chitragupt
