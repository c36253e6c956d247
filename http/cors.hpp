#pragma once
// CORS for a UI or tool served from another origin (api.enable_cors, api.cors_origins). The
// bundled UI is same-origin and needs none of this.
//
// With enable_cors on, a request whose Origin is in cors_origins ("*" allows any origin) gets
// Access-Control-Allow-Origin (the origin itself, with Vary: Origin) on whatever route answers
// it, and a preflight (OPTIONS with Access-Control-Request-Method) is answered 204 before the
// route or the bearer-token check runs (browsers send preflights without credentials). A
// preflight from an origin not allowed gets 403. With enable_cors off nothing is added and
// OPTIONS is an unknown route like any other method without a handler.

#include <string>
#include <vector>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace chitragupt::http {

class Cors {
 public:
  Cors(bool enabled, std::vector<std::string> origins);

  // Adds the CORS headers for the request's Origin to `res`. Returns true when the request was
  // a preflight and `res` is its complete answer.
  bool apply(const httplib::Request& req, httplib::Response& res) const;

  bool allows(const std::string& origin) const;

 private:
  bool enabled_;
  std::vector<std::string> origins_;
};

}  // namespace chitragupt::http
