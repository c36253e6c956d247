#pragma once
// The words a chargeback row uses to say how its amount was decided (cost model reference §1,
// §3). They are stored and reported verbatim, so they never change spelling.

#include <string_view>

namespace chitragupt::allocation::labels {

// allocation_method
inline constexpr std::string_view kUsageRatio = "usage_ratio";
inline constexpr std::string_view kEvenSplit = "even_split";
inline constexpr std::string_view kTerminal = "terminal";
inline constexpr std::string_view kDirectOwner = "direct_owner";
inline constexpr std::string_view kToResource = "to_resource";
inline constexpr std::string_view kDefault = "default";
inline constexpr std::string_view kUnknown = "unknown";
inline constexpr std::string_view kClusterLinking = "cluster_linking";
inline constexpr std::string_view kAllocationFailed = "ALLOCATION_FAILED";
// New in chitragupt: the part of a line outside its resource's active period (SPEC §6).
inline constexpr std::string_view kInactiveFraction = "inactive_fraction";

// allocation_detail
inline constexpr std::string_view kUsingDefaultAllocator = "using_default_allocator";
inline constexpr std::string_view kUsingUnknownAllocator = "using_unknown_allocator";
inline constexpr std::string_view kNoIdentitiesLocated = "no_identities_located";
inline constexpr std::string_view kNoActiveIdentitiesLocated = "no_active_identities_located";
inline constexpr std::string_view kNoMetricsLocated = "no_metrics_located";
inline constexpr std::string_view kNoUsageForActiveIdentities = "no_usage_for_active_identities";
inline constexpr std::string_view kMetricsFetchFailed = "metrics_fetch_failed";
inline constexpr std::string_view kNoMetricsNoActiveIdentities = "no_metrics_no_active_identities";
inline constexpr std::string_view kMetricsPresentNoActiveIdentities =
    "metrics_present_no_active_identities";
inline constexpr std::string_view kUsageRatioAllocation = "usage_ratio_allocation";
inline constexpr std::string_view kEvenSplitAllocation = "even_split_allocation";
inline constexpr std::string_view kNoMetricsNoActiveIdentitiesLocated =
    "no_metrics_no_active_identities_located";
inline constexpr std::string_view kNoMetricsPresentMergedIdentitiesLocated =
    "no_metrics_present_merged_identities_located";
inline constexpr std::string_view kNoMetricsPresentPenaltyAllocationForEveryone =
    "no_metrics_present_penalty_allocation_for_everyone";
inline constexpr std::string_view kClusterLinkingCost = "cluster_linking_cost";
inline constexpr std::string_view kResourceInactiveFraction = "resource_inactive_fraction";

}  // namespace chitragupt::allocation::labels
