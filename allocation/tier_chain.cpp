#include "allocation/tier_chain.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace chitragupt::allocation {

namespace {

bool is_org_wide_type(const std::string& type) {
  return type == "service_account" || type == "user" || type == "identity_pool";
}

std::vector<std::string> ids_of(const IdentitySet& set, bool (*keep)(const std::string&)) {
  std::vector<std::string> ids;
  for (const auto& [id, identity] : set) {
    if (keep == nullptr || keep(identity.identity_type)) ids.push_back(id);
  }
  return ids;  // IdentitySet iterates in id order
}

// The ids of merged_active() in id order, without copying the identities.
std::vector<std::string> merged_active_ids(const IdentityResolution& identities) {
  std::vector<std::string> ids;
  ids.reserve(identities.resource_active.size() + identities.metrics_derived.size());
  auto a = identities.resource_active.begin();
  auto b = identities.metrics_derived.begin();
  const auto a_end = identities.resource_active.end();
  const auto b_end = identities.metrics_derived.end();
  while (a != a_end || b != b_end) {
    if (b == b_end || (a != a_end && a->first < b->first)) {
      ids.push_back((a++)->first);
    } else {
      if (a != a_end && a->first == b->first) ++a;
      ids.push_back((b++)->first);
    }
  }
  return ids;
}

// A tier's rows, or nullopt when the tier does not apply.
Result<std::optional<std::vector<ChargebackRow>>> try_tier(const Tier& tier,
                                                           const AllocationContext& ctx,
                                                           Money amount) {
  using Rows = std::optional<std::vector<ChargebackRow>>;
  switch (tier.kind) {
    case TierKind::kUsageRatio: {
      if (ctx.metrics_fetch_failed) return Rows();
      UsageMap usage = tier.usage_basis == UsageBasis::kMetrics
                           ? usage_from_metrics(ctx, tier.metric_keys)
                           : UsageMap(ctx.resolution().stmt_owner_cfu.begin(),
                                      ctx.resolution().stmt_owner_cfu.end());
      double sum = 0;
      for (const auto& [id, value] : usage) sum += value;
      if (usage.empty() || !(sum > 0)) return Rows();
      auto shares = split_by_usage_ratio(amount, usage);
      if (!shares) return shares.status();
      std::vector<ChargebackRow> rows;
      rows.reserve(shares->size());
      for (UsageShare& share : *shares) {
        rows.push_back(make_row(ctx, std::move(share.identity_id), tier.cost_type, share.amount,
                                tier.method, tier.detail));
        rows.back().metadata.ratio = share.ratio;
      }
      return Rows(std::move(rows));
    }
    case TierKind::kEvenSplit: {
      const std::vector<std::string> ids = recipient_ids(tier.recipients, ctx);
      if (ids.empty()) return Rows();
      const std::vector<Money> amounts = split_evenly(amount, ids.size());
      std::vector<ChargebackRow> rows;
      rows.reserve(ids.size());
      for (std::size_t i = 0; i < ids.size(); ++i) {
        rows.push_back(make_row(ctx, ids[i], tier.cost_type, amounts[i], tier.method, tier.detail));
      }
      return Rows(std::move(rows));
    }
    case TierKind::kTerminal: {
      std::string target = tier.recipients == Recipients::kUnallocated ? std::string(kUnallocatedId)
                                                                       : ctx.line->resource_id;
      std::vector<ChargebackRow> rows;
      rows.push_back(
          make_row(ctx, std::move(target), tier.cost_type, amount, tier.method, tier.detail));
      return Rows(std::move(rows));
    }
  }
  return Status::error("unknown tier kind");
}

}  // namespace

Tier usage_ratio_tier(std::vector<std::string> metric_keys) {
  Tier tier;
  tier.kind = TierKind::kUsageRatio;
  tier.usage_basis = UsageBasis::kMetrics;
  tier.metric_keys = std::move(metric_keys);
  tier.cost_type = CostType::kUsage;
  tier.method = std::string(labels::kUsageRatio);
  tier.detail = std::string(labels::kUsageRatioAllocation);
  return tier;
}

Tier statement_cfu_tier() {
  Tier tier = usage_ratio_tier({});
  tier.usage_basis = UsageBasis::kStatementOwnerCfu;
  return tier;
}

