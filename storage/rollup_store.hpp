#pragma once
// The daily rollup of chargeback facts (migration 0004): per UTC day and dimension, the sum of
// the facts' amounts and their number, kept for the (tenant, day) pairs listed in
// chargeback_rollup_days. A day is listed only when its rollup has at most half as many rows as
// its facts (hourly facts: 24 to 1); readers use the rollup for listed days they cover whole and
// the facts for every other day, so both paths give the same sums.
//
// Every write runs in the caller's transaction, the one that writes the facts it sums: a reader
// never sees a day's facts without its rollup or the other way round.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "storage/database.hpp"

namespace chitragupt::storage {

struct RollupSum {
  std::int64_t dimension_id = 0;
  std::int64_t amount = 0;
  std::int64_t row_count = 0;
};

class RollupStore {
 public:
  RollupStore(Database& db, std::string ecosystem, std::string tenant_id)
      : db_(db), ecosystem_(std::move(ecosystem)), tenant_id_(std::move(tenant_id)) {}

  // Replaces the tenant's rollup of `day` ("YYYY-MM-DD") with `sums` (in dimension order, one
  // per dimension), which add up to `fact_rows` facts; lists the day when the rollup halves
  // them, and otherwise leaves it without rollup rows.
  Status replace_day(const std::string& day, const std::vector<RollupSum>& sums,
                     std::int64_t fact_rows);
  // Removes the tenant's rollup of `day` (its reports then read the facts).
  Status clear_day(const std::string& day);
  // Rebuilds the tenant's rollup of `day` from the facts stored for it.
  Status rebuild_day(const std::string& day);

 private:
  Status prepare();

  Database& db_;
  std::string ecosystem_;
  std::string tenant_id_;
  std::unique_ptr<Statement> delete_rows_;
  std::unique_ptr<Statement> delete_day_;
  std::unique_ptr<Statement> insert_row_;
  std::unique_ptr<Statement> insert_day_;
};

// Whether a rollup with `rollup_rows` rows is kept for a day of `fact_rows` facts.
inline bool rollup_pays(std::int64_t rollup_rows, std::int64_t fact_rows) {
  return rollup_rows > 0 && 2 * rollup_rows <= fact_rows;
}

// Retention: WHERE clauses (params: cutoff day, ecosystem, tenant_id) for the rollup rows and
// listed days before the cutoff day.
extern const char* const kRollupRowsBefore;
extern const char* const kRollupDaysBefore;

}  // namespace chitragupt::storage
