#include "storage/rollup_store.hpp"

#include "storage/chargeback_store.hpp"

namespace chitragupt::storage {

const char* const kRollupRowsBefore =
    "day < ? AND EXISTS (SELECT 1 FROM chargeback_dimensions d WHERE d.dimension_id = "
    "chargeback_daily.dimension_id AND d.ecosystem = ? AND d.tenant_id = ?)";
const char* const kRollupDaysBefore = "day < ? AND ecosystem = ? AND tenant_id = ?";

Status RollupStore::prepare() {
  if (insert_row_) return Status::ok();
  struct Wanted {
    std::unique_ptr<Statement>* into;
    const char* sql;
  };
  const Wanted wanted[] = {
      {&delete_rows_,
       "DELETE FROM chargeback_daily WHERE day = ? AND EXISTS (SELECT 1 FROM "
       "chargeback_dimensions d WHERE d.dimension_id = chargeback_daily.dimension_id AND "
       "d.ecosystem = ? AND d.tenant_id = ?)"},
      {&delete_day_,
       "DELETE FROM chargeback_rollup_days WHERE ecosystem = ? AND tenant_id = ? AND day = ?"},
      {&insert_day_,
       "INSERT INTO chargeback_rollup_days (ecosystem, tenant_id, day) VALUES (?, ?, ?)"},
      {&insert_row_,
       "INSERT INTO chargeback_daily (day, dimension_id, amount, row_count) VALUES (?, ?, ?, ?)"},
  };
  for (const auto& w : wanted) {
    auto stmt = db_.prepare(w.sql);
    if (!stmt) return stmt.status();
    *w.into = std::move(*stmt);
  }
  return Status::ok();
}

Status RollupStore::clear_day(const std::string& day) {
  if (auto s = prepare(); !s) return s;
  if (auto s = delete_rows_->execute({day, ecosystem_, tenant_id_}); !s) return s;
  return delete_day_->execute({ecosystem_, tenant_id_, day});
}

Status RollupStore::replace_day(const std::string& day, const std::vector<RollupSum>& sums,
                                std::int64_t fact_rows) {
  if (auto s = clear_day(day); !s) return s;
  if (!rollup_pays(static_cast<std::int64_t>(sums.size()), fact_rows)) return Status::ok();
  Params p = {day, std::int64_t{0}, std::int64_t{0}, std::int64_t{0}};
  for (const RollupSum& r : sums) {
    p[1] = r.dimension_id;
    p[2] = r.amount;
    p[3] = r.row_count;
    if (auto s = insert_row_->execute(p); !s) return s;
  }
  return insert_day_->execute({ecosystem_, tenant_id_, day});
}

Status RollupStore::rebuild_day(const std::string& day) {
  auto [start, end] = day_bounds(day);
  auto rows = db_.query(
      "SELECT f.dimension_id, SUM(f.amount), COUNT(*) FROM chargeback_facts f WHERE f.timestamp "
      ">= ? AND f.timestamp < ? AND EXISTS (SELECT 1 FROM chargeback_dimensions d WHERE "
      "d.dimension_id = f.dimension_id AND d.ecosystem = ? AND d.tenant_id = ?) GROUP BY "
      "f.dimension_id ORDER BY f.dimension_id",
      {start, end, ecosystem_, tenant_id_});
  if (!rows) return rows.status();
  std::vector<RollupSum> sums;
  sums.reserve(rows->size());
  std::int64_t facts = 0;
  for (const Row& r : *rows) {
    sums.push_back({r.get_int(0), r.get_int(1), r.get_int(2)});
    facts += r.get_int(2);
  }
  return replace_day(day, sums, facts);
}

}  // namespace chitragupt::storage
