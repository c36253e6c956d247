#include "pipeline/emit_once.hpp"

#include <ctime>

#include "ecosystems/ecosystem.hpp"
#include "emitters/emission_runner.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"
#include "storage/utc_time.hpp"

namespace chitragupt::pipeline {

int emit_once(const config::Config& config, std::ostream& out, std::ostream& err) {
  int code = 0;
  const std::string today = storage::utc_timestamp(std::time(nullptr)).substr(0, 10);
  for (const auto& tenant : config.tenants) {
    auto ecosystem = ecosystems::create(tenant);
    if (!ecosystem) continue;  // validated before: not reached
    const auto& emitters = (*ecosystem)->common().emitters;
    if (emitters.empty()) {
      out << "tenant=" << tenant.name << " emitters=0\n";
      continue;
    }
    auto db = storage::open_database(tenant.storage.connection_string);
    if (!db) {
      err << "tenant=" << tenant.name << " error=" << db.error() << "\n";
      code = 1;
      continue;
    }
    // A database the engine never ran on has no tables yet: bring it to the schema, as the
    // engine does at start-up (nothing to emit then).
    storage::Migrator migrator(**db);
    if (auto upgraded = migrator.upgrade(); !upgraded) {
      err << "tenant=" << tenant.name << " error=" << upgraded.error() << "\n";
      code = 1;
      continue;
    }
    auto report = emitters::run_emitters({**db, tenant.ecosystem, tenant.tenant_id, tenant.name},
                                         emitters, today);
    for (const auto& w : report.warnings) err << "tenant=" << tenant.name << " " << w << "\n";
    out << "tenant=" << tenant.name << " dates_emitted=" << report.dates_emitted
        << " dates_failed=" << report.dates_failed << "\n";
    if (report.dates_failed > 0) code = 1;
  }
  return code;
}

}  // namespace chitragupt::pipeline
