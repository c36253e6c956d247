#pragma once
// What the Confluent Cloud client hands to the collector: org objects as Resource and Identity
// records (the original's shapes, minus the bookkeeping the storage layer adds), and billing
// cost rows kept raw until billing_lines.hpp maps them.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace chitragupt::ccloud {

namespace resource_type {
inline constexpr const char* kOrganization = "organization";
inline constexpr const char* kEnvironment = "environment";
inline constexpr const char* kKafkaCluster = "kafka_cluster";
inline constexpr const char* kConnector = "connector";
inline constexpr const char* kSchemaRegistry = "schema_registry";
inline constexpr const char* kKsqldbCluster = "ksqldb_cluster";
inline constexpr const char* kFlinkComputePool = "flink_compute_pool";
inline constexpr const char* kFlinkStatement = "flink_statement";
}  // namespace resource_type

namespace identity_type {
inline constexpr const char* kServiceAccount = "service_account";
inline constexpr const char* kUser = "user";
inline constexpr const char* kApiKey = "api_key";
inline constexpr const char* kIdentityProvider = "identity_provider";
inline constexpr const char* kIdentityPool = "identity_pool";
}  // namespace identity_type

// A billable or structural object of the organisation. Empty strings mean "not known".
struct Resource {
  std::string id;
  std::string type;  // resource_type::*
  std::string display_name;
  std::string parent_id;   // environment of a cluster, cluster of a connector, pool of a statement
  std::string owner_id;    // ksqlDB credential identity, Flink statement principal
  std::string created_at;  // as the API sent it (RFC 3339), "" if absent
  nlohmann::json metadata = nlohmann::json::object();  // env_id, cloud, region, ... per type
};

// A principal (or an API key, which stands for its owner).
struct Identity {
  std::string id;
  std::string type;  // identity_type::*
  std::string display_name;
  std::string parent_id;  // identity pool -> its identity provider
  std::string owner_id;   // API key -> the service account / user owning it
  std::string created_at;
  nlohmann::json metadata = nlohmann::json::object();  // api_key: owner_id, resource_id
};

// One element of billing/v1/costs `data`, with every non-integer number kept as its literal
// text (a JSON string; see json_text.hpp), plus where it came from.
struct BillingRow {
  nlohmann::json raw;
  size_t index = 0;  // position in its query window (names unresolved/malformed sentinels)
};

// One billing/v1/costs query: [start_date, end_date) and every row of every page.
struct BillingWindow {
  std::string start_date;  // YYYY-MM-DD
  std::string end_date;    // YYYY-MM-DD, exclusive
  std::vector<BillingRow> rows;
};

// A billing line as the allocation engine consumes it; money and quantities are exact
// decimal text, never doubles.
struct BillingLine {
  std::string date;       // YYYY-MM-DD of start_date
  int64_t timestamp = 0;  // epoch seconds of date 00:00:00Z
  std::string env_id;
  std::string resource_id;
  std::string product_category;  // `product`
  std::string product_type;      // `line_type`
  std::string quantity = "0";
  std::string unit_price = "0";
  std::string total_cost = "0";
  std::string currency = "USD";
  std::string granularity = "daily";
  nlohmann::json metadata = nlohmann::json::object();
};

}  // namespace chitragupt::ccloud
