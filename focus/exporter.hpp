#pragma once
// A FOCUS 1.2 export of one tenant's billing period, read from its database and written as
//   focus-<tenant>-<YYYY-MM>.csv[.gz]   the cost-and-usage rows (RFC 4180, UTF-8, LF)
//   metadata.json                       FOCUS metadata: version, generator, schema
//   manifest.json                       tenant, period, row count, cost sums, file checksums
// The month is read one day at a time (billing lines and their chargeback facts), mapped
// (mapping.hpp), checked (checker.hpp) and written row by row, so memory stays bounded by a
// day's rows whatever the month's size. The same database gives byte-identical files.

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "config/config.hpp"
#include "storage/database.hpp"

namespace chitragupt::focus {

struct ExportRequest {
  std::string ecosystem;
  std::string tenant_id;
  std::string tenant_name;
  std::string billing_period;  // "YYYY-MM"
  std::string billing_currency = "USD";
  // focus_preview.effective_start_date / effective_end_date: days outside [start, end) are
  // not exported ("" = unbounded).
  std::string effective_start_date;
  std::string effective_end_date;
  std::string out_dir;
  bool gzip = false;
  const std::atomic<bool>* cancel = nullptr;  // checked between days
};

struct ExportFile {
  std::string name;
  std::string media_type;
  std::int64_t size_bytes = 0;
  std::string sha256;
};

struct ExportSummary {
  std::int64_t rows = 0;
  std::int64_t billing_lines = 0;
  std::string billed_cost;  // sums as exact decimal text
  std::string effective_cost;
  std::string list_cost;
  std::string billing_table_total;  // what the billing table holds for the same lines
  bool conforming = false;
  std::int64_t rules_checked = 0;
  std::map<std::string, std::int64_t> violations;  // rule -> count
  std::vector<ExportFile> files;                   // data file, metadata.json, manifest.json
};

// "YYYY-MM" -> true when well formed.
bool valid_billing_period(const std::string& period);
// The CSV file's name for a request.
std::string data_file_name(const ExportRequest& request);

// The request for a configured tenant: its focus_preview (currency, effective dates) applied.
ExportRequest request_for(const config::TenantConfig& tenant, const std::string& billing_period,
                          const std::string& out_dir, bool gzip);
// Where exports of a tenant live by default: <preview.artifact_root>/<tenant>.
std::string tenant_artifact_dir(const config::Config& config, const std::string& tenant);

Result<ExportSummary> export_focus(storage::Database& db, const ExportRequest& request);

}  // namespace chitragupt::focus
