#pragma once
// Schema migrations: numbered SQL files (migrations/NNNN_name[.dialect].{up,down}.sql),
// compiled into the binary, recorded in schema_migrations(version, name, checksum, applied_at).
//
// Promises (SPEC §4):
// - each migration runs in its own transaction taken with the write lock (SQLite BEGIN
//   IMMEDIATE; PostgreSQL: a session advisory lock around the whole upgrade), so a crash leaves
//   the database at the last fully applied version and concurrent engines apply each version
//   exactly once; a fresh database (no migration recorded) gets all of them in ONE transaction
//   (a failure or crash anywhere leaves it empty, at version 0), which is what makes a
//   thousand new tenants ready in a few seconds;
// - before a SQLite database with pending migrations (and existing data) is changed, a
//   consistent backup `<db>.pre-<version>.bak` is written beside it (newest 3 kept), where
//   <version> is the first pending version;
// - a database that records a version this binary does not know (newer), or whose recorded
//   checksum differs from the binary's, is refused before anything is changed.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "common/stop_token.hpp"
#include "storage/database.hpp"
#include "storage/embedded_migrations.hpp"

namespace chitragupt::storage {

struct Migration {
  int version = 0;
  std::string name;    // "core_schema"
  std::string up_sql;  // for the dialect asked for
  std::string down_sql;
  std::string checksum;  // SHA-256 hex of up_sql
};

// Every migration known to this binary for `dialect`, ordered by version.
const std::vector<Migration>& known_migrations(Dialect dialect);
int head_version();  // the highest known version

// Builds the migration list for `dialect` from migration files: every name must parse
// (NNNN_name[.sqlite|.postgresql].{up,down}.sql), and every version needs an up and a down
// script for the dialect (its own file, else the generic one). known_migrations() is this over
// the embedded files (empty when they are incomplete; validate_migrations() says why).
Result<std::vector<Migration>> parse_migration_files(const std::vector<EmbeddedFile>& files,
                                                     Dialect dialect);
Status validate_migrations(Dialect dialect);
// "0002": how versions are written in file names, messages and backup names.
std::string version_label(int version);

struct AppliedMigration {
  int version = 0;
  std::string name;
  std::string checksum;
  std::string applied_at;  // UTC "YYYY-MM-DD HH:MM:SS"
};

struct MigrationHistoryEntry {
  int version = 0;
  std::string name;
  bool applied = false;
  std::string applied_at;  // "" when pending
};

struct UpgradeReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<int> applied;  // versions applied by this call, in order
  std::string backup_path;   // "" when no backup was written
};

class Migrator {
 public:
  struct Options {
    bool backup_before_upgrade = true;  // SQLite only
    int keep_backups = 3;
    // Called after each statement of a migration's script has run, inside its transaction.
    // Tests use it to kill the process half-way through a migration.
    std::function<void(int version, int statement_index)> after_statement;
    // Progress for logs ("applying 0002 pipeline_run_trigger").
    std::function<void(const std::string& event)> on_event;
    // Ends the wait for another process's migration of the same PostgreSQL database (the
    // upgrade then fails, having changed nothing).
    StopToken stop;
  };

  Migrator(Database& db, Options options);
  explicit Migrator(Database& db);

  // 0 for an empty database.
  Result<int> current_version();
  Result<std::vector<AppliedMigration>> applied();
  Result<std::vector<MigrationHistoryEntry>> history();
  // The refusals above, without changing anything.
  Status check();
  // Upgrades to `target` (default: head). A target below the current version is an error.
  Result<UpgradeReport> upgrade(std::optional<int> target = std::nullopt);
  // Runs the down scripts, newest first, until the database is at `target` (0 = empty).
  Result<UpgradeReport> downgrade(int target);

 private:
  // Every pending migration of a database with none recorded, in one transaction. false (and
  // nothing changed) when, under the write lock, the database turns out to have a migration
  // recorded after all (another process got there first).
  Result<bool> upgrade_fresh(const std::vector<const Migration*>& pending, UpgradeReport& report);
  // Runs `m`'s up script and records it in schema_migrations (inside the caller's transaction).
  Status apply_up(const Migration& m, const std::string& applied_at);

  Database& db_;
  Options options_;
};

}  // namespace chitragupt::storage
