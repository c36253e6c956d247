#pragma once
// Report readers: a small pool of actors per tenant, each with its own read connection, that
// answer the tenant's read-only report requests (GET routes) side by side. The tenant actor stays
// the owner of its database and of every write (tags, pipeline runs, exports' POST); it hands
// each GET to the next reader in turn, so N concurrent dashboard requests take about the time
// the cores allow rather than N times one request (issue 14).
//
// Each request is answered inside one read transaction (SQLite WAL snapshot; PostgreSQL
// REPEATABLE READ, READ ONLY): every query of an answer sees the same committed state, and a
// date is committed whole by the calculate stage, so no answer ever mixes a half-written date.
// Readers run detached (a query blocks only its own thread) and are linked to the tenant.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/stateful_actor.hpp>

#include "messages/protocol.hpp"
#include "report/report.hpp"
#include "storage/database.hpp"

namespace chitragupt::actors {

struct ReportReaderState {
  std::unique_ptr<storage::Database> db;  // opened on the first request, reopened after errors
};

// Answers (report_atom, report::TenantContext, report::Request) with a report::Response.
caf::behavior report_reader(caf::stateful_actor<ReportReaderState>* self,
                            std::string connection_string);

// Whether the tenant may hand `request` to a reader: GETs only (they never write), and not
// the FOCUS export routes (the tenant actor owns its export jobs).
bool reader_may_answer(const report::Request& request);

// One request answered in a read transaction on `db` (exposed for tests).
report::Response answer_in_snapshot(storage::Database& db, const report::TenantContext& context,
                                    const report::Request& request);

// Readers per tenant: 2..4, by the cores there are (CHITRAGUPT_REPORT_READERS overrides).
std::size_t report_reader_count();

}  // namespace chitragupt::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(chitragupt::report::TenantContext)
