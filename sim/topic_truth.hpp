// The "topics" member of GET /sim/v1/truth: per Kafka cluster and UTC day of the window, each
// topic's usage as the telemetry serves it — bytes in and out summed over the day's hours, and
// the retained-bytes gauge at its maximum — so tests can check a per-topic split against it.
//
//   "topics": [{"kafka_id": "lkc-…", "days": [{"date": "YYYY-MM-DD",
//       "topics": {"orders": {"bytes_in": n, "bytes_out": n, "retained_max": n}, …}}, …]}, …]
// Clusters in model order; days on which the cluster existed, in order.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/org_model.hpp"

namespace ccloud_sim {

nlohmann::json topic_truth_json(const OrgModel& model);

}  // namespace ccloud_sim
