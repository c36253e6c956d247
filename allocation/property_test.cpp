// Invariants of SPEC §6 over thousands of random lines (fixed seeds, so failures reproduce):
// conservation (rows sum exactly to the quantized bill), determinism (same inputs, and the
// same inputs in any order, give identical rows), non-negativity (a non-negative bill never
// produces a negative row).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "allocation/allocate_line.hpp"
#include "allocation/test_support.hpp"

namespace chitragupt::allocation {
namespace {

using testing::kDay0;
using testing::kHour;

class RandomWorld {
 public:
  explicit RandomWorld(std::uint64_t seed) : rng_(seed) { build_inventory(); }

  std::vector<Resource> resources;
  std::vector<Identity> identities;

  BillingLine line() {
    const auto& rules = Registry::confluent_cloud().rules();
    BillingLine l;
    l.ecosystem = "confluent_cloud";
    l.tenant_id = "org-1";
    l.env_id = chance(0.9) ? "env-1" : "";
    if (chance(0.05)) {
      l.product_type = "UNSEEN_PRODUCT";
    } else {
      auto it = rules.begin();
      std::advance(it, uniform(0, static_cast<int>(rules.size()) - 1));
      l.product_type = it->first;
    }
    l.product_category = "CAT";
    l.resource_id = resource_for(l.product_type);
    const int granularity = uniform(0, 9);
    l.granularity = granularity < 7 ? "daily" : (granularity < 9 ? "hourly" : "monthly");
    l.timestamp = kDay0 + uniform(-2, 2) * 24 * kHour +
                  (l.granularity == "hourly" ? uniform(0, 23) * kHour : 0);
    l.total_cost = *Decimal::parse(amount_text());
    return l;
  }

