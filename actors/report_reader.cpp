#include "actors/report_reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "focus/jobs.hpp"

namespace chitragupt::actors {

bool reader_may_answer(const report::Request& request) {
  // FOCUS exports are jobs the tenant actor owns: even their GETs read its job list.
  return request.method == "GET" && !focus::ExportJobs::is_focus_route(request.route);
}

std::size_t report_reader_count() {
  // CHITRAGUPT_REPORT_READERS (0..16) overrides, for benchmarks: 0 is one connection per
  // tenant, every report in turn, as before the readers.
  if (const char* text = std::getenv("CHITRAGUPT_REPORT_READERS")) {
    char* end = nullptr;
    long n = std::strtol(text, &end, 10);
    if (end && end != text && *end == '\0' && n >= 0 && n <= 16) return static_cast<std::size_t>(n);
  }
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return std::clamp<std::size_t>(cores, 2, 4);
}

report::Response answer_in_snapshot(storage::Database& db, const report::TenantContext& context,
                                    const report::Request& request) {
  Status begun = db.begin();
  if (begun && db.dialect() == Dialect::postgresql) {
    begun = db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  }
  if (!begun) {
    if (db.in_transaction()) db.rollback();
    return report::error_response(503, "tenant_not_ready",
                                  "the tenant's database is unavailable; try again later");
  }
  report::Response response = report::handle(db, context, request);
  if (db.in_transaction()) db.rollback();  // read only: nothing to keep
  return response;
}

}  // namespace chitragupt::actors
