#pragma once
// A hard deadline for one blocking httplib request, and its cancellation. httplib's own
// timeouts bound each connect/read/write call, so a server that trickles bytes can hold a
// request far longer; a watchdog thread calls Client::stop() (httplib's thread-safe way to
// abort an in-flight request: it shuts the socket down) when the deadline passes or when `stop`
// is requested. Client::stop() cannot cut a TCP connect short (httplib holds its socket lock
// while connecting), so after a stop the watchdog repeats it until the request returns: a
// connect to a host that never answers ends within the connection timeout.

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/stop_token.hpp"

namespace chitragupt::ccloud {

enum class RequestEnd { finished, timed_out, stopped };

// Runs request() (which uses `client`) on this thread; `how` tells whether the watchdog had to
// stop it, and why.
template <typename Request>
httplib::Result run_with_deadline(httplib::Client& client, std::chrono::milliseconds timeout,
                                  const StopToken& stop, Request request, RequestEnd& how) {
  std::mutex mutex;
  std::condition_variable wake;
  bool done = false;
  bool stopped = false;
  how = RequestEnd::finished;
  std::thread watchdog([&] {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock<std::mutex> lock(mutex);
    if (wake.wait_until(lock, deadline, [&] { return done || stopped; }) && done) return;
    how = stopped ? RequestEnd::stopped : RequestEnd::timed_out;
    do {
      lock.unlock();
      client.stop();
      lock.lock();
    } while (!wake.wait_for(lock, std::chrono::milliseconds(20), [&] { return done; }));
  });
  httplib::Result result = [&] {
    StopCallback on_stop(stop, [&] {
      std::lock_guard<std::mutex> lock(mutex);
      stopped = true;
      wake.notify_all();
    });
    return request();
  }();
  {
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
  }
  wake.notify_all();
  watchdog.join();
  return result;
}

}  // namespace chitragupt::ccloud
