#include "pipeline/run_slots.hpp"

#include <algorithm>

namespace chitragupt::pipeline {

RunSlots& RunSlots::instance() {
  static RunSlots slots;
  return slots;
}

void RunSlots::set_limit(int limit) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    limit_ = std::max(1, limit);
  }
  freed_.notify_all();
}

int RunSlots::limit() const {
  std::lock_guard<std::mutex> lock(mu_);
  return limit_;
}

RunSlots::Slot RunSlots::acquire(const StopToken& stop) {
  // Woken by a release or by the stop.
  StopCallback wake(stop, [this] {
    std::lock_guard<std::mutex> lock(mu_);
    freed_.notify_all();
  });
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (stop.stop_requested()) return Slot();
    if (in_use_ < limit_) break;
    freed_.wait(lock);
  }
  ++in_use_;
  peak_ = std::max(peak_, in_use_);
  return Slot(this);
}

int RunSlots::in_use() const {
  std::lock_guard<std::mutex> lock(mu_);
  return in_use_;
}

int RunSlots::peak() const {
  std::lock_guard<std::mutex> lock(mu_);
  return peak_;
}

void RunSlots::release() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    --in_use_;
  }
  freed_.notify_one();
}

}  // namespace chitragupt::pipeline
