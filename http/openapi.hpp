#pragma once
// The OpenAPI 3 document of the HTTP API served at GET /openapi.json: docs/openapi.json, written
// by hand and compiled into the binary (cmake/embed_text.cmake). http/openapi_test.cpp keeps it
// in step with report::routes() and the server's own routes, in both directions.

namespace chitragupt::http {

// The document's text, exactly as in docs/openapi.json.
const char* openapi_document();

}  // namespace chitragupt::http
