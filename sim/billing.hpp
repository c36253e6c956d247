// The billing ledger: the rows /billing/v1/costs returns, one UTC day at a time.
//
// Rows follow what the organisation did: a resource is billed for the part of each day it
// existed (so objects deleted during the window keep their earlier rows), network lines add up
// exactly the telemetry's request/response bytes, storage the retained bytes, Flink the CFU
// samples. Some line types come as several rows that share the natural key (env, resource,
// product, line_type, day) with different `price` tiers; the client merges them into one line.
// Every amount is an exact 6-decimal value whose JSON number text is that decimal.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/org_model.hpp"
#include "sim/telemetry.hpp"

namespace ccloud_sim {

struct CostRow {
  int64_t day = 0;  // epoch day of start_date (end_date is the next day)
  std::string id, product, line_type, unit, network_access_type;
  std::string resource_id, resource_name;
  std::string env_id;                                            // empty: "environment": null
  int64_t quantity = 0, price = 0;                               // micros
  int64_t original_amount = 0, discount_amount = 0, amount = 0;  // micros
};

struct DayTotals {
  int64_t day = 0;
  int64_t rows = 0;
  int64_t lines = 0;             // distinct natural keys (tier rows merged)
  int64_t amount = 0;            // Σ row amounts, micros
  int64_t amount_quantized = 0;  // Σ over lines of ROUND_HALF_UP(line amount, 4 dp), micros
};

struct LineTypeTotals {
  int64_t rows = 0;
  int64_t amount = 0;  // micros
};

class BillingLedger {
 public:
  BillingLedger(const OrgModel& model, const Telemetry& telemetry);

  const std::vector<CostRow>& rows() const { return rows_; }
  // Index range [first, last) of the rows whose day lies in [from_day, to_day).
  std::pair<size_t, size_t> day_range(int64_t from_day, int64_t to_day) const;
  std::vector<DayTotals> day_totals() const;
  std::map<std::string, LineTypeTotals> line_type_totals() const;

 private:
  std::vector<CostRow> rows_;  // ordered by day
};

// The billing/v1 Cost object of a row.
nlohmann::json cost_json(const CostRow& row);

}  // namespace ccloud_sim
