#pragma once
// The topic-attribution emitters (reference "topic attribution" §10): after a successful run,
// each spec of topic_attribution.emitters writes the attributed dates it has not written yet
// (emission_records, pipeline "topic_attribution"), oldest first — a CSV file per date, or the
// chitragupta_topic_attribution_amount gauge (the last date emitted stays exposed).
// Failures are recorded `failed` and retried next run; they never fail the run.

#include <string>
#include <vector>

#include "storage/database.hpp"
#include "topics/settings.hpp"

namespace chitragupt::topics {

struct TopicEmitTarget {
  storage::Database& db;
  std::string ecosystem;
  std::string tenant_id;
  std::string tenant_name;
};

struct TopicEmitReport {
  int dates_emitted = 0;
  std::vector<std::string> warnings;
};

// `today`: the UTC date ("YYYY-MM-DD") lookback_days count back from.
TopicEmitReport emit_topic_attribution(const TopicEmitTarget& target, const TopicSettings& settings,
                                       const std::string& today);

// The CSV of the rows of `date` (UTC day): the export's ten columns, CRLF line endings.
Result<std::string> topic_attribution_csv(storage::Database& db, const std::string& ecosystem,
                                          const std::string& tenant_id, const std::string& date);

}  // namespace chitragupt::topics
