#include "allocation/allocate_line.hpp"

#include <optional>

#include "allocation/labels.hpp"
#include "allocation/tier_chain.hpp"

namespace chitragupt::allocation {

namespace {

__extension__ typedef __int128 i128;

const std::vector<Resource> kNoResources;
const std::vector<Identity> kNoIdentities;

Status check_conservation(const BillingLine& line, const std::vector<ChargebackRow>& rows,
                          Money billed) {
  i128 sum = 0;
  for (const ChargebackRow& row : rows) sum += row.amount.units();
  if (sum == billed.units()) return Status::ok();
  return Status::error("internal error: rows of " + line.product_type + " line for " +
                       line.resource_id + " do not sum to its billed amount " + billed.to_string());
}

bool reads_tenant_period(Recipients who) {
  return who == Recipients::kTenantPeriodOwners || who == Recipients::kTenantPeriodOrgWide;
}

// Whether running `chain` may read identities.tenant_period. A chain stops at its first tier
// that applies; an even split over merged_active applies whenever that set is not empty, and a
// terminal tier always does.
bool chain_may_read_tenant_period(const Chain& chain, bool merged_active_empty) {
  for (const Tier& tier : chain.tiers) {
    if (tier.kind != TierKind::kUsageRatio && reads_tenant_period(tier.recipients)) return true;
    if (tier.kind == TierKind::kTerminal) return false;
    if (tier.kind == TierKind::kEvenSplit && tier.recipients == Recipients::kMergedActive &&
        !merged_active_empty) {
      return false;
    }
  }
  return false;
}

// tenant_period is a copy of every identity alive in the window: with a large inventory, making
// it for each line cost more than the rest of the allocation, and most lines never reach a tier
// that reads it. It is made only when the allocator may: its chain (or, for kafka_cku, either
// of the two chains allocate_cku runs) reaches a tenant-period tier. An allocator that is not
// a known chain always gets it.
bool may_read_tenant_period(const Registry& registry, const std::string& allocator,
                            const IdentityResolution& identities) {
  const bool merged_empty =
      identities.resource_active.empty() && identities.metrics_derived.empty();
  std::vector<const Chain*> chains;
  if (allocator == "kafka_cku") {
    chains = {builtin_chain("cku_usage"), builtin_chain("cku_shared")};
  } else {
    chains = {registry.chain(allocator)};
  }
  for (const Chain* chain : chains) {
    if (chain == nullptr || chain_may_read_tenant_period(*chain, merged_empty)) return true;
  }
  return false;
}

Result<std::vector<ChargebackRow>> run_allocator(const Registry& registry, const std::string& name,
                                                 const AllocationContext& ctx) {
  const Allocator* allocator = registry.allocator(name);
  if (allocator == nullptr) return Status::error("unknown allocator '" + name + "'");
  return (*allocator)(ctx);
}

}  // namespace

namespace {

bool is_line_resource(const Resource& r, const TimeWindow& window,
                      const std::set<std::string>& types) {
  return types.count(r.resource_type) != 0 && alive_in_window(r.created_at, r.deleted_at, window);
}

// find_line_resource through the index: the resources with that id, last match wins.
const Resource* find_line_resource(const InventoryIndex& index, const std::string& resource_id,
                                   const TimeWindow& window, const std::set<std::string>& types) {
  const auto& candidates = index.resources_with_id(resource_id);
  for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
    if (is_line_resource(**it, window, types)) return *it;
  }
  return nullptr;
}

}  // namespace

const Resource* find_line_resource(const std::vector<Resource>& resources,
                                   const std::string& resource_id, const TimeWindow& window,
                                   const std::set<std::string>& types) {
  const Resource* found = nullptr;
  for (const Resource& r : resources) {
    if (r.resource_id != resource_id || !is_line_resource(r, window, types)) continue;
    found = &r;  // ids are unique per tenant; with duplicates the last one wins
  }
  return found;
}

