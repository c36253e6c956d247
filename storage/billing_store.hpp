#pragma once
// Billing lines and per-date pipeline state of one tenant. Confluent Cloud tenants keep their
// lines in ccloud_billing (keyed with env_id); other ecosystems in billing.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace chitragupt::storage {

// The table holding an ecosystem's billing lines: "ccloud_billing" (keyed with env_id) for
// confluent_cloud, "billing" for every other ecosystem (self_managed_kafka,
// generic_metrics_only, ...). The one place that decides it: the store, the report routes, the
// summary and retention all ask here.
const char* billing_table_of(const std::string& ecosystem);
// Whether that table has an env_id column (billing_table_of(ecosystem) == "ccloud_billing").
bool billing_table_has_env_id(const std::string& ecosystem);

struct BillingUpsert {
  int inserted = 0;
  int revised = 0;  // an existing line whose amounts changed ("billing revision")
  int unchanged = 0;
  std::set<std::string> changed_dates;  // dates with an inserted or revised line
};

class BillingStore {
 public:
  BillingStore(Database& db, std::string ecosystem, std::string tenant_id);

  // Merges lines on their natural key. A revised line's allocation attempts restart at 0.
  // A line is revised when an amount differs in value or its metadata differs as JSON (so
  // "36.0" and "36", or metadata written by the original in another key order, are unchanged).
  Result<BillingUpsert> upsert(const std::vector<BillingRecord>& lines);
  // The lines whose timestamp falls on `date` (UTC day), in key order.
  Result<std::vector<BillingRecord>> lines_for_date(const std::string& date);
  Status set_allocation_attempts(const BillingRecord& line, std::int64_t attempts);

  // pipeline_state: every date in `gathered` is marked gathered; those in `requeue` also lose
  // their calculated flag so the calculate stage recomputes them.
  Status mark_gathered(const std::set<std::string>& gathered, const std::set<std::string>& requeue);
  // Gathered and not yet calculated, oldest first.
  Result<std::vector<std::string>> pending_dates();
  Status mark_calculated(const std::string& date, std::int64_t run_id,
                         const std::string& calculation_id);

 private:
  Database& db_;
  std::string ecosystem_;
  std::string tenant_id_;
  bool ccloud_;
};

}  // namespace chitragupt::storage
