// GET /sim/v1/truth: what the generated organisation adds up to, for tests to compare against.
//
// Shape (amounts are exact decimal strings; "amount_raw" has 6 decimals, "amount_quantized" 4):
//
//   {
//     "seed": 42, "preset": "small", "organization_id": "<uuid>",
//     "window": {"start_date": "YYYY-MM-DD", "end_date": "YYYY-MM-DD" (exclusive), "days": 30},
//     "billing": {
//       "rows": <billing rows in the window>,
//       "lines": <merged lines: rows sharing (day, env, resource, product, line_type) count once>,
//       "amount_raw": "<Σ row amounts>",
//       "amount_quantized": "<Σ over lines of ROUND_HALF_UP(Σ the line's rows, 4 dp)>",
//       "days": [{"date": "YYYY-MM-DD", "rows": n, "lines": n,
//                 "amount_raw": "…", "amount_quantized": "…"}, …],   // days with rows, in order
//       "line_types": {"KAFKA_NUM_CKU": {"rows": n, "amount_raw": "…"}, …}
//     },
//     "objects": {            // what the list endpoints return now (deleted objects excluded)
//       "environments": n, "kafka_clusters": n, "connectors": n, "schema_registries": n,
//       "ksqldb_clusters": n, "flink_compute_pools": n, "flink_statements": n,
//       "service_accounts": n, "users": n, "api_keys": n, "identity_providers": n,
//       "identity_pools": n
//     },
//     "deleted_during_window": { same keys: objects deleted inside the window, so not listed },
//     "topics": [ per cluster and day, each topic's usage (sim/topic_truth.hpp) ]
//   }
#pragma once

#include <nlohmann/json.hpp>

#include "sim/billing.hpp"
#include "sim/org_model.hpp"

namespace ccloud_sim {

nlohmann::json truth_json(const OrgModel& model, const BillingLedger& ledger);

}  // namespace ccloud_sim
