#pragma once
// emission_records of one tenant: which calculated dates each emitter has written, so a date
// is emitted once and a failed one is retried on the next run.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "storage/database.hpp"

namespace chitragupt::storage {

struct EmissionRecord {
  std::string date;    // "YYYY-MM-DD"
  std::string status;  // emitted|failed
  std::int64_t attempt_count = 0;
};

class EmissionStore {
 public:
  EmissionStore(Database& db, std::string ecosystem, std::string tenant_id)
      : db_(db), ecosystem_(std::move(ecosystem)), tenant_id_(std::move(tenant_id)) {}

  // Calculated dates (pipeline_state.chargeback_calculated) with no `emitted` record for
  // (emitter, pipeline), on or after `since` ("" = no bound), oldest first. Failed dates are
  // included: they are retried.
  Result<std::vector<std::string>> pending_dates(const std::string& emitter_name,
                                                 const std::string& pipeline,
                                                 const std::string& since);
  // Calculated dates in [first, last] (inclusive), oldest first.
  Result<std::vector<std::string>> calculated_dates(const std::string& first,
                                                    const std::string& last);
  // Records the outcome of `date`: a new row starts at attempt 1, an existing one takes the
  // new status and one more attempt.
  Status record(const std::string& emitter_name, const std::string& pipeline,
                const std::string& date, const std::string& status);
  Result<std::optional<EmissionRecord>> find(const std::string& emitter_name,
                                             const std::string& pipeline, const std::string& date);
  // The newest `emitted` date of (emitter, pipeline); "" if none.
  Result<std::string> last_emitted(const std::string& emitter_name, const std::string& pipeline);

 private:
  Database& db_;
  std::string ecosystem_;
  std::string tenant_id_;
};

}  // namespace chitragupt::storage