Tier even_split_tier(Recipients who, CostType cost_type, std::optional<std::string_view> detail) {
  Tier tier;
  tier.kind = TierKind::kEvenSplit;
  tier.recipients = who;
  tier.cost_type = cost_type;
  tier.method = std::string(labels::kEvenSplit);
  if (detail) tier.detail = std::string(*detail);
  return tier;
}

Tier terminal_tier(Recipients target, CostType cost_type, std::string_view method,
                   std::string_view detail) {
  Tier tier;
  tier.kind = TierKind::kTerminal;
  tier.recipients = target;
  tier.cost_type = cost_type;
  tier.method = std::string(method);
  tier.detail = std::string(detail);
  return tier;
}

Result<std::vector<ChargebackRow>> run_chain(const Chain& chain, const AllocationContext& ctx) {
  return run_chain(chain, ctx, ctx.split_amount);
}

Result<std::vector<ChargebackRow>> run_chain(const Chain& chain, const AllocationContext& ctx,
                                             Money amount) {
  for (std::size_t i = 0; i < chain.tiers.size(); ++i) {
    auto rows = try_tier(chain.tiers[i], ctx, amount);
    if (!rows) return rows.status();
    if (!rows->has_value()) continue;
    std::vector<ChargebackRow> out = std::move(**rows);
    if (chain.records_tier) {
      for (ChargebackRow& row : out) row.metadata.chain_tier = static_cast<int>(i);
    }
    return out;
  }
  return Status::error("allocation chain '" + chain.name + "' has no tier that applies");
}

ChargebackRow make_row(const AllocationContext& ctx, std::string identity_id, CostType cost_type,
                       Money amount, std::string_view method, std::optional<std::string> detail) {
  const BillingLine& line = *ctx.line;
  ChargebackRow row;
  row.ecosystem = line.ecosystem;
  row.tenant_id = line.tenant_id;
  row.timestamp = line.timestamp;
  row.resource_id = line.resource_id;
  row.product_category = line.product_category;
  row.product_type = line.product_type;
  row.identity_id = std::move(identity_id);
  row.cost_type = cost_type;
  row.amount = amount;
  row.allocation_method = std::string(method);
  row.allocation_detail = std::move(detail);
  row.metadata.env_id = line.env_id;
  return row;
}

std::vector<std::string> recipient_ids(Recipients who, const AllocationContext& ctx) {
  switch (who) {
    case Recipients::kMergedActive:
      return merged_active_ids(ctx.resolution());
    case Recipients::kMetricsDerived:
      return ids_of(ctx.resolution().metrics_derived, nullptr);
    case Recipients::kResourceActive:
      return ids_of(ctx.resolution().resource_active, nullptr);
    case Recipients::kTenantPeriodOwners:
      return ids_of(ctx.resolution().tenant_period, &allocation::is_owner_type);
    case Recipients::kTenantPeriodOrgWide:
      return ids_of(ctx.resolution().tenant_period, &is_org_wide_type);
    case Recipients::kResource:
    case Recipients::kUnallocated:
      break;
  }
  return {};
}

