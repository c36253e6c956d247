// Cursor paging as the Confluent Cloud list APIs do it: `page_size` (clamped to the endpoint's
// maximum) and an opaque `page_token`, answered with `metadata.next`.
//
// A token names an offset into one listing; it carries a signature of the listing's scope (path
// and filters), so a token replayed against another listing is rejected instead of silently
// paging the wrong data.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace ccloud_sim {

struct PageLimits {
  size_t default_size;
  size_t max_size;
};

struct PageRequest {
  size_t offset = 0;
  size_t size = 0;
};

struct PageParse {
  std::optional<PageRequest> page;  // set on success
  std::string error;                // otherwise: what was wrong, for a 400
  std::string parameter;            // page_size | page_token
};

PageParse parse_page(const std::optional<std::string>& page_size,
                     const std::optional<std::string>& page_token, PageLimits limits,
                     const std::string& scope);

std::string make_page_token(size_t offset, const std::string& scope);

}  // namespace ccloud_sim