  // null: no metrics source.
  std::optional<std::vector<MetricRow>> metrics_for(const BillingLine& l) {
    if (chance(0.2)) return std::nullopt;
    std::vector<MetricRow> rows;
    const int n = uniform(0, 60);
    static const char* kKeys[] = {"bytes_in",           "bytes_out",       "flink_cfu_primary",
                                  "flink_cfu_fallback", "partition_count", "unrelated"};
    for (int i = 0; i < n; ++i) {
      MetricRow row;
      row.timestamp = l.timestamp + uniform(0, 23) * kHour;
      row.metric_key = kKeys[uniform(0, 5)];
      row.value = chance(0.2) ? 0.0 : std::uniform_real_distribution<double>(0, 1e9)(rng_);
      if (chance(0.05)) row.value = std::uniform_real_distribution<double>(0, 1e-6)(rng_);
      if (row.metric_key.rfind("flink", 0) == 0) {
        row.labels["compute_pool_id"] = chance(0.8) ? l.resource_id : "lfcp-other";
        row.labels["flink_statement_name"] = "stmt-" + std::to_string(uniform(0, 12));
      } else {
        row.labels["kafka_id"] = l.resource_id;
        row.labels["principal_id"] = principal();
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  AllocatorParams params() {
    switch (uniform(0, 5)) {
      case 0:
        return {{"kafka_cku_usage_ratio", "0.60"}, {"kafka_cku_shared_ratio", "0.40"}};
      case 1:
        return {{"kafka_cku_usage_ratio", "1"}, {"kafka_cku_shared_ratio", "0"}};
      case 2:
        return {{"kafka_cku_usage_ratio", "0.3333"}, {"kafka_cku_shared_ratio", "0.6667"}};
      default:
        return {};
    }
  }

  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::optional<EpochSeconds> maybe_time(double p_null) {
    if (chance(p_null)) return std::nullopt;
    return kDay0 + uniform(-3 * 24, 3 * 24) * kHour + uniform(0, 3599);
  }

  void set_lifetime(std::optional<EpochSeconds>& created, std::optional<EpochSeconds>& deleted) {
    created = maybe_time(0.4);
    if (chance(0.3))
      deleted = created.value_or(kDay0 - 3 * 24 * kHour) + uniform(1, 5 * 24) * kHour;
  }

  void build_inventory() {
    // Resources: clusters, registries, connectors, ksqlDB, Flink pools and statements.
    auto add_resource = [this](const std::string& id, const std::string& type) -> Resource& {
      Resource r = testing::resource(id, type);
      set_lifetime(r.created_at, r.deleted_at);
      resources.push_back(std::move(r));
      return resources.back();
    };
    for (int i = 0; i < 3; ++i) add_resource("lkc-" + std::to_string(i), "kafka_cluster");
    add_resource("lsrc-0", "schema_registry");
    add_resource("env-1", "environment");
    add_resource("lkc-0:topic:orders", "topic");
    for (int i = 0; i < 6; ++i) {
      static const char* kModes[] = {"SERVICE_ACCOUNT", "KAFKA_API_KEY", "UNKNOWN"};
      Resource& c = add_resource("lcc-" + std::to_string(i), "connector");
      c.metadata["kafka_auth_mode"] = kModes[uniform(0, 2)];
      if (chance(0.8))
        c.metadata["kafka_service_account_id"] = "sa-" + std::to_string(uniform(0, 40));
      if (chance(0.8))
        c.metadata["kafka_api_key"] =
            chance(0.2) ? "****" : "key-" + std::to_string(uniform(0, 60));
    }
    for (int i = 0; i < 2; ++i) {
      Resource& k = add_resource("lksqlc-" + std::to_string(i), "ksqldb_cluster");
      if (chance(0.7)) k.owner_id = "sa-" + std::to_string(uniform(0, 40));
    }
    for (int i = 0; i < 2; ++i) add_resource("lfcp-" + std::to_string(i), "flink_compute_pool");
    for (int i = 0; i < 14; ++i) {
      Resource& s = add_resource("st-" + std::to_string(i), "flink_statement");
      s.display_name = "stmt-" + std::to_string(uniform(0, 12));  // clashes on purpose
      s.metadata["compute_pool_id"] = "lfcp-" + std::to_string(uniform(0, 1));
      s.metadata["is_stopped"] = chance(0.3) ? "true" : "false";
      if (chance(0.8))
        s.owner_id = chance(0.5) ? "sa-" + std::to_string(uniform(0, 40))
                                 : "u-" + std::to_string(uniform(0, 40));
    }

    // Identities: 0..500 of every kind, ids unique.
    const int n = chance(0.3) ? uniform(0, 5) : uniform(0, 500);
    static const std::pair<const char*, const char*> kKinds[] = {
        {"sa-", "service_account"},   {"u-", "user"},      {"pool-", "identity_pool"},
        {"User:", "principal"},       {"key-", "api_key"}, {"sys-", "system"},
        {"idp-", "identity_provider"}};
    for (int i = 0; i < n; ++i) {
      const auto& [prefix, type] = kKinds[uniform(0, 6)];
      Identity id = testing::identity(prefix + std::to_string(i), type);
      set_lifetime(id.created_at, id.deleted_at);
      if (id.identity_type == "api_key") {
        if (chance(0.85))
          id.metadata["owner_id"] =
              chance(0.8) ? "sa-" + std::to_string(uniform(0, n)) : "u-x" + std::to_string(i);
        id.metadata["resource_id"] =
            chance(0.7) ? "lkc-" + std::to_string(uniform(0, 2)) : "lsrc-0";
      }
      identities.push_back(std::move(id));
    }
  }

  std::string principal() {
    if (chance(0.05)) return "";
    if (!identities.empty() && chance(0.8)) {
      return identities[static_cast<std::size_t>(
                            uniform(0, static_cast<int>(identities.size()) - 1))]
          .identity_id;
    }
    return "sa-ghost-" + std::to_string(uniform(0, 5));
  }

  std::string resource_for(const std::string& product_type) {
    if (chance(0.05)) return "missing-" + std::to_string(uniform(0, 3));
    if (product_type.rfind("KAFKA", 0) == 0 || product_type.rfind("CLUSTER", 0) == 0) {
      return "lkc-" + std::to_string(uniform(0, 2));
    }
    if (product_type.rfind("CONNECT", 0) == 0 || product_type.rfind("CUSTOM", 0) == 0) {
      return "lcc-" + std::to_string(uniform(0, 5));
    }
    if (product_type.rfind("KSQL", 0) == 0) return "lksqlc-" + std::to_string(uniform(0, 1));
    if (product_type.rfind("FLINK", 0) == 0) return "lfcp-" + std::to_string(uniform(0, 1));
    if (product_type == "AUDIT_LOG_READ" || product_type == "SUPPORT") return "org-1";
    if (product_type.rfind("TABLEFLOW", 0) == 0) return "tf-0";
    return "lsrc-0";
  }

  std::string digits(int count) {
    std::string out;
    for (int i = 0; i < count; ++i) out.push_back(static_cast<char>('0' + uniform(0, 9)));
    return out;
  }

  std::string amount_text() {
    const int kind = uniform(0, 19);
    if (kind == 0) return "0";
    if (kind <= 4) return "0.0000" + digits(uniform(1, 6));                           // sub-cent
    if (kind == 5) return "-" + digits(uniform(1, 6)) + "." + digits(uniform(0, 8));  // credit
    if (kind == 6) return digits(1) + "e-" + std::to_string(uniform(1, 7));
    if (kind == 7) return "0.2440000000000000074505805969";
    return digits(uniform(1, 10)) + "." + digits(uniform(0, 12));
  }

  std::mt19937_64 rng_;
};

template <typename T>
std::vector<T> shuffled(std::vector<T> items, std::mt19937_64& rng) {
  std::shuffle(items.begin(), items.end(), rng);
  return items;
}

TEST(Properties, random_lines_conserve_money_exactly_deterministically_and_without_negatives) {
  constexpr int kWorlds = 25;
  constexpr int kLinesPerWorld = 100;
  int lines = 0;
  std::map<std::string, int> rows_by_method;
  for (int w = 0; w < kWorlds; ++w) {
    RandomWorld world(0xC0FFEE + static_cast<std::uint64_t>(w));
    std::vector<ChargebackRow> all_rows;
    Money all_billed;
    ResolutionCache shared;  // the world's lines through one cache, as the calculate stage does
    for (int i = 0; i < kLinesPerWorld; ++i, ++lines) {
      const BillingLine line = world.line();
      const std::optional<std::vector<MetricRow>> metrics = world.metrics_for(line);
      LineInputs inputs;
      inputs.resources = &world.resources;
      inputs.identities = &world.identities;
      inputs.metrics = metrics ? &*metrics : nullptr;
      inputs.metrics_fetch_failed = metrics && world.chance(0.1);
      inputs.params = world.params();
      SCOPED_TRACE("world " + std::to_string(w) + " line " + std::to_string(i) + " " +
                   line.product_type + " " + line.resource_id + " " + line.total_cost.to_string());

      auto rows = allocate_line(line, inputs, Registry::confluent_cloud());
      ASSERT_TRUE(rows.is_ok()) << rows.error();
      ASSERT_FALSE(rows->empty());

      // Conservation.
      const Money billed = *line.total_cost.to_money();
      ASSERT_EQ(testing::sum_of(*rows), billed);
      // Non-negativity (and its mirror for credits).
      for (const ChargebackRow& row : *rows) {
        if (!billed.is_negative()) {
          ASSERT_GE(row.amount, Money()) << row.identity_id;
        }
        if (billed <= Money()) {
          ASSERT_LE(row.amount, Money()) << row.identity_id;
        }
      }
      // Determinism: again, and with every input collection in another order.
      auto again = allocate_line(line, inputs, Registry::confluent_cloud());
      ASSERT_TRUE(again.is_ok());
      ASSERT_EQ(*again, *rows);
      const std::vector<Resource> resources = shuffled(world.resources, world.rng());
      const std::vector<Identity> identities = shuffled(world.identities, world.rng());
      std::optional<std::vector<MetricRow>> metrics_shuffled;
      if (metrics) metrics_shuffled = shuffled(*metrics, world.rng());
      LineInputs reordered = inputs;
      reordered.resources = &resources;
      reordered.identities = &identities;
      reordered.metrics = metrics_shuffled ? &*metrics_shuffled : nullptr;
      auto reordered_rows = allocate_line(line, reordered, Registry::confluent_cloud());
      ASSERT_TRUE(reordered_rows.is_ok());
      ASSERT_EQ(*reordered_rows, *rows);
      // The same rows with a shared resolution, whether it was made for this line or before.
      LineInputs cached = inputs;
      cached.resolutions = &shared;
      for (int round = 0; round < 2; ++round) {
        auto cached_rows = allocate_line(line, cached, Registry::confluent_cloud());
        ASSERT_TRUE(cached_rows.is_ok()) << cached_rows.error();
        ASSERT_EQ(*cached_rows, *rows);
      }

      for (const ChargebackRow& row : *rows) ++rows_by_method[row.allocation_method];
      all_rows.insert(all_rows.end(), rows->begin(), rows->end());
      all_billed += billed;
    }
    EXPECT_GT(shared.hits(), 0u);
    // Merging facts sums, so a whole date keeps its total.
    auto merged = merge_same_fact_rows(all_rows);
    ASSERT_TRUE(merged.is_ok());
    EXPECT_LE(merged->size(), all_rows.size());
    EXPECT_EQ(testing::sum_of(*merged), all_billed);
  }
  EXPECT_EQ(lines, kWorlds * kLinesPerWorld);
  // The generator reaches every kind of row, partial lifetimes included.
  for (const char* method : {"usage_ratio", "even_split", "terminal", "to_resource", "default",
                             "cluster_linking", "unknown", "inactive_fraction"}) {
    EXPECT_GT(rows_by_method[method], 0) << method;
  }
}

TEST(Properties, usage_splits_of_random_maps_conserve_and_stay_non_negative) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 1000; ++round) {
    UsageMap usage;
    const int n = std::uniform_int_distribution<int>(1, 500)(rng);
    for (int i = 0; i < n; ++i) {
      const double value = std::bernoulli_distribution(0.3)(rng)
                               ? 0.0
                               : std::uniform_real_distribution<double>(0, 1e12)(rng);
      usage["id-" + std::to_string(i)] = value;
    }
    usage["id-anchor"] = 1;  // never all zero
    const Money total = Money::from_units(std::uniform_int_distribution<std::int64_t>(
        0, round % 3 == 0 ? 1000 : 100'000'000'000'000)(rng));
    auto shares = split_by_usage_ratio(total, usage);
    ASSERT_TRUE(shares.is_ok()) << shares.error();
    Money sum;
    for (const UsageShare& share : *shares) {
      ASSERT_GE(share.amount, Money());
      sum += share.amount;
    }
    ASSERT_EQ(sum, total);
  }
}

TEST(Properties, even_splits_conserve_for_any_count) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 20000; ++round) {
    const auto n = static_cast<std::size_t>(std::uniform_int_distribution<int>(1, 500)(rng));
    const Money total = Money::from_units(
        std::uniform_int_distribution<std::int64_t>(-1'000'000'000, 1'000'000'000)(rng));
    const std::vector<Money> shares = split_evenly(total, n);
    Money sum;
    for (Money m : shares) {
      if (!total.is_negative()) {
        ASSERT_GE(m, Money());
      }
      sum += m;
    }
    ASSERT_EQ(sum, total);
    // Shares differ by at most one step: nobody is favoured beyond the leftover.
    const auto [lo, hi] = std::minmax_element(shares.begin(), shares.end());
    ASSERT_LE(hi->units() - lo->units(), 1);
  }
}

}  // namespace
}  // namespace chitragupt::allocation
