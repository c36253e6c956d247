#pragma once
// Pure mapping from one billing line and its allocation portions (the chargeback facts written
// for it) to FOCUS 1.2 rows: one row per portion. No database, no files.
//
// Money stays exact: BilledCost of the portions sums to the line's billed amount (quantized to
// 0.0001) and ListCost to its undiscounted amount (largest-remainder split, every share within
// 0.0001 of its exact proportion); PricingQuantity sums to the line's quantity exactly.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "focus/columns.hpp"

namespace chitragupt::focus {

struct LineInput {
  std::string ecosystem;
  std::string timestamp;  // "YYYY-MM-DD HH:MM:SS" UTC, start of the billing window
  std::string env_id;
  std::string resource_id;
  std::string product_type;
  std::string product_category;
  std::string quantity;    // exact decimal text as stored
  std::string unit_price;  // exact decimal text as stored
  std::string total_cost;  // exact decimal text as stored
  std::string currency = "USD";
  std::string granularity = "daily";
  std::string metadata_json;  // "" = none
};

struct PortionInput {
  std::string identity_id;  // "" = not allocated (uncalculated line or remainder)
  std::string cost_type;
  std::string allocation_method;
  std::string allocation_detail;
  std::int64_t amount_units = 0;  // 0.0001 units
};

struct ResourceInfo {
  std::string display_name;
  std::string resource_type;
  std::string region;
};

struct MappingContext {
  std::string account_id;    // BillingAccountId: the tenant's tenant_id
  std::string account_name;  // BillingAccountName: the tenant's configured name
  std::string billing_currency = "USD";
  std::string period_start;  // BillingPeriodStart, "YYYY-MM-01T00:00:00Z"
  std::string period_end;    // BillingPeriodEnd (exclusive)
  std::function<const ResourceInfo*(const std::string&)> resource;
  std::function<std::string(const std::string&)> identity_name;  // "" when unknown
  // Tags of an entity ("resource" | "identity"), empty when none.
  std::function<std::map<std::string, std::string>(const std::string&, const std::string&)> tags;
};

struct Classification {
  std::string service_category;
  std::string service_subcategory;
  std::string service_name;
  std::string charge_category;   // Usage | Purchase | Credit
  std::string charge_frequency;  // Usage-Based | Recurring | One-Time
};
Classification classify(const std::string& ecosystem, const std::string& product_category,
                        const std::string& product_type);
// The FOCUS unit of a line type ("GB-Hours", "CKU-Hours", "1000 Requests", ...).
std::string unit_of(const std::string& product_type);
std::string provider_of(const std::string& ecosystem);

// "YYYY-MM-DD HH:MM:SS" -> "YYYY-MM-DDTHH:MM:SSZ".
std::string iso_utc(const std::string& stored);

// Rows for one line. Portions whose amounts do not add up to the billed amount get a remainder
// portion (not allocated); a line without portions becomes one unallocated row. Errors name
// the line (unparsable amounts, a currency other than the billing currency).
Result<std::vector<FocusRow>> map_line(const LineInput& line, std::vector<PortionInput> portions,
                                       const MappingContext& ctx);

}  // namespace chitragupt::focus