UsageMap usage_from_metrics(const AllocationContext& ctx,
                            const std::vector<std::string>& metric_keys) {
  UsageMap usage;
  if (ctx.metrics == nullptr) return usage;
  std::optional<MetricsIndex> local;
  const MetricsIndex& index = ctx.metrics_index ? *ctx.metrics_index : local.emplace(*ctx.metrics);

  std::vector<std::size_t> keys;  // a row counts once, however often its key is listed
  for (const std::string& name : metric_keys) {
    auto key = index.key(name);
    if (key && std::find(keys.begin(), keys.end(), *key) == keys.end()) keys.push_back(*key);
  }
  if (keys.empty()) return usage;

  // Each charged id's sum. Principals are walked in ascending order alongside the (ascending)
  // api_key_to_owner map, so each finds its owner without a lookup; an id's runs are added in
  // that order, then the rule's keys in order. A run's values come in the rows' order, which
  // may vary: when every value of an id is an integer and its total stays below 2^53 (bytes
  // and counts, practically always), every partial sum is exact and the order cannot matter;
  // otherwise the id's sum is made again with each run ascending. Either way the result is the
  // sum in that fixed order, whatever order the rows came in.
  struct Sum {
    std::string_view id;
    double value = 0;
    bool exact = true;
  };
  std::unordered_map<std::string_view, std::size_t> slot_of;
  std::vector<Sum> sums;
  const auto& owners = ctx.resolution().api_key_to_owner;
  const auto& principals = index.principals();
  auto for_each_charged = [&](auto&& f) {
    auto owner = owners.begin();
    for (std::size_t p = 0; p < principals.size(); ++p) {
      const std::string& principal = principals[p];
      while (owner != owners.end() && owner->first < principal) ++owner;
      f(p, owner != owners.end() && owner->first == principal ? owner->second : principal);
    }
  };
  constexpr double kExactLimit = 9007199254740992.0;  // 2^53
  slot_of.reserve(principals.size());
  bool all_exact = true;
  for_each_charged([&](std::size_t p, const std::string& id) {
    Sum* sum = nullptr;
    for (std::size_t key : keys) {
      const MetricsIndex::Values values = index.values(p, key);
      if (values.empty()) continue;
      if (sum == nullptr) {
        auto [it, fresh] = slot_of.try_emplace(std::string_view(id), sums.size());
        if (fresh) sums.push_back(Sum{id});
        sum = &sums[it->second];
      }
      bool integral = true;
      for (double v : values) {  // values are > 0 and finite
        // An integer below 2^53 survives the round trip through int64 (no libm call per value).
        integral =
            integral && v < kExactLimit && static_cast<double>(static_cast<std::int64_t>(v)) == v;
        sum->value += v;
      }
      sum->exact = sum->exact && integral && sum->value < kExactLimit;
      all_exact = all_exact && sum->exact;
    }
  });
  if (!all_exact) {
    for (Sum& sum : sums) {
      if (!sum.exact) sum.value = 0;
    }
    std::vector<double> run;
    for_each_charged([&](std::size_t p, const std::string& id) {
      auto it = slot_of.find(id);
      if (it == slot_of.end() || sums[it->second].exact) return;
      for (std::size_t key : keys) {
        const MetricsIndex::Values values = index.values(p, key);
        run.assign(values.begin(), values.end());
        std::sort(run.begin(), run.end());
        for (double v : run) sums[it->second].value += v;
      }
    });
  }
  std::sort(sums.begin(), sums.end(), [](const Sum& a, const Sum& b) { return a.id < b.id; });
  for (const Sum& sum : sums) usage.emplace_hint(usage.end(), std::string(sum.id), sum.value);
  return usage;
}

Result<std::vector<ChargebackRow>> allocate_by_usage_ratio(const AllocationContext& ctx,
                                                           const UsageMap& usage,
                                                           std::optional<std::string> detail) {
  std::vector<ChargebackRow> rows;
  double sum = 0;
  for (const auto& [id, value] : usage) sum += value;
  if (ctx.metrics_fetch_failed || usage.empty() || !(sum > 0)) {
    const std::string_view why = ctx.metrics_fetch_failed ? labels::kMetricsFetchFailed
                                                          : labels::kNoUsageForActiveIdentities;
    rows.push_back(make_row(ctx, std::string(kUnallocatedId), CostType::kShared, ctx.split_amount,
                            labels::kUsageRatio, std::string(why)));
    return rows;
  }
  auto shares = split_by_usage_ratio(ctx.split_amount, usage);
  if (!shares) return shares.status();
  const std::string row_detail = detail.value_or(std::string(labels::kUsageRatioAllocation));
  for (UsageShare& share : *shares) {
    rows.push_back(make_row(ctx, std::move(share.identity_id), CostType::kUsage, share.amount,
                            labels::kUsageRatio, row_detail));
    rows.back().metadata.ratio = share.ratio;
  }
  return rows;
}

std::vector<ChargebackRow> allocate_evenly(const AllocationContext& ctx,
                                           const std::vector<std::string>& identity_ids,
                                           std::optional<std::string> detail, CostType cost_type) {
  std::vector<ChargebackRow> rows;
  if (identity_ids.empty()) {
    rows.push_back(make_row(ctx, std::string(kUnallocatedId), cost_type, ctx.split_amount,
                            labels::kEvenSplit, std::string(labels::kNoIdentitiesLocated)));
    return rows;
  }
  const std::vector<Money> amounts = split_evenly(ctx.split_amount, identity_ids.size());
  for (std::size_t i = 0; i < identity_ids.size(); ++i) {
    rows.push_back(
        make_row(ctx, identity_ids[i], cost_type, amounts[i], labels::kEvenSplit, detail));
  }
  return rows;
}

}  // namespace chitragupt::allocation
