#pragma once
// A request without Content-Length or Transfer-Encoding has no body (RFC 9112 §6.3). cpp-httplib
// 0.11 instead reads such a POST/PUT/PATCH/DELETE "until the connection closes": a client that
// keeps the connection open (`curl -X POST http://.../pipeline/run`) waits for the read timeout
// and then gets a 400 with an empty body, before any handler runs. Called from the pre-routing
// handler, this marks such a request as having an empty body, so it reaches its route, which
// decides whether a body was required (and answers with the JSON error body if so).

#include <httplib.h>

namespace chitragupt::http {

inline void frame_bodiless_request(const httplib::Request& req) {
  if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding")) return;
  // The server owns the Request and hands it to the pre-routing handler as const only by
  // signature; the object itself is not const.
  const_cast<httplib::Request&>(req).headers.emplace("Content-Length", "0");
}

}  // namespace chitragupt::http
