#pragma once
// The migrator: a short-lived child of a tenant actor. On `migrate` it opens the tenant's
// database, brings it to the schema head (storage::Migrator: backup, one transaction per
// migration, refusal of newer or altered schemas), replies with a MigrationOutcome and quits.
// It runs on the scheduler: the migration itself is a job on the blocking pool
// (actors/blocking_pool.hpp), whose io lane bounds how many tenants migrate at once at
// start-up; the migrator hands the job over and the pool's worker answers the tenant.

#include <string>

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>

#include "common/stop_token.hpp"
#include "messages/protocol.hpp"

namespace chitragupt::actors {

// The migrator's job, on the calling thread: a new SQLite database is created as a copy of the
// schema template (storage/sqlite_template.hpp); any other database is opened and upgraded by
// storage::Migrator. Errors are in the outcome, never thrown.
messages::MigrationOutcome migrate_tenant_database(const std::string& tenant,
                                                   const std::string& connection_string,
                                                   const StopToken& stop);

// `stop` (the tenant's) ends a wait for another process's migration of the same database.
caf::behavior migrator_actor(caf::event_based_actor* self, std::string tenant_name,
                             std::string connection_string, caf::actor pool, StopToken stop);

}  // namespace chitragupt::actors
