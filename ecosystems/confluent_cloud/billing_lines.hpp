#pragma once
// Billing cost rows -> billing lines (reference cost model §2, "Billing ingest").
//
// Row -> line: timestamp = start_date 00:00Z, env_id = resource.environment.id or "",
// resource_id = resource.id or "unresolved_billing_<idx>", product_category = product,
// product_type = line_type, quantity = quantity, unit_price = price, total_cost = amount, with
// the numbers as exact decimal text (absent/null -> "0"). metadata: resource_name,
// original_amount. A row that cannot be read (not an object, non-object resource/environment,
// bad start_date, missing line_type, a non-numeric amount) becomes a sentinel line
// "malformed_billing_<idx>" with metadata {"malformed":true,"parse_error":...,"raw":row}, so
// the money it carries is visible rather than silently dropped.
// Rows of one window that share the natural key (timestamp, env_id, resource_id, product_type,
// product_category) are pricing tiers and merge into one line: quantity and total_cost summed
// exactly, unit_price "0", metadata.tiers = [{price, quantity, cost}] in row order.

#include <utility>
#include <vector>

#include "ecosystems/confluent_cloud/types.hpp"
#include "sources/civil_date.hpp"

namespace chitragupt::ccloud {

// [start, end) cut into consecutive windows of at most days_per_query days (< 1 is taken as 1).
std::vector<std::pair<CivilDate, CivilDate>> billing_windows(CivilDate start, CivilDate end,
                                                             int days_per_query);

// The lines of one query window, in first-seen order.
std::vector<BillingLine> billing_lines(const BillingWindow& window);

}  // namespace chitragupt::ccloud
