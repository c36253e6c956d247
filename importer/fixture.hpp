#pragma once
// Test and bench support (not linked into the binary): original chitragupta v2.2 databases
// built from the reference's DDL and filled with a generated history, on SQLite or PostgreSQL,
// with the stored formats of the original (decimal text, family A/B timestamps, 0/1 or
// BOOLEAN flags, NULL metadata) and its awkward cases:
// - several months of daily billing (ccloud_billing for confluent_cloud, billing otherwise),
//   chargeback facts that sum exactly to their line, and amounts with more than four decimals
//   (9 decimals, E-notation "1E-7", "0E-32"), a credit (negative) line;
// - the original's fact collapse (a line whose facts sum to less than its cost);
// - colliding dimensions: two original dimensions that differ only by NULL vs '' (one of ours);
// - a deleted resource and a deleted identity, tags on resources and identities (one orphan);
// - topic attribution (Confluent Cloud), pipeline runs (one left `running`), pipeline state
//   (the last date gathered but not calculated), emission records.
// The expected figures are computed while writing, with exact decimals.

#include <cstdint>
#include <map>
#include <string>

#include "allocation/decimal.hpp"
#include "common/status.hpp"
#include "storage/database.hpp"

namespace chitragupt::importer::fixture {

const char* original_sqlite_ddl();
const char* original_postgresql_ddl();

struct Options {
  std::string ecosystem = "confluent_cloud";  // or self_managed_kafka
  std::string tenant_id = "acme-prod";
  std::string tenant_name = "acme";
  std::string first_date = "2026-01-01";
  int days = 75;       // several months; the last is gathered but not calculated
  int clusters = 3;    // plus one deleted on day 10
  int identities = 4;  // facts per CKU line
  std::string revision = "032";
  bool anomalies = true;  // the awkward cases above
};

struct Expected {
  std::map<std::string, allocation::Decimal> billed;   // per date
  std::map<std::string, allocation::Decimal> charged;  // per date, exact
  std::map<std::string, allocation::Decimal> topics;   // per date, exact
  std::int64_t resources = 0, identities = 0, tags = 0, billing_lines = 0;
  std::int64_t dimensions = 0, facts = 0, merged_facts = 0, merged_dimensions = 0;
  std::int64_t topic_facts = 0, runs = 0, states = 0, emissions = 0;
  std::int64_t inexact_facts = 0;  // amounts with more than four decimals
  std::string calculated_through;  // the last calculated date
};

// Creates the schema (alembic_version = options.revision) and writes the history.
Result<Expected> build(storage::Database& db, const Options& options);

}  // namespace chitragupt::importer::fixture
