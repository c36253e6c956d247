#pragma once
// ChargebackRow: one share of one billing line charged to one identity (cost model reference
// §1). The rows of a line always sum to the line's billed amount quantized to 0.0001.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "allocation/money.hpp"
#include "allocation/time_window.hpp"
#include "common/status.hpp"

namespace chitragupt::allocation {

enum class CostType { kUsage, kShared };
std::string_view to_string(CostType type);  // "usage" | "shared"

// The row metadata the original writes; absent fields are not written.
struct ChargebackMetadata {
  std::string env_id;                       // from the billing line ("" outside Confluent Cloud)
  std::optional<int> chain_tier;            // index of the tier that produced the row
  std::optional<double> ratio;              // usage rows: the identity's usage share (float64)
  std::optional<int> composition_index;     // CKU: 0 usage part, 1 shared part
  std::optional<double> composition_ratio;  // CKU: the part's ratio (0.7 / 0.3)
};
bool operator==(const ChargebackMetadata& a, const ChargebackMetadata& b);

struct ChargebackRow {
  std::string ecosystem;
  std::string tenant_id;
  EpochSeconds timestamp = 0;  // the billing line's timestamp
  std::string resource_id;
  std::string product_category;
  std::string product_type;
  std::string identity_id;
  CostType cost_type = CostType::kShared;
  Money amount;
  std::string allocation_method;
  std::optional<std::string> allocation_detail;  // null in the original for some tiers
  std::map<std::string, std::string> tags;
  ChargebackMetadata metadata;
  std::optional<std::int64_t> dimension_id;  // assigned by storage, never by allocation
};
bool operator==(const ChargebackRow& a, const ChargebackRow& b);
inline bool operator!=(const ChargebackRow& a, const ChargebackRow& b) { return !(a == b); }

// Rows of one fact share the timestamp and every dimension field: ecosystem, tenant, resource,
// category, product type, identity, cost type, method, detail and env_id.
bool same_fact(const ChargebackRow& a, const ChargebackRow& b);

// Merge rows of the same fact into one by SUMMING their amounts (the original stored the last
// one and lost the others, e.g. the two terminal CKU rows charged to a cluster). The merged row
// keeps the position and metadata of the first row of its fact. Error on Money overflow.
Result<std::vector<ChargebackRow>> merge_same_fact_rows(std::vector<ChargebackRow> rows);

}  // namespace chitragupt::allocation
