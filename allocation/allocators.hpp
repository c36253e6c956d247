#pragma once
// The built-in allocators: how each product family splits its money (cost model reference §3).
// All but the CKU composition are a single chain of tiers, written down as data in
// allocators.cpp; the registry (registry.hpp) says which product type uses which.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "allocation/allocation_context.hpp"
#include "allocation/chargeback_row.hpp"
#include "allocation/decimal.hpp"
#include "allocation/tier_chain.hpp"
#include "common/status.hpp"

namespace chitragupt::allocation {

// Splits ctx.split_amount into rows that sum to it exactly.
using Allocator = std::function<Result<std::vector<ChargebackRow>>(const AllocationContext&)>;

// Built-in allocators by name -- the names `allocator_overrides` may use:
//   kafka_cku            CKU composition: usage part -> cku_usage chain, rest -> cku_shared chain
//   cku_usage, cku_shared  the two CKU chains on their own
//   kafka_network_read   usage of bytes_out, then even merged_active, TP owners, resource
//   kafka_network_write  the same over bytes_in
//   kafka_partition      the same over partition_count (never fetched: starts at the even tier)
//   kafka_base           no metrics: even merged_active, TP owners, to_resource; no chain_tier
//   schema_registry      even merged_active (usage), TP owners, resource (also governance/rules)
//   ksqldb               the same chain for ksqlDB CSUs
//   connector_usage      even merged_active (usage), resource
//   connector_capacity   even merged_active (shared), resource
//   flink_cfu            usage by statement-owner CFU, even merged_active, TP owners, resource
//   org_wide             even tenant_period service accounts/users/pools, else UNALLOCATED
//   default              one shared row to the resource (Tableflow)
//   cluster_linking      one usage row to the resource
//   unknown              one shared row to the resource (product types nobody handles)
const std::map<std::string, Allocator>& builtin_allocators();

// The chain behind a chain allocator (all of the above except kafka_cku); null if none.
const Chain* builtin_chain(const std::string& allocator_name);

// CKU composition ratios from allocator_params (kafka_cku_usage_ratio / kafka_cku_shared_ratio,
// default 0.70 / 0.30): decimal numbers in [0, 1] summing to 1 within 0.0001.
struct CkuRatios {
  Decimal usage;
  Decimal shared;
};
Result<CkuRatios> cku_ratios(const AllocatorParams& params);

// Ok, or an error naming every problem with allocator_params ("; "-separated): for config
// validation at load time, so a bad ratio fails fast instead of on the first CKU line.
Status validate_allocator_params(const AllocatorParams& params);

// KAFKA_NUM_CKU(S): usage part u = q(split x usage_ratio) through the cku_usage chain, the
// shared part split - u through the cku_shared chain; rows carry composition_index 0 / 1 and
// composition_ratio. Error when the ratios are invalid.
Result<std::vector<ChargebackRow>> allocate_cku(const AllocationContext& ctx);

}  // namespace chitragupt::allocation
