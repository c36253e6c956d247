#pragma once
// BillingLine: one billed cost, as gathered from the platform (cost model reference §1).

#include <map>
#include <string>

#include "allocation/decimal.hpp"
#include "allocation/time_window.hpp"

namespace chitragupt::allocation {

struct BillingLine {
  std::string ecosystem;  // "confluent_cloud", ...
  std::string tenant_id;
  EpochSeconds timestamp = 0;  // UTC start of the billing window
  std::string env_id;          // Confluent Cloud environment; "" elsewhere
  std::string resource_id;
  std::string product_category;  // "KAFKA", ...
  std::string product_type;      // "KAFKA_NUM_CKU", ...
  Decimal quantity;
  Decimal unit_price;  // exact decimal; its text is Decimal::to_string()
  Decimal total_cost;  // exact, not yet quantized: allocation quantizes it to 0.0001
  std::string currency = "USD";
  std::string granularity = "daily";  // hourly | daily | monthly | a configured custom name
  // Opaque to allocation (resource_name, original_amount, tiers, malformed, ...); structured
  // values are JSON text.
  std::map<std::string, std::string> metadata;
};

}  // namespace chitragupt::allocation
