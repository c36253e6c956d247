#pragma once
// Scale-out on PostgreSQL: several engine processes may serve the same tenants' databases, and
// each tenant's pipeline runs in exactly one of them at a time. The process whose collector
// holds the tenant's pipeline lease — a PostgreSQL session advisory lock on the collector's
// connection — runs it; the others stand by and try again every refresh interval. The lease is
// kept for as long as that connection lives: when the holder dies or stops, the server drops the
// lock and the next process to try takes the tenant over.
//
// SQLite databases are served by one process only (docs/operations.md): there is no lease.

#include "common/status.hpp"
#include "storage/database.hpp"

namespace chitragupt::storage {

// True when this connection holds the lease (it may already have), false when another session
// does; always true on SQLite.
Result<bool> take_pipeline_lease(Database& db);

}  // namespace chitragupt::storage
