#pragma once
// allocate_line: one billing line in, its chargeback rows out. Pure: no I/O, no clock, no
// globals beyond the immutable built-in tables.
//
// The flow (cost model reference §1 "per-line flow", with SPEC §6's changes):
//   1. billed = q(total_cost), HALF_UP to 0.0001.
//   2. A product type without a rule goes to the fallback allocator (`unknown`) with the whole
//      billed amount -- no window, no active fraction, as the original.
//   3. Window from timestamp + granularity. The line's resource is looked up among resources
//      alive in the window whose type a handler gathers; if found, active = q(total_cost x
//      active_seconds / window_seconds) exactly, else active = billed.
//   4. The handler resolves identities; tenant_period = every non-system identity alive in the
//      window. The rule's allocator splits `active`.
//   5. SPEC §6: billed - active (the part outside the resource's lifetime) is one more row:
//      UNALLOCATED, shared, method `inactive_fraction`, detail `resource_inactive_fraction`,
//      no chain_tier. The original dropped this money.
//
// Guarantees, checked before returning: the rows sum exactly to billed (conservation); the
// same inputs in any order give identical rows (every set is walked in sorted id order, float
// usage sums are order-independent); a non-negative bill gives non-negative rows.
//
// Quantization: every path works on quantized amounts. Where the original emitted an
// unquantized split_amount on single-row paths (terminal, default, unknown, cluster linking),
// this emits q(split_amount); that is what makes conservation exact.

#include <set>
#include <string>
#include <vector>

#include "allocation/allocation_context.hpp"
#include "allocation/billing_line.hpp"
#include "allocation/chargeback_row.hpp"
#include "allocation/identity.hpp"
#include "allocation/inventory_index.hpp"
#include "allocation/metric_row.hpp"
#include "allocation/metrics_index.hpp"
#include "allocation/registry.hpp"
#include "allocation/resolution_cache.hpp"
#include "allocation/resource.hpp"
#include "allocation/time_window.hpp"
#include "common/status.hpp"

namespace chitragupt::allocation {

// What the pipeline knows besides the line. Not owned: everything must outlive the call.
struct LineInputs {
  const std::vector<Resource>* resources = nullptr;   // the tenant's inventory; null = empty
  const std::vector<Identity>* identities = nullptr;  // the tenant's inventory; null = empty
  // The metrics of the line's (resource, window) group; null: no metrics source configured.
  const std::vector<MetricRow>* metrics = nullptr;
  bool metrics_fetch_failed = false;  // the group's fetch failed (metrics then usually empty)
  // Optional, for callers allocating many lines over the same inventory and metrics group (the
  // calculate stage): an index of *resources and *identities, and one of *metrics. Null: built
  // per call. The rows are the same either way; only the per-line work shrinks.
  // With metrics_index given, *metrics is read only by a handler with reads_metric_rows
  // (Flink); for the others the caller may pass an empty vector and the group's metrics by
  // their index alone (the calculate stage keeps them as series and indexes those).
  const InventoryIndex* inventory_index = nullptr;
  const MetricsIndex* metrics_index = nullptr;
  // Optional: resolutions shared with other lines of the same inventory (see ResolutionCache).
  // The rows are the same with or without it.
  ResolutionCache* resolutions = nullptr;
  AllocatorParams params;
  GranularityDurations granularity_durations;
};

Result<std::vector<ChargebackRow>> allocate_line(const BillingLine& line, const LineInputs& inputs,
                                                 const Registry& registry);

// The line's resource for the active fraction: resource_id matches, alive in the window, type
// among `types`. Null when there is none (then the whole line counts as active).
const Resource* find_line_resource(const std::vector<Resource>& resources,
                                   const std::string& resource_id, const TimeWindow& window,
                                   const std::set<std::string>& types);

// The row that replaces a line whose allocation kept failing (allocation_retry_limit reached):
// UNALLOCATED, shared, amount q(total_cost), method ALLOCATION_FAILED, detail
// "Failed after N attempts: <error>".
Result<ChargebackRow> allocation_failed_row(const BillingLine& line, int attempts,
                                            const std::string& error);

}  // namespace chitragupt::allocation
