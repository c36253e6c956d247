#pragma once
// `chitragupt import chitragupta`: one original chitragupta v2.2 tenant database (SQLite or
// PostgreSQL, read-only) into one chitragupt tenant database.
//
// What it promises:
// - Refusals before anything is written: a source that is not a chitragupta database, another
//   Alembic revision than 032, rows of another (ecosystem, tenant_id) than the tenant's
//   configuration, a target that is the source itself, and a target that already holds other
//   data for the same dates (unless `replace`). Data identical to what the import would write
//   is not a conflict: a re-run changes nothing (idempotent).
// - The target is migrated to head first (SQLite: backed up first by the migrator), then, before
//   the import writes, a SQLite target holding any data is copied to
//   `<db>.pre-import-<UTC time>.bak`.
// - Everything is written in ONE transaction, one savepoint per table group (inventory, tags,
//   billing, chargebacks, topic attribution, pipeline, emissions): a failure, a kill or a power
//   cut leaves the target as it was.
// - Money: fact amounts are converted exactly; an amount with more than four decimals cannot be
//   stored exactly in 0.0001 units: it is rounded so that every date's total stays the exact
//   total rounded to 0.0001, and it is reported (count per date, examples), never silently.
// - The verification: per table, rows read and written; per date, billed total and chargeback
//   total before (source, exact) and after (target), with every difference listed with its
//   reason. `lost()` is true when a row could not be imported or a date's totals do not match
//   to 0.0001: the command then exits 1.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.hpp"

namespace chitragupt::importer {

struct ImportOptions {
  std::string source_url;  // a secret: never printed (describe() only)
  std::string target_url;  // a secret too
  std::string tenant_name;
  std::string ecosystem;
  std::string tenant_id;
  bool dry_run = false;
  bool replace = false;
  // Progress lines for the operator (stderr).
  std::function<void(const std::string&)> progress;
  // Called after each table group was written, inside the transaction: groups "inventory",
  // "tags", "billing", "chargebacks", "topic attribution", "pipeline", "emissions". An error
  // aborts the import (everything is rolled back). Tests fail or kill the import there.
  std::function<Status(const std::string& group)> after_group;
};

struct TableCount {
  std::string table;
  std::int64_t read = 0;
  std::int64_t written = 0;    // inserted or replaced
  std::int64_t unchanged = 0;  // already in the target, identical
  std::int64_t kept = 0;       // already in the target, different: the target's row was kept
  std::int64_t merged = 0;     // merged into another row (colliding dimensions and their facts)
  std::int64_t lost = 0;       // could not be imported (listed in problems)
};

struct DateTotals {
  std::string date;
  std::string billed_before;  // exact decimal text
  std::string billed_after;
  std::string chargeback_before;  // exact decimal text
  std::string chargeback_after;   // 0.0001 units as text
  std::int64_t inexact = 0;       // facts with more than four decimals (rounded)
  std::string action;             // new|unchanged|replaced
  bool ok = true;                 // after matches before (billing exactly, chargebacks to 0.0001)
  std::string note;               // why billed and chargeback totals differ (informational)
};

struct ImportReport {
  bool dry_run = false;
  std::string source;  // describe(): no password
  std::string target;
  std::string revision;
  std::string backup_path;
  std::vector<TableCount> tables;
  std::vector<DateTotals> dates;
  std::vector<std::string> problems;  // what was lost, and why
  std::vector<std::string> notes;     // what changed shape without loss (rounding, merges)
  bool lost() const;
};

// An error Status is a refusal or a failure: the target is unchanged.
Result<ImportReport> run_import(const ImportOptions& options);

std::string format_report(const ImportReport& report);

}  // namespace chitragupt::importer
