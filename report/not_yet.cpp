// Routes not implemented yet: 501 until their handler lands.

#include "report/handlers.hpp"

namespace chitragupt::report {
namespace {
Response not_yet(Call&) { return error_response(501, "not_implemented", "route not implemented yet"); }
}  // namespace

Response status_route(Call& c) { return not_yet(c); }
Response billing_route(Call& c) { return not_yet(c); }
Response chargebacks_route(Call& c) { return not_yet(c); }
Response aggregate_route(Call& c) { return not_yet(c); }
Response dates_route(Call& c) { return not_yet(c); }
Response allocation_issues_route(Call& c) { return not_yet(c); }
Response dimension_route(Call& c) { return not_yet(c); }
Response resources_route(Call& c) { return not_yet(c); }
Response identities_route(Call& c) { return not_yet(c); }
Response inventory_summary_route(Call& c) { return not_yet(c); }
Response entity_tags_route(Call& c) { return not_yet(c); }
Response create_tag_route(Call& c) { return not_yet(c); }
Response update_tag_route(Call& c) { return not_yet(c); }
Response delete_tag_route(Call& c) { return not_yet(c); }
Response tags_route(Call& c) { return not_yet(c); }
Response tag_keys_route(Call& c) { return not_yet(c); }
Response tag_values_route(Call& c) { return not_yet(c); }
Response bulk_tags_route(Call& c) { return not_yet(c); }
Response bulk_by_filter_route(Call& c) { return not_yet(c); }
Response pipeline_status_route(Call& c) { return not_yet(c); }
Response export_route(Call& c) { return not_yet(c); }

}  // namespace chitragupt::report
