#include "allocation/identity.hpp"

namespace chitragupt::allocation {

Identity unallocated_identity(const std::string& ecosystem, const std::string& tenant_id) {
  Identity identity;
  identity.ecosystem = ecosystem;
  identity.tenant_id = tenant_id;
  identity.identity_id = std::string(kUnallocatedId);
  identity.identity_type = "system";
  identity.display_name = "Unallocated Costs";
  return identity;
}

Identity sentinel_from_id(const std::string& identity_id, const std::string& ecosystem,
                          const std::string& tenant_id) {
  const auto dash = identity_id.find('-');
  const std::string prefix = dash == std::string::npos ? "" : identity_id.substr(0, dash);
  std::string type = "unknown";
  if (prefix == "sa") {
    type = "service_account";
  } else if (prefix == "u") {
    type = "user";
  } else if (prefix == "pool") {
    type = "identity_pool";
  }
  Identity identity;
  identity.ecosystem = ecosystem;
  identity.tenant_id = tenant_id;
  identity.identity_id = identity_id;
  identity.identity_type = type;
  identity.display_name = "Unknown " + type;
  return identity;
}

}  // namespace chitragupt::allocation
