#pragma once
// The protocol between the engine's actors and its HTTP front end, in one place.
//
//   HTTP handler --health/ready/tenants--> supervisor --summary/ping--> tenant actors
//   tenant actor --tstate (TenantHealth)--> supervisor         (push on every change)
//   tenant actor --migrate--> migrator --MigrationOutcome--> tenant actor
//   tenant actor --run--> collector --RunOutcome--> tenant actor
//   HTTP handler --report(tenant, report::Request)--> supervisor --delegate--> tenant actor
//                                                   (the tenant answers with a report::Response)
//   HTTP handler --metrics--> supervisor: EngineMetrics (run figures it keeps from TenantHealth)
//   main (signals) --reload Config / reloadfail / stop--> supervisor
//
// All messages are local to one process, so the payload types are allowed as "unsafe"
// (not serializable) message types.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "config/config.hpp"
#include "report/report.hpp"

namespace chitragupt::messages {

// ---- atoms (CAF 0.17: at most 10 characters) -------------------------------------------
using health_atom = caf::atom_constant<caf::atom("health")>;    // -> HealthReport
// -> HealthSnapshot: the supervisor's shared, coalesced copy (what /health and /ready serve)
using health_snapshot_atom = caf::atom_constant<caf::atom("healthsnap")>;
using tenants_atom = caf::atom_constant<caf::atom("tenants")>;  // -> TenantSummaries
using summary_atom = caf::atom_constant<caf::atom("summary")>;  // tenant -> TenantSummary
using ping_atom = caf::atom_constant<caf::atom("ping")>;        // heartbeat -> pong_atom
using pong_atom = caf::atom_constant<caf::atom("pong")>;
using tstate_atom = caf::atom_constant<caf::atom("tstate")>;           // tenant pushes TenantHealth
using migrate_atom = caf::atom_constant<caf::atom("migrate")>;         // -> MigrationOutcome
using run_atom = caf::atom_constant<caf::atom("run")>;                 // collector: one run
using tick_atom = caf::atom_constant<caf::atom("tick")>;               // timers
using reload_atom = caf::atom_constant<caf::atom("reload")>;           // + Config
using reload_fail_atom = caf::atom_constant<caf::atom("reloadfail")>;  // + error text
using restart_atom = caf::atom_constant<caf::atom("restart")>;         // + tenant name, generation
using stop_atom = caf::atom_constant<caf::atom("stop")>;               // graceful stop -> ok
using ok_atom = caf::atom_constant<caf::atom("ok")>;
using report_atom = caf::atom_constant<caf::atom("report")>;    // -> report::Response
using metrics_atom = caf::atom_constant<caf::atom("metrics")>;  // -> EngineMetrics
// collector -> tenant, + bool held: it took the tenant's pipeline lease, or another process has it
using lease_atom = caf::atom_constant<caf::atom("lease")>;

// ---- payloads ----------------------------------------------------------------------------
enum class TenantState { starting, migrating, ready, running, degraded, failed, stopped };
const char* to_string(TenantState s);

struct LastRun {
  std::string status;  // completed|failed|interrupted
  std::string at;      // UTC ISO-8601 end time
  std::string error;   // "" unless failed
};

// One tenant as the supervisor last heard of it. Pushed by the tenant actor on every change.
// What one finished pipeline run measured; the supervisor adds it to the tenant's figures.
struct RunFigures {
  std::string status;  // completed|failed|interrupted
  double duration_s = 0;
  std::int64_t rows_written = 0;
  double ended_unix_s = 0;  // wall-clock end, seconds since the epoch
};

struct TenantHealth {
  std::string name;
  TenantState state = TenantState::starting;
  int schema_version = 0;
  bool migrated = false;  // finished migrating in this incarnation
  std::optional<LastRun> last_run;
  int runs_completed = 0;  // pipeline runs finished (any status) in this incarnation
  std::optional<RunFigures> finished_run;  // the run that made runs_completed grow
  std::string error;                       // never contains secrets
  // Filled in by the supervisor:
  bool unresponsive = false;  // missed its heartbeat
  int restarts = 0;
  std::optional<std::int64_t> next_restart_in_s;
  // PostgreSQL tenants with a collector: "held" when this process runs the tenant's pipeline,
  // "standby" when another process does (storage/pipeline_lease.hpp); "" otherwise.
  std::string lease;
};

struct ReloadStatus {
  std::string at;  // UTC ISO-8601
  bool ok = true;
  std::string error;
};

struct HealthReport {
  std::string config_path;
  std::string loaded_at;
  std::optional<ReloadStatus> last_reload;
  std::vector<TenantHealth> tenants;  // in config order
};

// The supervisor's health report, shared rather than copied (1,000 tenants are ~100 KB): rebuilt
// at most every kHealthSnapshotMaxAge after a change (actors/supervisor.hpp); `version` grows with
// every rebuild, so the HTTP front end serialises each snapshot once.
struct HealthSnapshot {
  std::uint64_t version = 0;
  std::shared_ptr<const HealthReport> report;
};

struct TenantSummary {
  std::string tenant_name;
  std::string tenant_id;
  std::string ecosystem;
  std::string state;
  std::int64_t dates_pending = 0;
  std::int64_t dates_calculated = 0;
  std::string last_calculated_date;
  std::string error;
  std::string topic_attribution_status = "disabled";  // topics::attribution_status()
  std::string topic_attribution_error;
};
using TenantSummaries = std::vector<TenantSummary>;

struct MigrationOutcome {
  bool ok = false;
  int from_version = 0;
  int schema_version = 0;
  std::vector<int> applied;
  std::string backup_path;
  std::string error;
};

struct RunOutcome {
  LastRun run;
  std::int64_t rows_written = 0;
  bool database_unavailable = false;  // the collector could not reach its database
};

// Upper bounds (seconds) of the pipeline duration histogram's buckets; +Inf is implicit.
inline const std::vector<double>& run_duration_buckets() {
  static const std::vector<double> b = {1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600};
  return b;
}

// One tenant's pipeline figures since this process started (they survive tenant restarts).
struct TenantMetrics {
  std::string tenant;
  bool up = false;  // migrated, serving queries, answering its heartbeat
  std::vector<std::pair<std::string, std::int64_t>> runs_by_status;  // sorted by status
  std::vector<std::int64_t> duration_buckets;  // per run_duration_buckets() (not cumulative)
  std::int64_t duration_count = 0;
  double duration_sum_s = 0;
  std::optional<double> last_success_unix_s;
  std::int64_t rows_written = 0;
};
using EngineMetrics = std::vector<TenantMetrics>;  // in config order

}  // namespace chitragupt::messages

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::config::Config)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::config::TenantConfig)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::messages::TenantHealth)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::messages::HealthReport)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::messages::HealthSnapshot)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::messages::TenantSummary)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::messages::TenantSummaries)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::messages::MigrationOutcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::messages::RunOutcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::messages::EngineMetrics)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::report::Request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::report::Response)
