#pragma once
// A fallback chain is data: an ordered list of tiers, each saying who gets the money and how
// the rows are labelled (cost model reference §3). run_chain tries the tiers in order; the
// first one that applies produces the rows.
//
//   usage ratio  applies when usage exists: no fetch failure, a non-empty map, positive sum
//   even split   applies when its recipient set is non-empty
//   terminal     always applies: one row with the whole amount
//
// Rows carry metadata.chain_tier = the tier's index, unless the chain says it records none
// (KAFKA_BASE/STORAGE and the single-row rules, which the original did not write a tier for).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "allocation/allocation_context.hpp"
#include "allocation/chargeback_row.hpp"
#include "allocation/labels.hpp"
#include "allocation/split.hpp"
#include "common/status.hpp"

namespace chitragupt::allocation {

enum class TierKind { kUsageRatio, kEvenSplit, kTerminal };

enum class Recipients {
  kMergedActive,         // resource_active U metrics_derived
  kMetricsDerived,       // metrics_derived alone (self-managed Kafka's compute and storage)
  kResourceActive,       // resource_active alone (self-managed Kafka's static identities)
  kTenantPeriodOwners,   // tenant_period of types service_account, user, identity_pool, principal
  kTenantPeriodOrgWide,  // tenant_period of types service_account, user, identity_pool
  kResource,             // terminal: the line's resource id
  kUnallocated,          // terminal: UNALLOCATED
};

enum class UsageBasis {
  kMetrics,            // metric rows of `metric_keys`, per principal (API keys -> owners)
  kStatementOwnerCfu,  // identities.stmt_owner_cfu (Flink)
};

struct Tier {
  TierKind kind = TierKind::kTerminal;
  Recipients recipients = Recipients::kResource;  // even split and terminal
  UsageBasis usage_basis = UsageBasis::kMetrics;  // usage ratio
  std::vector<std::string> metric_keys;           // usage ratio over metrics
  CostType cost_type = CostType::kShared;
  std::string method;
  std::optional<std::string> detail;
};

// usage, usage_ratio, usage_ratio_allocation
Tier usage_ratio_tier(std::vector<std::string> metric_keys);
Tier statement_cfu_tier();
// even_split with the given cost type and detail (nullopt: a null detail)
Tier even_split_tier(Recipients who, CostType cost_type, std::optional<std::string_view> detail);
// One row with the whole amount; by default shared, terminal, no_identities_located.
Tier terminal_tier(Recipients target, CostType cost_type = CostType::kShared,
                   std::string_view method = labels::kTerminal,
                   std::string_view detail = labels::kNoIdentitiesLocated);

struct Chain {
  std::string name;
  std::vector<Tier> tiers;
  bool records_tier = true;
};

// Rows summing to ctx.split_amount; an error when no tier applies (a chain without a terminal
// tier) or a split fails.
Result<std::vector<ChargebackRow>> run_chain(const Chain& chain, const AllocationContext& ctx);
// The same for a part of the line (the CKU composition): `amount` instead of ctx.split_amount.
Result<std::vector<ChargebackRow>> run_chain(const Chain& chain, const AllocationContext& ctx,
                                             Money amount);

// ---- Building blocks, also usable on their own (the original's helpers).

// A row of ctx.line with the line's env_id in its metadata.
ChargebackRow make_row(const AllocationContext& ctx, std::string identity_id, CostType cost_type,
                       Money amount, std::string_view method, std::optional<std::string> detail);

// Sorted ids of an even-split recipient set (empty for terminal targets).
std::vector<std::string> recipient_ids(Recipients who, const AllocationContext& ctx);

// Usage per charged identity: rows of `metric_keys` with a non-empty labels.principal_id and a
// positive finite value; the key is api_key_to_owner[principal] when known, else the principal.
// Each identity's values are summed as if in a fixed order (its principals ascending, then the
// keys as listed, each principal's values for a key ascending), so row order never changes the
// result.
UsageMap usage_from_metrics(const AllocationContext& ctx,
                            const std::vector<std::string>& metric_keys);

// The original's allocate_by_usage_ratio: fetch failed -> one UNALLOCATED row (shared,
// usage_ratio, metrics_fetch_failed); empty or zero usage -> one UNALLOCATED row (shared,
// usage_ratio, no_usage_for_active_identities); else usage rows with metadata.ratio and
// detail `detail` (default usage_ratio_allocation).
Result<std::vector<ChargebackRow>> allocate_by_usage_ratio(
    const AllocationContext& ctx, const UsageMap& usage,
    std::optional<std::string> detail = std::nullopt);

// The original's allocate_evenly: no ids -> one UNALLOCATED row (even_split,
// no_identities_located, `cost_type`); else even_split rows in the given order.
std::vector<ChargebackRow> allocate_evenly(const AllocationContext& ctx,
                                           const std::vector<std::string>& identity_ids,
                                           std::optional<std::string> detail,
                                           CostType cost_type = CostType::kShared);

}  // namespace chitragupt::allocation
