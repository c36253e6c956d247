#include "actors/migrator.hpp"

#include <spdlog/spdlog.h>
#include <caf/all.hpp>

#include "actors/blocking_pool.hpp"
#include "messages/protocol.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"
#include "storage/sqlite_template.hpp"

namespace chitragupt::actors {

using namespace messages;

MigrationOutcome migrate_tenant_database(const std::string& tenant,
                                         const std::string& connection_string,
                                         const StopToken& stop) {
  MigrationOutcome out;
  // A new SQLite database: a copy of the schema migrated once per process (sqlite_template.hpp).
  if (auto url = parse_database_url(connection_string); url && url->dialect == Dialect::sqlite) {
    auto created = storage::create_sqlite_at_head(url->path);
    if (created && created->created) {
      spdlog::info("tenant={} event=database_created_from_schema_template version={}", tenant,
                   created->schema_version);
      out.ok = true;
      out.schema_version = created->schema_version;
      out.applied = created->applied;
      return out;
    }
    if (!created) {
      spdlog::warn("tenant={} event=schema_template_unavailable error={} (migrating as usual)",
                   tenant, created.error());
    }
  }
  auto db = storage::open_database(connection_string);
  if (!db) {
    out.error = db.error();
    return out;
  }
  storage::Migrator::Options options;
  options.on_event = [&tenant](const std::string& event) {
    spdlog::info("tenant={} {}", tenant, event);
  };
  options.stop = stop;
  storage::Migrator migrator(**db, options);
  auto report = migrator.upgrade();
  if (!report) {
    out.error = report.error();
    return out;
  }
  out.ok = true;
  out.from_version = report->from_version;
  out.schema_version = report->to_version;
  out.applied = report->applied;
  out.backup_path = report->backup_path;
  return out;
}

caf::behavior migrator_actor(caf::event_based_actor* self, std::string tenant_name,
                             std::string connection_string, caf::actor pool, StopToken stop) {
  return {
      [=](migrate_atom) {
        BlockingJob job;
        job.lane = Lane::io;
        job.work = [tenant_name, connection_string, stop] {
          spdlog::info("tenant={} event=migration_started", tenant_name);
          MigrationOutcome out = migrate_tenant_database(tenant_name, connection_string, stop);
          if (out.ok) {
            spdlog::info("tenant={} event=migration_completed from={} to={} applied={}",
                         tenant_name, out.from_version, out.schema_version, out.applied.size());
          } else {
            spdlog::error("tenant={} event=migration_failed error={}", tenant_name, out.error);
          }
          return caf::make_message(std::move(out));
        };
        self->quit();
        return self->delegate(pool, job_atom::value, std::move(job));
      },
  };
}

}  // namespace chitragupt::actors
