#include "storage/pipeline_lease.hpp"

#include <cstdint>

namespace chitragupt::storage {
namespace {

// "chitrarn" in ASCII: distinct from the migration lock's key, fixed forever (two binaries
// must agree on it).
constexpr std::int64_t kPipelineLeaseKey = 0x636869747261726e;

}  // namespace

Result<bool> take_pipeline_lease(Database& db) {
  if (db.dialect() != Dialect::postgresql) return true;
  // Session-level and re-entrant: a holder that asks again keeps it (the server counts the
  // takes; they all end with the connection).
  auto got = db.query("SELECT pg_try_advisory_lock(?)", {kPipelineLeaseKey});
  if (!got) return got.status();
  return !got->empty() && got->front().get_text(0) == "t";
}

}  // namespace chitragupt::storage
