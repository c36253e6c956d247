#pragma once
// Typed fetchers for the Confluent Cloud APIs the collector gathers from (reference cost model
// §2): each returns the org objects as Resource / Identity records, or billing rows, or an
// error naming the endpoint. Endpoints, parameters and page sizes are the original's.
//
// The parse_* functions turn one API object into a record; they are the mapping rules, kept
// apart from HTTP so they can be read (and tested) on their own.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.hpp"
#include "ecosystems/confluent_cloud/billing_lines.hpp"
#include "ecosystems/confluent_cloud/settings.hpp"
#include "ecosystems/confluent_cloud/types.hpp"
#include "sources/civil_date.hpp"
#include "sources/http_client.hpp"

namespace chitragupt::ccloud {

// Connector credential modes (metadata.kafka_auth_mode).
inline constexpr const char* kAuthKafkaApiKey = "KAFKA_API_KEY";
inline constexpr const char* kAuthServiceAccount = "SERVICE_ACCOUNT";
inline constexpr const char* kAuthUnknown = "UNKNOWN";
// ksqlDB clusters without a credential identity.
inline constexpr const char* kKsqldbOwnerUnknown = "ksqldb_owner_unknown";

// `kafka.auth.mode` if set; else KAFKA_API_KEY when `kafka.api.key` is present (masked or
// not); else SERVICE_ACCOUNT when `kafka.service.account.id` is; else UNKNOWN.
std::string connector_auth_mode(const nlohmann::json& connector_config);
// The API masks connector keys as "****************".
bool is_masked_api_key(const std::string& key);
// "crn://confluent.cloud/organization=<org>/environment=..." -> "<org>" ("" if absent).
std::string organization_from_crn(const std::string& crn);
// COMPLETED, FAILED, STOPPED.
bool is_stopped_phase(const std::string& phase);

Resource parse_organization(const nlohmann::json& item);
Resource parse_environment(const nlohmann::json& item, const std::string& org_id);
Resource parse_kafka_cluster(const nlohmann::json& item, const std::string& env_id);
// The connectors?expand=info,status,id object: connector name -> {id, info, status}.
std::vector<Resource> parse_connectors(const nlohmann::json& by_name, const std::string& env_id,
                                       const std::string& cluster_id);
Resource parse_schema_registry(const nlohmann::json& item, const std::string& env_id);
Resource parse_ksqldb_cluster(const nlohmann::json& item, const std::string& env_id);
Resource parse_flink_compute_pool(const nlohmann::json& item, const std::string& env_id);
Resource parse_flink_statement(const nlohmann::json& item, const std::string& env_id,
                               const std::string& org_id);
Identity parse_service_account(const nlohmann::json& item);
Identity parse_user(const nlohmann::json& item);
Identity parse_api_key(const nlohmann::json& item);
Identity parse_identity_provider(const nlohmann::json& item);
Identity parse_identity_pool(const nlohmann::json& item, const std::string& provider_id);

// One tenant's view of Confluent Cloud. Not thread-safe (see HttpClient).
class CcloudApi {
 public:
  // `tuning` supplies what settings do not (clock, jitter, throttle, backoff); base URL,
  // credentials, timeout and max_retries always come from settings.
  static Result<std::unique_ptr<CcloudApi>> create(const CcloudSettings& settings,
                                                   HttpClientOptions tuning = {});

  Result<std::vector<Resource>> organizations();
  Result<std::vector<Resource>> environments(const std::string& org_id = "");
  Result<std::vector<Resource>> kafka_clusters(const std::string& env_id);
  Result<std::vector<Resource>> connectors(const std::string& env_id,
                                           const std::string& cluster_id);
  Result<std::vector<Resource>> schema_registries(const std::string& env_id);
  Result<std::vector<Resource>> ksqldb_clusters(const std::string& env_id);
  Result<std::vector<Resource>> flink_compute_pools(const std::string& env_id);
  // Statements of the (organization, environment) of each pool, from the Flink gateway of the
  // pool's region. Pools whose region has no credentials in settings.flink are skipped, as
  // are pools whose CRN names no organization.
  Result<std::vector<Resource>> flink_statements(const std::vector<Resource>& pools);

  Result<std::vector<Identity>> service_accounts();
  Result<std::vector<Identity>> users();
  Result<std::vector<Identity>> api_keys();
  Result<std::vector<Identity>> identity_providers();
  Result<std::vector<Identity>> identity_pools(const std::string& provider_id);

  // The stop every client of this API obeys from now on (HttpClientOptions::stop).
  void set_stop(const StopToken& stop);

  // billing/v1/costs for [start, end), one query (all pages) per days_per_query window.
  Result<std::vector<BillingWindow>> billing(CivilDate start, CivilDate end);
  // The same, mapped and tier-merged per window (billing_lines.hpp).
  Result<std::vector<BillingLine>> billing_lines(CivilDate start, CivilDate end);

 private:
  CcloudApi(CcloudSettings settings, HttpClientOptions tuning, std::unique_ptr<HttpClient> client);
  Result<HttpClient*> flink_client(size_t region_index);

  CcloudSettings settings_;
  HttpClientOptions tuning_;
  std::unique_ptr<HttpClient> client_;
  std::vector<std::unique_ptr<HttpClient>> flink_clients_;  // by settings_.flink index
};

}  // namespace chitragupt::ccloud
