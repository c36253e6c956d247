#include "messages/protocol.hpp"

namespace chitragupt::messages {

const char* to_string(TenantState s) {
  switch (s) {
    case TenantState::starting:
      return "starting";
    case TenantState::migrating:
      return "migrating";
    case TenantState::ready:
      return "ready";
    case TenantState::running:
      return "running";
    case TenantState::degraded:
      return "degraded";
    case TenantState::failed:
      return "failed";
    case TenantState::stopped:
      return "stopped";
  }
  return "unknown";
}

}  // namespace chitragupt::messages
