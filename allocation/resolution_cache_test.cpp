// ResolutionCache: lines that would resolve alike share one resolution; anything that could make
// a resolution differ (handler, resource, window, the metrics' principals, the inventory) makes
// a new one, and a resolver that reads metric rows is never cached.
#include "allocation/resolution_cache.hpp"

#include <gtest/gtest.h>

#include "allocation/registry.hpp"
#include "allocation/test_support.hpp"

namespace chitragupt::allocation {
namespace {

using testing::api_key;
using testing::identity;
using testing::kDay0;
using testing::kHour;
using testing::metric;

using testing::kEcosystem;
using testing::kTenant;
const TimeWindow kWindow = testing::kDay0Window;

struct World {
  std::string ecosystem = kEcosystem;  // ResolveInputs refers to them: they must outlive it
  std::string tenant = kTenant;
  std::vector<Resource> resources;
  std::vector<Identity> identities = {
      identity("sa-1", "service_account"), identity("sa-2", "service_account"),
      api_key("key-1", "sa-1", "lkc-1"), api_key("key-2", "sa-2", "lkc-2")};

  ResolveInputs inputs(const std::string& resource, const std::vector<MetricRow>* metrics,
                       TimeWindow window = kWindow) const {
    return ResolveInputs{ecosystem, tenant, resource, window, resources, identities, metrics};
  }
};

const Handler& handler(const std::string& name) {
  const Handler* h = Registry::confluent_cloud().handler(name);
  EXPECT_NE(h, nullptr) << name;
  return *h;
}

std::vector<std::string> ids(const IdentitySet& set) {
  std::vector<std::string> out;
  for (const auto& entry : set) out.push_back(entry.first);
  return out;
}

TEST(ResolutionCache, lines_with_the_same_principals_share_one_resolution) {
  World w;
  const std::vector<MetricRow> bytes_in = {metric("bytes_in", "key-1", 5),
                                           metric("bytes_in", "sa-2", 7)};
  // Another key, other values, the same principals: resolved the same way.
  const std::vector<MetricRow> bytes_out = {metric("bytes_out", "sa-2", 1),
                                            metric("bytes_out", "key-1", 2)};
  ResolutionCache cache;
  ResolutionCache::Entry* first = cache.resolve(handler("kafka"), w.inputs("lkc-1", &bytes_in));
  ASSERT_NE(first, nullptr);
  ResolutionCache::Entry* second = cache.resolve(handler("kafka"), w.inputs("lkc-1", &bytes_out));
  EXPECT_EQ(second, first);
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.hits(), 1u);
  // What the resolver itself gives.
  const IdentityResolution direct = resolve_api_key_identities(w.inputs("lkc-1", &bytes_in));
  EXPECT_EQ(ids(first->resolution.metrics_derived), ids(direct.metrics_derived));
  EXPECT_EQ(ids(first->resolution.resource_active), ids(direct.resource_active));
  EXPECT_EQ(first->resolution.api_key_to_owner, direct.api_key_to_owner);
  EXPECT_EQ(ids(first->resolution.metrics_derived), (std::vector<std::string>{"sa-1", "sa-2"}));
}

TEST(ResolutionCache, anything_that_can_change_the_resolution_makes_a_new_one) {
  World w;
  const std::vector<MetricRow> one = {metric("bytes_in", "key-1", 5)};
  const std::vector<MetricRow> two = {metric("bytes_in", "key-1", 5),
                                      metric("bytes_in", "sa-2", 1)};
  const std::vector<MetricRow> none;
  ResolutionCache cache;
  auto* base = cache.resolve(handler("kafka"), w.inputs("lkc-1", &one));
  EXPECT_NE(cache.resolve(handler("kafka"), w.inputs("lkc-1", &two)), base);   // principals
  EXPECT_NE(cache.resolve(handler("kafka"), w.inputs("lkc-1", &none)), base);  // no rows...
  auto* no_source = cache.resolve(handler("kafka"), w.inputs("lkc-1", nullptr));
  EXPECT_NE(no_source, base);  // ...is not the same as no metrics source
  EXPECT_TRUE(no_source->resolution.metrics_derived.empty());
  EXPECT_NE(cache.resolve(handler("schema_registry"), w.inputs("lkc-1", &one)), base);  // handler
  World other = w;  // an equal inventory, but another one
  EXPECT_NE(cache.resolve(handler("kafka"), other.inputs("lkc-1", &one)), base);
  EXPECT_EQ(cache.hits(), 0u);
  EXPECT_EQ(cache.misses(), 6u);
  EXPECT_EQ(cache.resolve(handler("kafka"), w.inputs("lkc-1", &one)), base);
  EXPECT_EQ(cache.hits(), 1u);
}

TEST(ResolutionCache, days_on_which_the_whole_inventory_is_alive_share_resolutions) {
  World w;  // nobody created or deleted: alive in any window
  const std::vector<MetricRow> rows = {metric("bytes_in", "key-1", 5)};
  const TimeWindow next_day{kWindow.end, kWindow.end + 24 * kHour};
  ResolutionCache cache;
  auto* first = cache.resolve(handler("kafka"), w.inputs("lkc-1", &rows));
  cache.resolve(handler("kafka"), w.inputs("lkc-2", &rows));
  EXPECT_EQ(cache.resolve(handler("kafka"), w.inputs("lkc-1", &rows, next_day)), first);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 2u);
  cache.clear();
  EXPECT_NE(cache.resolve(handler("kafka"), w.inputs("lkc-1", &rows, next_day)), nullptr);
  EXPECT_EQ(cache.misses(), 3u);
}

