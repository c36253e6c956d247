#include "actors/migrator.hpp"

#include <spdlog/spdlog.h>
#include <caf/all.hpp>

#include "actors/blocking_pool.hpp"
#include "messages/protocol.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"

namespace chitragupt::actors {

using namespace messages;

namespace {

MigrationOutcome migrate(const std::string& tenant, const std::string& connection_string,
                         const StopToken& stop) {
  MigrationOutcome out;
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

}  // namespace

caf::behavior migrator_actor(caf::event_based_actor* self, std::string tenant_name,
                             std::string connection_string, caf::actor pool, StopToken stop) {
  return {
      [=](migrate_atom) {
        BlockingJob job;
        job.lane = Lane::io;
        job.work = [tenant_name, connection_string, stop] {
          spdlog::info("tenant={} event=migration_started", tenant_name);
          MigrationOutcome out = migrate(tenant_name, connection_string, stop);
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
