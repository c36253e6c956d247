#include "common/stop_token.hpp"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace chitragupt {

namespace detail {

// Callbacks run with `mu` held: that is what lets ~StopCallback wait for a run in progress.
struct StopState {
  std::mutex mu;
  std::condition_variable stopped_cv;
  bool stopped = false;
  std::string reason;
  std::uint64_t next_id = 1;
  std::map<std::uint64_t, std::function<void(const std::string& reason)>> callbacks;

  // Registers `callback`, or returns 0 without registering when the stop was already requested.
  std::uint64_t add(std::function<void(const std::string&)> callback) {
    std::lock_guard<std::mutex> lock(mu);
    if (stopped) return 0;
    std::uint64_t id = next_id++;
    callbacks.emplace(id, std::move(callback));
    return id;
  }
  void remove(std::uint64_t id) {
    std::lock_guard<std::mutex> lock(mu);
    callbacks.erase(id);
  }
  void stop(const std::string& why) {
    std::lock_guard<std::mutex> lock(mu);
    if (stopped) return;
    stopped = true;
    reason = why;
    stopped_cv.notify_all();
    for (auto& [id, callback] : callbacks) callback(reason);
    callbacks.clear();
  }
};

}  // namespace detail

bool StopToken::stop_requested() const {
  if (!state_) return false;
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->stopped;
}

bool StopToken::wait_for(std::chrono::milliseconds duration) const {
  if (!state_) {
    std::this_thread::sleep_for(duration);
    return false;
  }
  std::unique_lock<std::mutex> lock(state_->mu);
  return state_->stopped_cv.wait_for(lock, duration, [this] { return state_->stopped; });
}

std::string StopToken::reason() const {
  if (!state_) return "";
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->reason;
}

StopSource::StopSource() : state_(std::make_shared<detail::StopState>()) {}

StopSource::StopSource(const StopToken& parent) : StopSource() {
  if (!parent.state_) return;
  // The relay holds the child's state weakly: a parent outliving its children keeps nothing.
  std::weak_ptr<detail::StopState> child = state_;
  parent_link_ = parent.state_->add([child](const std::string& reason) {
    if (auto state = child.lock()) state->stop(reason);
  });
  if (parent_link_ != 0) {
    parent_ = parent.state_;
  } else {
    state_->stop(parent.reason());  // the parent had already stopped
  }
}

StopSource::~StopSource() {
  if (parent_) parent_->remove(parent_link_);
}

StopSource::StopSource(StopSource&& other) noexcept
    : state_(std::move(other.state_)),
      parent_(std::move(other.parent_)),
      parent_link_(other.parent_link_) {
  other.parent_link_ = 0;
}

StopSource& StopSource::operator=(StopSource&& other) noexcept {
  if (this != &other) {
    if (parent_) parent_->remove(parent_link_);
    state_ = std::move(other.state_);
    parent_ = std::move(other.parent_);
    parent_link_ = other.parent_link_;
    other.parent_link_ = 0;
  }
  return *this;
}

void StopSource::request_stop(const std::string& reason) {
  if (state_) state_->stop(reason);
}

StopCallback::StopCallback(const StopToken& token, std::function<void()> callback)
    : state_(token.state_) {
  if (!state_) return;
  id_ = state_->add([callback](const std::string&) { callback(); });
  if (id_ == 0) callback();  // already stopped: run it here, now
}

StopCallback::~StopCallback() {
  if (state_ && id_ != 0) state_->remove(id_);
}

}  // namespace chitragupt
