#pragma once
// features.max_parallel_tenants: at most that many pipeline runs at once in the process (the
// original's thread pool of min(#tenants, max_parallel_tenants)). A run waits for a slot before
// it starts; the limit follows the configuration (set at start and on reload).

#include <condition_variable>
#include <mutex>

#include "common/stop_token.hpp"

namespace chitragupt::pipeline {

class RunSlots {
 public:
  // The process's slots.
  static RunSlots& instance();

  void set_limit(int limit);
  int limit() const;

  // Held while a run goes on.
  class Slot {
   public:
    Slot() = default;
    explicit Slot(RunSlots* owner) : owner_(owner) {}
    Slot(Slot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    ~Slot() {
      if (owner_) owner_->release();
    }
    explicit operator bool() const { return owner_ != nullptr; }

   private:
    RunSlots* owner_ = nullptr;
  };

  // Waits for a free slot; an empty Slot if `stop` was requested first.
  Slot acquire(const StopToken& stop);

  int in_use() const;
  int peak() const;  // the most in use at once so far (for tests)

 private:
  void release();

  mutable std::mutex mu_;
  std::condition_variable freed_;
  int limit_ = 4;
  int in_use_ = 0;
  int peak_ = 0;
};

}  // namespace chitragupt::pipeline
