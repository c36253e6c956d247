#pragma once
// Resource: a billable or identity-bearing object of the platform (cluster, connector, ...).

#include <map>
#include <optional>
#include <string>

#include "allocation/time_window.hpp"

namespace chitragupt::allocation {

struct Resource {
  std::string ecosystem;
  std::string tenant_id;
  std::string resource_id;    // unique per tenant
  std::string resource_type;  // kafka_cluster, connector, schema_registry, ksqldb_cluster,
                              // flink_compute_pool, flink_statement, environment, topic, ...
  std::string display_name;
  std::string parent_id;  // "" when none
  std::string owner_id;   // "" when none (ksqlDB credential identity, Flink statement principal)
  std::string status = "active";  // active | deleted
  std::optional<EpochSeconds> created_at;
  std::optional<EpochSeconds> deleted_at;
  std::optional<EpochSeconds> last_seen_at;
  // Keys read by identity resolution (values as text, booleans "true"/"false"):
  //   connector: kafka_auth_mode (SERVICE_ACCOUNT | KAFKA_API_KEY | ...), kafka_api_key,
  //              kafka_service_account_id
  //   flink_statement: compute_pool_id, statement_name, owner_id, is_stopped
  std::map<std::string, std::string> metadata;
};

}  // namespace chitragupt::allocation
