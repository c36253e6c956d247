#pragma once
// Which compression our responses get.
//
// cpp-httplib 0.11 compresses every text, JSON and JavaScript response by itself and prefers
// brotli whenever the client offers it (every browser does) — at brotli's highest, slowest
// quality: a 400 kB report took about 2.8 s to compress. Gzip at zlib's default level takes
// milliseconds for the same body and shrinks JSON nearly as well, so before routing a request
// is made to offer gzip (and identity) only.

namespace httplib {
struct Request;
}

namespace chitragupt::http {

// Removes brotli ("br", with any parameters) from the request's Accept-Encoding headers.
// httplib hands handlers the request as const, but it is httplib's own non-const object for
// the whole exchange, and the response's encoding is chosen from it after the handler ran.
void offer_gzip_only(const httplib::Request& request);

}  // namespace chitragupt::http