Result<std::vector<ChargebackRow>> allocate_line(const BillingLine& line, const LineInputs& inputs,
                                                 const Registry& registry) {
  auto billed = line.total_cost.to_money();
  if (!billed) {
    return Status::error("billing line " + line.resource_id + " " + line.product_type + ": " +
                         billed.error());
  }
  const std::vector<Resource>& resources = inputs.resources ? *inputs.resources : kNoResources;
  const std::vector<Identity>& identities = inputs.identities ? *inputs.identities : kNoIdentities;

  AllocationContext ctx;
  ctx.line = &line;
  ctx.metrics = inputs.metrics;
  ctx.metrics_fetch_failed = inputs.metrics_fetch_failed;
  ctx.params = inputs.params;

  const ProductRule* rule = registry.rule(line.product_type);
  if (rule == nullptr) {
    ctx.split_amount = *billed;
    auto rows = run_allocator(registry, registry.fallback_allocator(), ctx);
    if (rows) {
      if (Status s = check_conservation(line, *rows, *billed); !s) return s;
    }
    return rows;
  }

  // One index of the metrics group for the resolver and every usage tier of this line (or the
  // caller's, shared by the group's lines).
  std::optional<MetricsIndex> local_metrics;
  if (inputs.metrics != nullptr) {
    ctx.metrics_index =
        inputs.metrics_index ? inputs.metrics_index : &local_metrics.emplace(*inputs.metrics);
  }

  auto window = billing_window(line.timestamp, line.granularity, inputs.granularity_durations);
  if (!window) return Status::error("billing line " + line.resource_id + ": " + window.error());

  std::optional<InventoryIndex> local_index;
  const InventoryIndex& index =
      inputs.inventory_index && inputs.inventory_index->indexes(resources, identities)
          ? *inputs.inventory_index
          : local_index.emplace(resources, identities);

  Money active = *billed;
  if (const Resource* resource = find_line_resource(index, line.resource_id, *window,
                                                    registry.gathered_resource_types())) {
    const ActiveFraction fraction =
        active_fraction(resource->created_at, resource->deleted_at, *window);
    if (!fraction.is_whole()) {
      auto part = fraction_of(line.total_cost, fraction.active_seconds, fraction.window_seconds);
      if (!part) return part.status();
      active = *part;
    }
  }
  ctx.split_amount = active;

  const Handler* handler = registry.handler(rule->handler);
  if (handler == nullptr) return Status::error("unknown handler '" + rule->handler + "'");
  const ResolveInputs resolve_inputs{line.ecosystem, line.tenant_id, line.resource_id,
                                     *window,        resources,      identities,
                                     inputs.metrics, &index,         ctx.metrics_index};
  // The line's resolution: shared through the caller's cache, or made for this line alone.
  ResolutionCache::Entry own;
  ResolutionCache::Entry* resolved =
      inputs.resolutions ? inputs.resolutions->resolve(*handler, resolve_inputs) : nullptr;
  if (resolved == nullptr) {
    own.resolution = handler->resolve(resolve_inputs);
    resolved = &own;
  }
  if (!resolved->tenant_period_filled &&
      may_read_tenant_period(registry, rule->allocator, resolved->resolution)) {
    resolved->resolution.tenant_period =
        tenant_period_identities(identities, *window, /*owner_types_only=*/true);
    resolved->tenant_period_filled = true;
  }
  ctx.shared_identities = &resolved->resolution;

  auto rows = run_allocator(registry, rule->allocator, ctx);
  if (!rows) {
    return Status::error("billing line " + line.resource_id + " " + line.product_type + ": " +
                         rows.error());
  }
  const Money inactive = *billed - active;  // same sign, |active| <= |billed|: no overflow
  if (!inactive.is_zero()) {
    rows->push_back(make_row(ctx, std::string(kUnallocatedId), CostType::kShared, inactive,
                             labels::kInactiveFraction,
                             std::string(labels::kResourceInactiveFraction)));
  }
  if (Status s = check_conservation(line, *rows, *billed); !s) return s;
  return rows;
}

Result<ChargebackRow> allocation_failed_row(const BillingLine& line, int attempts,
                                            const std::string& error) {
  auto billed = line.total_cost.to_money();
  if (!billed) return billed.status();
  AllocationContext ctx;
  ctx.line = &line;
  return make_row(ctx, std::string(kUnallocatedId), CostType::kShared, *billed,
                  labels::kAllocationFailed,
                  "Failed after " + std::to_string(attempts) + " attempts: " + error);
}

}  // namespace chitragupt::allocation
