#pragma once
// A hard deadline for one blocking httplib request. httplib's own timeouts bound each
// connect/read/write call, so a server that trickles bytes can hold a request far longer; a
// watchdog thread calls Client::stop() (httplib's thread-safe way to abort an in-flight
// request: it shuts the socket down) when the deadline passes.

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace chitragupt::ccloud {

// Runs request() (which uses `client`) on this thread; `timed_out` tells whether the
// watchdog had to stop it.
template <typename Request>
httplib::Result run_with_deadline(httplib::Client& client, std::chrono::milliseconds timeout,
                                  Request request, bool& timed_out) {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  timed_out = false;
  std::thread watchdog([&] {
    std::unique_lock<std::mutex> lock(mutex);
    if (!done_cv.wait_for(lock, timeout, [&] { return done; })) {
      timed_out = true;
      client.stop();
    }
  });
  httplib::Result result = request();
  {
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
  }
  done_cv.notify_one();
  watchdog.join();
  return result;
}

}  // namespace chitragupt::ccloud
