#pragma once
// The chargeback rows an emitter writes: one tenant's facts over a date range, aggregated to
// the emitter's granularity. Aggregation is done here, in exact integer units, so it reads the
// same on SQLite and PostgreSQL: daily and monthly rows sum the amounts of one
// (bucket, resource, product, identity, cost type), keep MAX(allocation_method) and drop
// allocation_detail (the original's aggregated rows); hourly rows are the facts as stored.

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "emitters/emitter_spec.hpp"
#include "storage/database.hpp"

namespace chitragupt::emitters {

struct EmittedRow {
  std::string timestamp;  // UTC "YYYY-MM-DD HH:MM:SS", the bucket's start
  std::string resource_id;
  std::string product_category;
  std::string product_type;
  std::string identity_id;
  std::string cost_type;
  std::int64_t amount_units = 0;  // 0.0001 units
  std::string allocation_method;
  std::string allocation_detail;
};

// Facts with first_date <= day < end_date (dates "YYYY-MM-DD"), in bucket and key order.
Result<std::vector<EmittedRow>> read_chargeback_rows(storage::Database& db,
                                                     const std::string& ecosystem,
                                                     const std::string& tenant_id,
                                                     const std::string& first_date,
                                                     const std::string& end_date,
                                                     Aggregation aggregation);

}  // namespace chitragupt::emitters
