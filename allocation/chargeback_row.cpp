#include "allocation/chargeback_row.hpp"

#include <tuple>
#include <utility>

namespace chitragupt::allocation {

std::string_view to_string(CostType type) { return type == CostType::kUsage ? "usage" : "shared"; }

bool operator==(const ChargebackMetadata& a, const ChargebackMetadata& b) {
  return std::tie(a.env_id, a.chain_tier, a.ratio, a.composition_index, a.composition_ratio) ==
         std::tie(b.env_id, b.chain_tier, b.ratio, b.composition_index, b.composition_ratio);
}

bool operator==(const ChargebackRow& a, const ChargebackRow& b) {
  return std::tie(a.ecosystem, a.tenant_id, a.timestamp, a.resource_id, a.product_category,
                  a.product_type, a.identity_id, a.cost_type, a.amount, a.allocation_method,
                  a.allocation_detail, a.tags, a.metadata, a.dimension_id) ==
         std::tie(b.ecosystem, b.tenant_id, b.timestamp, b.resource_id, b.product_category,
                  b.product_type, b.identity_id, b.cost_type, b.amount, b.allocation_method,
                  b.allocation_detail, b.tags, b.metadata, b.dimension_id);
}

namespace {

auto fact_key(const ChargebackRow& r) {
  return std::tie(r.timestamp, r.ecosystem, r.tenant_id, r.resource_id, r.product_category,
                  r.product_type, r.identity_id, r.cost_type, r.allocation_method,
                  r.allocation_detail, r.metadata.env_id);
}
using FactKey = decltype(fact_key(std::declval<const ChargebackRow&>()));

}  // namespace

bool same_fact(const ChargebackRow& a, const ChargebackRow& b) {
  return fact_key(a) == fact_key(b);
}

Result<std::vector<ChargebackRow>> merge_same_fact_rows(std::vector<ChargebackRow> rows) {
  std::vector<ChargebackRow> merged;
  merged.reserve(rows.size());
  // Keys reference rows inside `merged`, so its storage must never move: reserved above.
  std::map<FactKey, std::size_t> index;
  for (ChargebackRow& row : rows) {
    auto it = index.find(fact_key(row));
    if (it == index.end()) {
      merged.push_back(std::move(row));
      index.emplace(fact_key(merged.back()), merged.size() - 1);
      continue;
    }
    ChargebackRow& target = merged[it->second];
    auto sum = target.amount.checked_add(row.amount);
    if (!sum) {
      return Status::error("chargeback amount overflow merging rows of " + target.resource_id +
                           " / " + target.identity_id);
    }
    target.amount = *sum;
  }
  return merged;
}

}  // namespace chitragupt::allocation
