#include "allocation/allocators.hpp"

#include <iterator>

#include "allocation/labels.hpp"

namespace chitragupt::allocation {

namespace {

constexpr CostType kUsage = CostType::kUsage;
constexpr CostType kShared = CostType::kShared;
constexpr auto kMerged = Recipients::kMergedActive;
constexpr auto kOwners = Recipients::kTenantPeriodOwners;
constexpr auto kOrgWide = Recipients::kTenantPeriodOrgWide;
constexpr auto kResource = Recipients::kResource;
constexpr auto kUnallocated = Recipients::kUnallocated;
const std::optional<std::string_view> kNullDetail;

// A chain whose tiers all fall through to the resource.
Chain usage_then_even_chain(std::string name, std::vector<std::string> metric_keys) {
  return Chain{std::move(name),
               {usage_ratio_tier(std::move(metric_keys)),
                even_split_tier(kMerged, kShared, labels::kNoMetricsLocated),
                even_split_tier(kOwners, kShared, labels::kNoActiveIdentitiesLocated),
                terminal_tier(kResource)}};
}

// Reference §3, one entry per row of the rule table.
const std::map<std::string, Chain>& chains() {
  static const std::map<std::string, Chain> table = [] {
    std::map<std::string, Chain> t;
    auto add = [&t](Chain chain) {
      std::string name = chain.name;
      t.emplace(std::move(name), std::move(chain));
    };
    add(Chain{"cku_usage",
              {usage_ratio_tier({"bytes_in", "bytes_out"}),
               even_split_tier(kMerged, kShared, labels::kNoUsageForActiveIdentities),
               even_split_tier(kOwners, kShared, labels::kNoMetricsNoActiveIdentitiesLocated),
               terminal_tier(kResource)}});
    add(Chain{"cku_shared",
              {even_split_tier(kMerged, kUsage, kNullDetail),
               even_split_tier(kOwners, kShared, labels::kNoActiveIdentitiesLocated),
               terminal_tier(kResource)}});
    add(usage_then_even_chain("kafka_network_read", {"bytes_out"}));
    add(usage_then_even_chain("kafka_network_write", {"bytes_in"}));
    add(usage_then_even_chain("kafka_partition", {"partition_count"}));
    add(Chain{"kafka_base",
              {even_split_tier(kMerged, kShared, labels::kNoMetricsLocated),
               even_split_tier(kOwners, kShared, labels::kNoMetricsNoActiveIdentitiesLocated),
               terminal_tier(kResource, kShared, labels::kToResource)},
              /*records_tier=*/false});
    for (const char* name : {"schema_registry", "ksqldb"}) {
      add(Chain{name,
                {even_split_tier(kMerged, kUsage, kNullDetail),
                 even_split_tier(kOwners, kShared, labels::kNoActiveIdentitiesLocated),
                 terminal_tier(kResource)}});
    }
    add(Chain{"connector_usage",
              {even_split_tier(kMerged, kUsage, kNullDetail), terminal_tier(kResource)}});
    add(Chain{"connector_capacity",
              {even_split_tier(kMerged, kShared, kNullDetail), terminal_tier(kResource)}});
    add(Chain{"flink_cfu",
              {statement_cfu_tier(),
               even_split_tier(kMerged, kUsage, labels::kNoUsageForActiveIdentities),
               even_split_tier(kOwners, kShared, labels::kNoActiveIdentitiesLocated),
               terminal_tier(kResource)}});
    add(Chain{"org_wide",
              {even_split_tier(kOrgWide, kShared, kNullDetail), terminal_tier(kUnallocated)}});
    add(Chain{"default",
              {terminal_tier(kResource, kShared, labels::kDefault, labels::kUsingDefaultAllocator)},
              /*records_tier=*/false});
    add(Chain{
        "cluster_linking",
        {terminal_tier(kResource, kUsage, labels::kClusterLinking, labels::kClusterLinkingCost)},
        /*records_tier=*/false});
    add(Chain{"unknown",
              {terminal_tier(kResource, kShared, labels::kUnknown, labels::kUsingUnknownAllocator)},
              /*records_tier=*/false});
    return t;
  }();
  return table;
}

const char kUsageRatioParam[] = "kafka_cku_usage_ratio";
const char kSharedRatioParam[] = "kafka_cku_shared_ratio";

Result<Decimal> ratio_param(const AllocatorParams& params, const std::string& name,
                            const char* fallback) {
  auto it = params.find(name);
  const std::string text = it == params.end() ? fallback : it->second;
  auto value = Decimal::parse(text);
  if (!value) return Status::error("allocator_params." + name + ": " + value.error());
  if (value->is_negative() || *value > Decimal::from_integer(1)) {
    return Status::error("allocator_params." + name + ": must be between 0 and 1, got " + text);
  }
  return value;
}

void tag_composition(std::vector<ChargebackRow>& rows, int index, const Decimal& ratio) {
  for (ChargebackRow& row : rows) {
    row.metadata.composition_index = index;
    row.metadata.composition_ratio = ratio.to_double();
  }
}

}  // namespace

const Chain* builtin_chain(const std::string& allocator_name) {
  auto it = chains().find(allocator_name);
  return it == chains().end() ? nullptr : &it->second;
}

const std::map<std::string, Allocator>& builtin_allocators() {
  static const std::map<std::string, Allocator> table = [] {
    std::map<std::string, Allocator> t;
    for (const auto& [name, chain] : chains()) {
      const Chain* c = &chain;  // the chain table is static: the pointer never dangles
      t.emplace(name, [c](const AllocationContext& ctx) { return run_chain(*c, ctx); });
    }
    t.emplace("kafka_cku", &allocate_cku);
    return t;
  }();
  return table;
}

Result<CkuRatios> cku_ratios(const AllocatorParams& params) {
  auto usage = ratio_param(params, kUsageRatioParam, "0.70");
  auto shared = ratio_param(params, kSharedRatioParam, "0.30");
  if (!usage && !shared) return Status::error(usage.error() + "; " + shared.error());
  if (!usage) return usage.status();
  if (!shared) return shared.status();
  auto sum = usage->add(*shared);
  if (!sum) return sum.status();
  auto distance = sum->subtract(Decimal::from_integer(1));
  if (!distance) return distance.status();
  const Decimal tolerance = *Decimal::parse("0.0001");
  if (*distance > tolerance || distance->negated() > tolerance) {
    return Status::error(std::string("allocator_params: ") + kUsageRatioParam + " (" +
                         usage->to_string() + ") + " + kSharedRatioParam + " (" +
                         shared->to_string() + ") must sum to 1, got " + sum->to_string());
  }
  return CkuRatios{*usage, *shared};
}

Status validate_allocator_params(const AllocatorParams& params) {
  auto ratios = cku_ratios(params);
  return ratios ? Status::ok() : ratios.status();
}

Result<std::vector<ChargebackRow>> allocate_cku(const AllocationContext& ctx) {
  auto ratios = cku_ratios(ctx.params);
  if (!ratios) return ratios.status();
  auto usage_part = multiply_to_money(ctx.split_amount, ratios->usage);
  if (!usage_part) return usage_part.status();

  auto rows = run_chain(*builtin_chain("cku_usage"), ctx, *usage_part);
  if (!rows) return rows;
  tag_composition(*rows, 0, ratios->usage);

  const Money shared_part = ctx.split_amount - *usage_part;  // |u| <= |split|: no overflow
  auto shared_rows = run_chain(*builtin_chain("cku_shared"), ctx, shared_part);
  if (!shared_rows) return shared_rows;
  tag_composition(*shared_rows, 1, ratios->shared);

  rows->insert(rows->end(), std::make_move_iterator(shared_rows->begin()),
               std::make_move_iterator(shared_rows->end()));
  return rows;
}

}  // namespace chitragupt::allocation
