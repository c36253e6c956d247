#pragma once
// The route handlers behind report::handle(), one per route (internal to report/).

#include "report/report.hpp"

namespace chitragupt::report {

// One request being answered.
struct Call {
  storage::Database& db;
  const TenantContext& tenant;
  const Request& request;
};

using Handler = Response (*)(Call&);

Response status_route(Call& call);
Response billing_route(Call& call);
Response chargebacks_route(Call& call);
Response aggregate_route(Call& call);
Response dates_route(Call& call);
Response allocation_issues_route(Call& call);
Response dimension_route(Call& call);
Response resources_route(Call& call);
Response identities_route(Call& call);
Response inventory_summary_route(Call& call);
Response entity_tags_route(Call& call);
Response create_tag_route(Call& call);
Response update_tag_route(Call& call);
Response delete_tag_route(Call& call);
Response tags_route(Call& call);
Response tag_keys_route(Call& call);
Response tag_values_route(Call& call);
Response bulk_tags_route(Call& call);
Response bulk_by_filter_route(Call& call);
Response pipeline_status_route(Call& call);
Response export_route(Call& call);
// Topic attribution (topic_attribution_routes.cpp) and the cost-explorer graph (graph_routes.cpp).
Response topic_attributions_route(Call& call);
Response topic_aggregate_route(Call& call);
Response topic_dates_route(Call& call);
Response topic_export_route(Call& call);
Response graph_route(Call& call);
Response graph_search_route(Call& call);
Response graph_diff_route(Call& call);
Response graph_timeline_route(Call& call);

}  // namespace chitragupt::report
