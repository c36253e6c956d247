#pragma once
// The report API's answers, computed from one tenant's database (no actors, no HTTP).
//
// The HTTP front end turns a request into a report::Request and sends it, by message, through
// the supervisor to the tenant actor that owns the database; the tenant actor calls
// report::handle() with its own connection and sends the Response back. So every route can be
// tested here against a real SQLite file and a real PostgreSQL database without a runtime, and
// both engines must give byte-identical bodies for the same data.
//
// Promises:
// - Bodies are JSON (decimals as strings, timestamps ISO-8601) except CSV exports.
// - Errors are {"error":{"code","message"}} with the right status: 400 bad parameter (named),
//   404 unknown id, 409 conflict, 422 unprocessable body. Messages never echo unescaped input
//   and never contain SQL, connection strings or stack traces.
// - handle() never throws.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/database.hpp"

namespace chitragupt::report {

// Route ids: the path pattern under /api/v1 with the tenant as {tenant}. The HTTP layer and
// the OpenAPI document use the same ids (see routes()).
struct Request {
  std::string method;  // GET | POST | PUT | DELETE
  std::string route;   // e.g. "/tenants/{tenant}/chargebacks/aggregate"
  // Path parameters other than the tenant, by name: dimension_id, entity_type, entity_id,
  // tag_key.
  std::vector<std::pair<std::string, std::string>> path_params;
  // Query parameters in order; a key may repeat (group_by=a&group_by=b).
  std::vector<std::pair<std::string, std::string>> query;
  std::string body;  // request body (JSON for POST/PUT)
  // For CSV exports streamed in chunks: "" for the first chunk, then Response::next_cursor.
  std::string cursor;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Set on a chunk of a streamed export when more follows; the HTTP layer asks again with
  // Request::cursor = next_cursor and appends the next body.
  std::optional<std::string> next_cursor;
};

// What the tenant actor knows besides its database.
struct TenantContext {
  std::string tenant_name;
  std::string tenant_id;
  std::string ecosystem;
  int lookback_days = 200;
  int cutoff_days = 5;
  bool pipeline_running = false;  // a run of this tenant is in progress right now
  // Rows per chunk of a CSV export (POST /export); tests lower it to see several chunks.
  int export_chunk_rows = 10000;
  // topic_attribution_status / _error of the status route (topics::attribution_status()).
  std::string topic_attribution_status = "disabled";
  std::string topic_attribution_error;
};

struct Route {
  std::string method;
  std::string route;  // as in Request::route
  std::string summary;
};

// Every route handle() answers, in a stable order (the OpenAPI document is checked against it).
const std::vector<Route>& routes();

// Answers one request. Unknown route/method → 404 {"error":{"code":"not_found",...}}.
Response handle(storage::Database& db, const TenantContext& tenant, const Request& request);

// {"error":{"code":code,"message":message}} with the given status.
Response error_response(int status, const std::string& code, const std::string& message);

}  // namespace chitragupt::report
