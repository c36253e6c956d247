#pragma once
// Report reads: a tenant answers its read-only report requests (GET routes) side by side, each
// on a connection of its own (at most report_reader_count() per tenant, opened when needed and
// closed when idle, actors/tenant.hpp), as pool jobs, so N concurrent dashboard requests take
// about the time the cores allow rather than N times one request (issue 14). Writes (tags,
// pipeline runs, exports' POST) go one at a time.
//
// Each request is answered inside one read transaction (SQLite WAL snapshot; PostgreSQL
// REPEATABLE READ, READ ONLY): every query of an answer sees the same committed state, and a
// date is committed whole by the calculate stage, so no answer ever mixes a half-written date.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "report/report.hpp"
#include "storage/database.hpp"

namespace chitragupt::actors {

// Whether the tenant may hand `request` to a reader: GETs only (they never write), and not
// the FOCUS export routes (the tenant actor owns its export jobs).
bool reader_may_answer(const report::Request& request);

// One request answered in a read transaction on `db` (exposed for tests).
report::Response answer_in_snapshot(storage::Database& db, const report::TenantContext& context,
                                    const report::Request& request);

// Connections (concurrent reads) per tenant: 2..4, by the cores there are
// (CHITRAGUPT_REPORT_READERS overrides; 0 and 1 both mean one connection).
std::size_t report_reader_count();

}  // namespace chitragupt::actors
