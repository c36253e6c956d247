// The simulated Confluent Cloud organisation: every object the APIs list, with its lifetime.
//
// generate_org() builds the whole organisation from (seed, preset, window) and nothing else, so
// two calls with the same arguments give identical models. The model is immutable afterwards;
// the HTTP routes, the billing ledger and the telemetry only read it.
//
// Time: the window is [window_start, window_end), whole UTC days. "Now" for the listing APIs is
// window_end: an object is listed when it has no deleted_at (every deletion the generator makes
// falls before window_end), and it is billed for the part of each day it existed.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/options.hpp"

namespace ccloud_sim {

struct Lifetime {
  int64_t created_at = 0;             // epoch seconds
  std::optional<int64_t> deleted_at;  // epoch seconds; set → not listed
  int created_millis = -1;            // ≥ 0: created_at is printed with milliseconds

  bool listed() const { return !deleted_at.has_value(); }
  int64_t end_or(int64_t fallback) const { return deleted_at ? *deleted_at : fallback; }
  // Seconds of [from, to) during which the object existed.
  int64_t active_seconds(int64_t from, int64_t to) const;
};

struct Organization {
  std::string id;  // UUID
  std::string display_name;
  Lifetime life;
};

struct Environment {
  std::string id, display_name, governance_package;  // ESSENTIALS | ADVANCED
  Lifetime life;
};

struct Topic {
  std::string name;
  int partitions = 1;
  int64_t weight = 1;           // share of the cluster's traffic
  int64_t retained_base = 0;    // retained bytes at the window start
  int64_t retained_growth = 0;  // retained bytes added per hour
};

struct KafkaCluster {
  std::string id, env_id, display_name;
  std::string kind;  // Basic | Standard | Dedicated | Enterprise
  std::string availability, cloud, region, network_access_type, endpoint_host;
  int cku = 0;  // Dedicated only
  Lifetime life;
  std::vector<Topic> topics;
};

struct ServiceAccount {
  std::string id, display_name, description;
  Lifetime life;
};

struct User {
  std::string id, full_name, email, auth_type;
  Lifetime life;
};

struct IdentityProvider {
  std::string id, display_name, description, issuer, jwks_uri;
  Lifetime life;
};

struct IdentityPool {
  std::string id, provider_id, display_name, description, identity_claim, filter;
  Lifetime life;
};

struct ApiKey {
  std::string id, display_name, description;
  std::string owner_id, owner_kind;  // ServiceAccount | User (the owner may be deleted)
  std::string resource_id;           // lkc-…, lsrc-…, or "cloud"
  std::string resource_kind;         // Cluster | SchemaRegistry | Cloud
  std::string resource_env_id;       // empty for cloud keys
  Lifetime life;
};

struct Connector {
  std::string id, name, env_id, cluster_id, connector_class;
  std::string direction;            // source | sink
  std::string auth_mode;            // KAFKA_API_KEY | SERVICE_ACCOUNT
  bool explicit_auth_mode = false;  // kafka.auth.mode present in the config
  std::string api_key;              // real id, "****************", or an id that matches no key
  std::string service_account_id;   // SERVICE_ACCOUNT mode
  int tasks = 1;
  std::string state;  // RUNNING | PAUSED | FAILED | PROVISIONING
  bool custom = false;
  Lifetime life;
};

struct SchemaRegistry {
  std::string id, env_id, display_name, package, cloud, region, endpoint;
  int schemas = 0, rules = 0;
  Lifetime life;
};

struct KsqlCluster {
  std::string id, env_id, display_name, kafka_cluster_id, credential_identity_id;
  int csu = 1;
  Lifetime life;
};

struct FlinkPool {
  std::string id, env_id, display_name, cloud, region;
  int max_cfu = 10;
  Lifetime life;
};

struct FlinkStatement {
  std::string name, uid, env_id, pool_id, principal, phase, sql;
  int cfu = 1;               // typical CFUs while running
  int64_t running_from = 0;  // CFU samples exist for [running_from, running_until)
  int64_t running_until = 0;
  Lifetime life;
};

// One principal_id that produces and/or consumes on one Kafka cluster (telemetry source).
struct UsagePrincipal {
  std::string id;  // sa-…, u-…, pool-…, or an API key id
  size_t cluster = 0;
  int64_t active_from = 0, active_to = 0;  // epoch seconds; no samples outside
  uint64_t key = 0;                        // per-principal hash stream
  int64_t base_in = 0, base_out = 0;       // typical bytes per hour
  int64_t idle_permille = 0;               // chance that an hour is 0
};

struct OrgModel {
  uint64_t seed = 0;
  Preset preset = Preset::kSmall;
  int64_t start_day = 0, end_day = 0;        // epoch days, end exclusive
  int64_t window_start = 0, window_end = 0;  // epoch seconds
  Organization organization;
  std::string audit_log_cluster_id;

  std::vector<Environment> environments;
  std::vector<KafkaCluster> kafka_clusters;
  std::vector<ServiceAccount> service_accounts;
  std::vector<User> users;
  std::vector<IdentityProvider> identity_providers;
  std::vector<IdentityPool> identity_pools;
  std::vector<ApiKey> api_keys;
  std::vector<Connector> connectors;
  std::vector<SchemaRegistry> schema_registries;
  std::vector<KsqlCluster> ksqldb_clusters;
  std::vector<FlinkPool> flink_pools;
  std::vector<FlinkStatement> flink_statements;
  std::vector<UsagePrincipal> principals;  // sorted by (cluster, id)

  const Environment* environment(const std::string& id) const;
  const KafkaCluster* kafka_cluster(const std::string& id) const;
  const FlinkPool* flink_pool(const std::string& id) const;
  const IdentityProvider* identity_provider(const std::string& id) const;
};

// `end_day` is the exclusive end of the window (epoch day); the window has `days` days.
OrgModel generate_org(uint64_t seed, Preset preset, int64_t end_day, int days);

}  // namespace ccloud_sim
