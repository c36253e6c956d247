#include "storage/retention.hpp"

#include "storage/rollup_store.hpp"
#include "storage/utc_time.hpp"

namespace chitragupt::storage {
namespace {

// Counts, then deletes, the rows of `table` matching `where`. Both run in the caller's
// transaction (taken with the write lock), so the count is what the delete removes: only this
// tenant's collector writes to its tables. (No affected-row count in the Database interface,
// and DELETE ... RETURNING would hold every deleted key in memory on a first clean-up.)
Status count_and_delete(Database& db, const char* table, const std::string& where,
                        const Params& params, std::int64_t& deleted) {
  auto n = db.query(std::string("SELECT COUNT(*) FROM ") + table + " WHERE " + where, params);
  if (!n) return Status::error(std::string("retention: counting ") + table + ": " + n.error());
  deleted = n->empty() ? 0 : n->front().get_int(0);
  if (deleted == 0) return Status::ok();
  if (auto s = db.execute(std::string("DELETE FROM ") + table + " WHERE " + where, params); !s) {
    return Status::error(std::string("retention: deleting from ") + table + ": " + s.message());
  }
  return Status::ok();
}

}  // namespace

RetentionCutoff retention_cutoff(std::time_t now, int retention_days) {
  RetentionCutoff c;
  c.exact = utc_timestamp(now - static_cast<std::time_t>(retention_days) * 86400);
  c.day = c.exact.substr(0, 10);
  return c;
}

std::int64_t RetentionCounts::total() const {
  return billing + ccloud_billing + chargeback_facts + chargeback_dimensions + pipeline_state +
         resources + identities;
}

std::string RetentionCounts::to_fields() const {
  return "billing=" + std::to_string(billing) +
         " ccloud_billing=" + std::to_string(ccloud_billing) +
         " chargeback_facts=" + std::to_string(chargeback_facts) +
         " chargeback_dimensions=" + std::to_string(chargeback_dimensions) +
         " pipeline_state=" + std::to_string(pipeline_state) +
         " resources=" + std::to_string(resources) + " identities=" + std::to_string(identities);
}

Result<RetentionReport> cleanup_retention(Database& db, const std::string& ecosystem,
                                          const std::string& tenant_id, int retention_days,
                                          std::time_t now) {
  if (retention_days < 1) {
    return Status::error("retention: retention_days must be at least 1, got " +
                         std::to_string(retention_days));
  }
  RetentionReport report;
  report.cutoff = retention_cutoff(now, retention_days);
  const std::string& day = report.cutoff.day;
  const std::string& exact = report.cutoff.exact;
  RetentionCounts& n = report.deleted;

  Transaction tx(db, TxMode::immediate);
  if (!tx.begin_status()) {
    return Status::error("retention: starting the transaction: " + tx.begin_status().message());
  }
  const std::string tenant = "ecosystem = ? AND tenant_id = ?";
  // Facts carry no tenant columns: their dimension says whose they are.
  const std::string tenant_fact =
      "EXISTS (SELECT 1 FROM chargeback_dimensions d WHERE d.dimension_id = "
      "chargeback_facts.dimension_id AND d.ecosystem = ? AND d.tenant_id = ?)";
  std::int64_t rollup_rows = 0, rollup_days = 0;  // derived data: not in the report
  struct Step {
    const char* table;
    std::string where;
    Params params;
    std::int64_t& deleted;
  };
  const Step steps[] = {
      {"billing", tenant + " AND timestamp < ?", {ecosystem, tenant_id, day}, n.billing},
      {"ccloud_billing",
       tenant + " AND timestamp < ?",
       {ecosystem, tenant_id, day},
       n.ccloud_billing},
      {"chargeback_facts",
       "timestamp < ? AND " + tenant_fact,
       {day, ecosystem, tenant_id},
       n.chargeback_facts},
      // The daily rollup goes with the facts it sums (whole UTC days, as the facts go).
      {"chargeback_daily", kRollupRowsBefore, {day, ecosystem, tenant_id}, rollup_rows},
      {"chargeback_rollup_days", kRollupDaysBefore, {day, ecosystem, tenant_id}, rollup_days},
      // Every dimension of the tenant left without facts, including ones orphaned earlier.
      {"chargeback_dimensions",
       tenant + " AND NOT EXISTS (SELECT 1 FROM chargeback_facts f WHERE f.dimension_id = "
                "chargeback_dimensions.dimension_id)",
       {ecosystem, tenant_id},
       n.chargeback_dimensions},
      {"pipeline_state",
       tenant + " AND tracking_date < ?",
       {ecosystem, tenant_id, day},
       n.pipeline_state},
      {"resources",
       tenant + " AND deleted_at IS NOT NULL AND deleted_at < ?",
       {ecosystem, tenant_id, exact},
       n.resources},
      {"identities",
       tenant + " AND deleted_at IS NOT NULL AND deleted_at < ?",
       {ecosystem, tenant_id, exact},
       n.identities},
  };
  for (const Step& step : steps) {
    if (auto s = count_and_delete(db, step.table, step.where, step.params, step.deleted); !s) {
      return s;
    }
  }
  if (auto s = tx.commit(); !s) return Status::error("retention: committing: " + s.message());
  return report;
}

}  // namespace chitragupt::storage
