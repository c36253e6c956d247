#pragma once
// AllocationContext: everything an allocator may use to split one billing line's amount.

#include <map>
#include <string>
#include <vector>

#include "allocation/billing_line.hpp"
#include "allocation/identity_resolution.hpp"
#include "allocation/metric_row.hpp"
#include "allocation/metrics_index.hpp"
#include "allocation/money.hpp"

namespace chitragupt::allocation {

// `allocator_params` of the tenant config: name -> decimal text (kafka_cku_usage_ratio, ...).
using AllocatorParams = std::map<std::string, std::string>;

struct AllocationContext {
  const BillingLine* line = nullptr;  // not owned; must outlive the context
  // The amount to split, already quantized to 0.0001 (the active part of the line). The rows
  // an allocator returns sum to exactly this.
  Money split_amount;
  const std::vector<MetricRow>* metrics = nullptr;  // not owned; null: no metrics source
  // Optional index of *metrics (not owned); null: usage tiers index the rows themselves.
  const MetricsIndex* metrics_index = nullptr;
  bool metrics_fetch_failed = false;  // the source failed: usage tiers must not be trusted
  IdentityResolution identities;      // sets, api_key_to_owner, stmt_owner_cfu
  // A resolution shared with other lines (allocate_line's ResolutionCache); when set,
  // allocators read it instead of `identities`. Not owned.
  const IdentityResolution* shared_identities = nullptr;
  AllocatorParams params;

  // What allocators read: the shared resolution if any, else `identities`.
  const IdentityResolution& resolution() const {
    return shared_identities != nullptr ? *shared_identities : identities;
  }
};

}  // namespace chitragupt::allocation
