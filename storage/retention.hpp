#pragma once
// Data retention: what a tenant's database forgets after `retention_days` (SPEC §8, the
// original's _cleanup_retention). The collector calls it after each periodic cycle; never under
// --run-once or with periodic refresh off.
//
// With cutoff = now − retention_days and day cutoff = 00:00 UTC of that day, one transaction
// deletes, for one (ecosystem, tenant_id):
// - billing and ccloud_billing lines with a timestamp before the day cutoff;
// - chargeback facts before the day cutoff, then the tenant's chargeback dimensions that no
//   fact references any more;
// - pipeline_state rows whose tracking_date is before the cutoff date;
// - resources and identities whose deleted_at is set and earlier than the exact cutoff
//   (active ones stay however old they are: allocation still needs them).
// pipeline_runs, emission_records and tags are never deleted.
//
// Timestamps compare as text ("YYYY-MM-DD HH:MM:SS", dates "YYYY-MM-DD"); the day cutoff is
// compared as the bare date, so a row stamped exactly at midnight of the cutoff day stays.

#include <cstdint>
#include <ctime>
#include <string>

#include "common/status.hpp"
#include "storage/database.hpp"

namespace chitragupt::storage {

struct RetentionCutoff {
  std::string exact;  // now − retention_days, UTC "YYYY-MM-DD HH:MM:SS"
  std::string day;    // its date "YYYY-MM-DD": facts before 00:00 UTC of it go
};
RetentionCutoff retention_cutoff(std::time_t now, int retention_days);

// Rows deleted per table.
struct RetentionCounts {
  std::int64_t billing = 0;
  std::int64_t ccloud_billing = 0;
  std::int64_t chargeback_facts = 0;
  std::int64_t chargeback_dimensions = 0;
  std::int64_t pipeline_state = 0;
  std::int64_t resources = 0;
  std::int64_t identities = 0;
  std::int64_t total() const;
  // "billing=0 ccloud_billing=12 chargeback_facts=340 ..." (for the log line).
  std::string to_fields() const;
};

struct RetentionReport {
  RetentionCutoff cutoff;
  RetentionCounts deleted;
};

// Deletes what is older than `retention_days` before `now` (injectable for tests), in one
// transaction: on any error nothing is deleted and the error names the table.
Result<RetentionReport> cleanup_retention(Database& db, const std::string& ecosystem,
                                          const std::string& tenant_id, int retention_days,
                                          std::time_t now);

}  // namespace chitragupt::storage
