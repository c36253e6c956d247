#include "http/ask.hpp"

#include <atomic>
#include <memory>

namespace chitragupt::http {
namespace {

struct ThreadActor {
  std::unique_ptr<caf::scoped_actor> actor;
  caf::actor_system* owner = nullptr;
};

ThreadActor& this_thread() {
  thread_local ThreadActor slot;
  return slot;
}

}  // namespace

caf::scoped_actor& thread_actor(caf::actor_system& system) {
  ThreadActor& t = this_thread();
  if (!t.actor || t.owner != &system) {
    t.actor = std::make_unique<caf::scoped_actor>(system);
    t.owner = &system;
  }
  return *t.actor;
}

void drop_thread_actor() {
  ThreadActor& t = this_thread();
  t.actor.reset();
  t.owner = nullptr;
}

namespace {
std::atomic<bool>& abandoned() {
  static std::atomic<bool> flag{false};
  return flag;
}
}  // namespace

void abandon_asks() { abandoned().store(true); }
void resume_asks() { abandoned().store(false); }
bool asks_abandoned() { return abandoned().load(std::memory_order_relaxed); }

std::size_t thread_actor_mailbox_size(caf::actor_system& system) {
  return thread_actor(system)->mailbox().size();
}

}  // namespace chitragupt::http
