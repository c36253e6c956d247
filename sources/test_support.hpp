#pragma once
// Test doubles for the ccloud tests: an in-process HTTP server on 127.0.0.1 (a free port) and
// a clock that records the waits it is asked for instead of sleeping.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sources/clock.hpp"

namespace chitragupt::ccloud::testing {

// Register handlers on server(), then start(). Stopped and joined on destruction.
class FakeServer {
 public:
  FakeServer() = default;
  ~FakeServer() {
    release_sleepers();
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  httplib::Server& server() { return server_; }

  void start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 500 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

  // For slow handlers: waits `duration`, or less when the test ends.
  void slow_down(std::chrono::milliseconds duration) {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, duration, [this] { return released_; });
  }

 private:
  void release_sleepers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      released_ = true;
    }
    cv_.notify_all();
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool released_ = false;
};

// now() starts at a fixed instant and advances only by the sleeps it records.
class RecordingClock : public Clock {
 public:
  std::chrono::system_clock::time_point now() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return now_;
  }
  void sleep_for(std::chrono::milliseconds duration) override {
    std::lock_guard<std::mutex> lock(mutex_);
    sleeps_.push_back(duration);
    now_ += duration;
  }
  std::vector<std::chrono::milliseconds> sleeps() {
    std::lock_guard<std::mutex> lock(mutex_);
    return sleeps_;
  }

 private:
  std::mutex mutex_;
  std::chrono::system_clock::time_point now_ =
      std::chrono::system_clock::time_point(std::chrono::seconds(1769904000));  // 2026-02-01
  std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace chitragupt::ccloud::testing