TEST(ResolutionCache, a_window_in_which_part_of_the_inventory_is_not_alive_is_its_own) {
  World w;
  w.identities[2].deleted_at = kWindow.end;  // key-1 (sa-1's) is gone by the next day
  const std::vector<MetricRow> rows = {metric("bytes_in", "sa-2", 5)};
  const TimeWindow next_day{kWindow.end + 1, kWindow.end + 24 * kHour};
  ResolutionCache cache;
  auto* today = cache.resolve(handler("kafka"), w.inputs("lkc-1", &rows));
  auto* tomorrow = cache.resolve(handler("kafka"), w.inputs("lkc-1", &rows, next_day));
  ASSERT_NE(tomorrow, today);
  EXPECT_EQ(ids(today->resolution.resource_active), (std::vector<std::string>{"sa-1"}));
  EXPECT_TRUE(tomorrow->resolution.resource_active.empty());
  EXPECT_EQ(cache.resolve(handler("kafka"), w.inputs("lkc-1", &rows, next_day)), tomorrow);
  EXPECT_EQ(cache.misses(), 2u);
  EXPECT_EQ(cache.hits(), 1u);
}

TEST(ResolutionCache, holds_resolutions_up_to_its_budget_least_recently_used_out_first) {
  World w;
  // Each resolution counts 1 + its principals + its identities and key owners.
  std::vector<MetricRow> rows;
  for (int p = 0; p < 9996; ++p) rows.push_back(metric("bytes_in", "u-" + std::to_string(p), 1));
  rows.push_back(metric("bytes_in", "key-1", 1));  // owner sa-1: 1 + 9997 + 9997 + 1 + 1 = 19997
  ResolutionCache cache;
  auto resource = [](std::size_t i) { return "lkc-" + std::to_string(i); };
  const std::size_t fit = ResolutionCache::kBudget / 19997;  // 20
  for (std::size_t i = 0; i < fit; ++i)
    cache.resolve(handler("kafka"), w.inputs(resource(i), &rows));
  cache.resolve(handler("kafka"), w.inputs(resource(0), &rows));  // used again: kept
  EXPECT_EQ(cache.hits(), 1u);
  cache.resolve(handler("kafka"), w.inputs("lkc-new", &rows));  // over budget: drops lkc-1
  cache.resolve(handler("kafka"), w.inputs(resource(0), &rows));
  cache.resolve(handler("kafka"), w.inputs(resource(2), &rows));
  EXPECT_EQ(cache.hits(), 3u);
  const std::size_t misses = cache.misses();
  cache.resolve(handler("kafka"), w.inputs(resource(1), &rows));
  EXPECT_EQ(cache.misses(), misses + 1);
}

TEST(ResolutionCache, a_resolver_that_reads_metric_rows_is_never_cached) {
  World w;
  const std::vector<MetricRow> rows;
  ResolutionCache cache;
  ASSERT_TRUE(handler("flink").reads_metric_rows);
  EXPECT_EQ(cache.resolve(handler("flink"), w.inputs("lfcp-1", &rows)), nullptr);
  EXPECT_EQ(cache.misses() + cache.hits(), 0u);
}

}  // namespace
}  // namespace chitragupt::allocation
