#pragma once
// Builders shared by the allocation tests (not part of the library).

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "allocation/allocate_line.hpp"
#include "allocation/decimal.hpp"
#include "allocation/money.hpp"

namespace chitragupt::allocation::testing {

inline constexpr EpochSeconds kDay0 = 1769904000;  // 2026-02-01T00:00:00Z
inline constexpr EpochSeconds kHour = 3600;
// The ecosystem and tenant every builder below uses, and the day of kDay0 as a window.
inline constexpr char kEcosystem[] = "confluent_cloud";
inline constexpr char kTenant[] = "org-1";
inline constexpr TimeWindow kDay0Window{kDay0, kDay0 + 24 * kHour};

inline Money money(const std::string& text) {
  auto m = Money::parse(text);
  EXPECT_TRUE(m.is_ok()) << text << ": " << m.error();
  return m ? *m : Money();
}

inline Decimal decimal(const std::string& text) {
  auto d = Decimal::parse(text);
  EXPECT_TRUE(d.is_ok()) << text << ": " << d.error();
  return d ? *d : Decimal();
}

inline BillingLine billing_line(const std::string& product_type, const std::string& total,
                                const std::string& resource_id = "lkc-abc") {
  BillingLine line;
  line.ecosystem = kEcosystem;
  line.tenant_id = kTenant;
  line.timestamp = kDay0;
  line.env_id = "env-1";
  line.resource_id = resource_id;
  line.product_category = "KAFKA";
  line.product_type = product_type;
  line.quantity = decimal("1");
  line.unit_price = decimal(total);
  line.total_cost = decimal(total);
  return line;
}

inline Identity identity(const std::string& id, const std::string& type) {
  Identity i;
  i.ecosystem = kEcosystem;
  i.tenant_id = kTenant;
  i.identity_id = id;
  i.identity_type = type;
  i.display_name = id;
  return i;
}

inline Identity api_key(const std::string& id, const std::string& owner,
                        const std::string& resource) {
  Identity key = identity(id, "api_key");
  if (!owner.empty()) key.metadata["owner_id"] = owner;
  key.metadata["resource_id"] = resource;
  return key;
}

inline Resource resource(const std::string& id, const std::string& type) {
  Resource r;
  r.ecosystem = kEcosystem;
  r.tenant_id = kTenant;
  r.resource_id = id;
  r.resource_type = type;
  r.display_name = id;
  return r;
}

inline MetricRow metric(const std::string& key, const std::string& principal, double value) {
  MetricRow row;
  row.timestamp = kDay0;
  row.metric_key = key;
  row.value = value;
  row.labels["kafka_id"] = "lkc-abc";
  row.labels["principal_id"] = principal;
  return row;
}

// A context for calling allocators and helpers directly.
inline AllocationContext context_for(const BillingLine& line, const std::string& split) {
  AllocationContext ctx;
  ctx.line = &line;
  ctx.split_amount = money(split);
  return ctx;
}

// What a test expects of one row; unset optionals are not checked.
struct ExpectedRow {
  std::string identity;
  std::string amount;
  CostType cost_type;
  std::string method;
  std::optional<std::string> detail;  // nullopt: the row's detail must be null
  std::optional<int> tier;            // nullopt: the row must carry no chain_tier
};

inline void expect_rows(const std::vector<ChargebackRow>& rows,
                        const std::vector<ExpectedRow>& expected) {
  ASSERT_EQ(rows.size(), expected.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE("row " + std::to_string(i));
    const ChargebackRow& row = rows[i];
    const ExpectedRow& want = expected[i];
    EXPECT_EQ(row.identity_id, want.identity);
    EXPECT_EQ(row.amount.to_string(), want.amount);
    EXPECT_EQ(to_string(row.cost_type), to_string(want.cost_type));
    EXPECT_EQ(row.allocation_method, want.method);
    EXPECT_EQ(row.allocation_detail, want.detail);
    EXPECT_EQ(row.metadata.chain_tier, want.tier);
  }
}

inline Money sum_of(const std::vector<ChargebackRow>& rows) {
  Money sum;
  for (const ChargebackRow& row : rows) sum += row.amount;
  return sum;
}

}  // namespace chitragupt::allocation::testing
