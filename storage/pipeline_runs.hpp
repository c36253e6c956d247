#pragma once
// pipeline_runs: one row per pipeline run of a tenant (running|completed|failed|interrupted).

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.hpp"
#include "storage/database.hpp"

namespace chitragupt::storage {

struct PipelineRun {
  std::int64_t id = 0;
  std::string tenant_name;
  std::string started_at;    // UTC "YYYY-MM-DD HH:MM:SS"
  std::string ended_at;      // "" while running
  std::string status;        // running|completed|failed|interrupted
  std::string stage;         // gathering|calculating|emitting|""
  std::string current_date;  // the date being calculated, "" when none
  std::string trigger;       // periodic|run_once|manual
  std::string runner;        // the process that ran it (runner_name()); "" for older runs
  std::int64_t dates_gathered = 0;
  std::int64_t dates_calculated = 0;
  std::int64_t rows_written = 0;
  std::string error_message;
};

struct RunCounts {
  std::int64_t dates_gathered = 0;
  std::int64_t dates_calculated = 0;
  std::int64_t rows_written = 0;
};

// This process as a runner of pipeline runs: "<host name>:<process id>".
const std::string& runner_name();

class PipelineRunStore {
 public:
  explicit PipelineRunStore(Database& db) : db_(db) {}

  Result<std::int64_t> start(const std::string& tenant_name, const std::string& trigger);
  Status set_stage(std::int64_t id, const std::string& stage);
  // The date the run is working on ("YYYY-MM-DD"; "" clears it), for the readiness document.
  Status set_current_date(std::int64_t id, const std::string& date);
  // status: completed|failed|interrupted; error_message is cut to 2000 characters.
  Status finish(std::int64_t id, const std::string& status, const RunCounts& counts,
                const std::string& error_message = "");
  // Runs left `running` by a process that died become `failed` with
  // "Orphaned — process restarted before completion". Returns how many.
  Result<int> fail_orphaned(const std::string& tenant_name);
  Result<std::optional<PipelineRun>> last(const std::string& tenant_name);

 private:
  Database& db_;
};

// Per-tenant progress from pipeline_state, for /api/v1/tenants.
struct TenantProgress {
  std::int64_t dates_pending = 0;  // gathered, not yet calculated
  std::int64_t dates_calculated = 0;
  std::string last_calculated_date;  // "YYYY-MM-DD" or ""
};
Result<TenantProgress> read_tenant_progress(Database& db, const std::string& ecosystem,
                                            const std::string& tenant_id);

}  // namespace chitragupt::storage
