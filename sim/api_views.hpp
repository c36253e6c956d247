// JSON representations of the organisation's objects, shaped after the official Confluent Cloud
// OpenAPI descriptions (org/v2, cmk/v2, srcm/v2+v3, ksqldbcm/v2, fcpm/v2, sql/v1, iam/v2,
// connect/v1). One function per object kind; the routes wrap them in list envelopes.
//
// Links inside objects (`self`, `related`) point at https://api.confluent.cloud like the real
// API, so bodies do not depend on where the simulator listens; only `metadata.next` (built by
// the routes) points back at the simulator.
#pragma once

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/org_model.hpp"

namespace ccloud_sim {

nlohmann::json organization_json(const OrgModel& m);
nlohmann::json environment_json(const OrgModel& m, const Environment& env);
nlohmann::json kafka_cluster_json(const OrgModel& m, const KafkaCluster& cluster);
nlohmann::json schema_registry_v3_json(const OrgModel& m, const SchemaRegistry& sr);
nlohmann::json schema_registry_v2_json(const OrgModel& m, const SchemaRegistry& sr);
nlohmann::json ksqldb_cluster_json(const OrgModel& m, const KsqlCluster& ksql);
nlohmann::json flink_pool_json(const OrgModel& m, const FlinkPool& pool);
nlohmann::json flink_statement_json(const OrgModel& m, const FlinkStatement& statement);
nlohmann::json service_account_json(const OrgModel& m, const ServiceAccount& sa);
nlohmann::json user_json(const OrgModel& m, const User& user);
nlohmann::json api_key_json(const OrgModel& m, const ApiKey& key);
nlohmann::json identity_provider_json(const OrgModel& m, const IdentityProvider& provider);
nlohmann::json identity_pool_json(const OrgModel& m, const IdentityPool& pool);
// One entry of the connect/v1 expansion map; `expand` ⊆ {id, info, status}.
nlohmann::json connector_expansion_json(const OrgModel& m, const Connector& connector,
                                        const std::set<std::string>& expand);

}  // namespace ccloud_sim
