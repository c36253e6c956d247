#pragma once
// The rows the pipeline writes and reads, as plain values. Timestamps are UTC text
// "YYYY-MM-DD HH:MM:SS" ("" = NULL), dates "YYYY-MM-DD"; billing amounts are exact decimal text
// as the source sent them; chargeback amounts are integer units of 0.0001.

#include <cstdint>
#include <string>

namespace chitragupt::storage {

struct ResourceRecord {
  std::string resource_id;
  std::string resource_type;
  std::string display_name;
  std::string parent_id;
  std::string owner_id;
  std::string status = "active";  // active|deleted
  std::string cloud;
  std::string region;
  std::string created_at;
  std::string deleted_at;
  std::string last_seen_at;
  std::string metadata_json;  // "" = NULL
};

struct IdentityRecord {
  std::string identity_id;
  std::string identity_type;
  std::string display_name;
  std::string created_at;
  std::string deleted_at;
  std::string last_seen_at;
  std::string metadata_json;
};

struct BillingRecord {
  std::string timestamp;  // start of the billing window
  std::string env_id;     // Confluent Cloud only; "" elsewhere
  std::string resource_id;
  std::string product_type;
  std::string product_category;
  std::string quantity;
  std::string unit_price;
  std::string total_cost;
  std::string currency = "USD";
  std::string granularity = "daily";
  std::string metadata_json;
  std::int64_t allocation_attempts = 0;
};

// One chargeback fact with its dimension. Rows with equal dimension and timestamp are summed.
struct ChargebackFactRecord {
  std::string timestamp;
  std::string resource_id;
  std::string product_category;
  std::string product_type;
  std::string identity_id;
  std::string cost_type;  // usage|shared
  std::string allocation_method;
  std::string allocation_detail;
  std::string env_id;
  std::int64_t amount_units = 0;  // 0.0001 units
};

}  // namespace chitragupt::storage
