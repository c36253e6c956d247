#pragma once
// Asking an actor from a plain (non-actor) thread and waiting for the answer: what every HTTP
// handler does to reach the supervisor.
//
// Each thread keeps one scoped actor (creating one per request costs a thread hop for nothing,
// PERFORMANCE.md). Its mailbox must stay empty between asks: a blocking actor's receive walks
// the whole mailbox past every message it does not want, and those stay there for good. CAF
// 0.17's request(dest, timeout, ...) schedules a request_timeout error message for the asker on
// every call and does not withdraw it when the reply wins; 0.9 s later it lands in the mailbox,
// is skipped by every later receive, and each ask gets slower than the one before (issue 14:
// /health fell from 18 k to 5 k req/s within a minute while RSS grew). So the request carries no
// timeout message: the wait is bounded by the receive's own deadline, and when that passes,
// the thread's actor is dropped, so the late reply can only reach an actor that is gone.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <optional>
#include <utility>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/after.hpp>
#include <caf/blocking_actor.hpp>
#include <caf/error.hpp>
#include <caf/scoped_actor.hpp>

namespace chitragupt::http {

// This thread's actor for asking in `system` (made on first use, and again after a timeout).
caf::scoped_actor& thread_actor(caf::actor_system& system);
// Drops this thread's actor (the next thread_actor() makes a new one).
void drop_thread_actor();
// Messages waiting in this thread's actor's mailbox (0 when it has none): for tests.
std::size_t thread_actor_mailbox_size(caf::actor_system& system);

// Set when the HTTP server stops: every ask still waiting gives up within kAskSlice (nullopt),
// so that a handler waiting for an actor that is stopping (whose answer may never come) does not
// hold the server's stop for the whole request timeout.
// A server that starts (again, e.g. a new one in the same process) lifts it: resume_asks().
void abandon_asks();
void resume_asks();
bool asks_abandoned();
inline constexpr std::chrono::milliseconds kAskSlice{100};

// Sends `request...` to `dest` and waits at most `timeout` for a reply of type T. nullopt on an
// error reply or when no reply came in time.
template <typename T, typename... Ts>
std::optional<T> ask(caf::actor_system& system, const caf::actor& dest,
                     std::chrono::milliseconds timeout, Ts... request) {
  std::optional<T> out;
  bool timed_out = false;
  {
    auto& self = thread_actor(system);
    auto handle = self->request(dest, caf::infinite, std::move(request)...);
    // The wait is cut into slices so that abandon_asks() reaches it; a slice that ends leaves
    // nothing in the mailbox (a blocking receive's `after` is a wait, not a message).
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (bool answered = false; !answered;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || asks_abandoned()) {
        timed_out = true;
        break;
      }
      caf::blocking_actor::accept_one_cond one;
      self->varargs_receive(
          one, handle.id(),
          [&](T& reply) {
            out = std::move(reply);
            answered = true;
          },
          [&](caf::error&) {
            out.reset();
            answered = true;
          },
          caf::after(std::min(left, kAskSlice)) >> [] {});
    }
  }
  if (timed_out) drop_thread_actor();
  return out;
}

}  // namespace chitragupt::http
