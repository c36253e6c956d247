#include "sim/paging.hpp"

#include <cstdio>
#include <cstdlib>

#include "sim/random.hpp"

namespace ccloud_sim {

namespace {

uint64_t scope_mask(const std::string& scope) { return hash_of(0, "page-mask", hash_text(scope)); }

uint64_t signature(size_t offset, const std::string& scope) {
  return hash_of(0, "page-signature", hash_text(scope), offset) >> 40;  // 24 bits
}

}  // namespace

std::string make_page_token(size_t offset, const std::string& scope) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%08llx%06llx",
                static_cast<unsigned long long>((offset ^ scope_mask(scope)) & 0xFFFFFFFFULL),
                static_cast<unsigned long long>(signature(offset, scope)));
  return buf;
}

PageParse parse_page(const std::optional<std::string>& page_size,
                     const std::optional<std::string>& page_token, PageLimits limits,
                     const std::string& scope) {
  PageParse result;
  PageRequest page;
  page.size = limits.default_size;
  if (page_size) {
    char* end = nullptr;
    const long long size = std::strtoll(page_size->c_str(), &end, 10);
    if (page_size->empty() || *end != '\0' || size < 1) {
      result.error = "page_size must be a positive integer";
      result.parameter = "page_size";
      return result;
    }
    page.size =
        static_cast<size_t>(size) > limits.max_size ? limits.max_size : static_cast<size_t>(size);
  }
  if (page_token && !page_token->empty()) {
    const std::string& token = *page_token;
    bool ok =
        token.size() == 14 && token.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (ok) {
      const uint64_t masked = std::strtoull(token.substr(0, 8).c_str(), nullptr, 16);
      const uint64_t sig = std::strtoull(token.substr(8).c_str(), nullptr, 16);
      page.offset = static_cast<size_t>((masked ^ scope_mask(scope)) & 0xFFFFFFFFULL);
      ok = sig == signature(page.offset, scope);
    }
    if (!ok) {
      result.error = "invalid page_token";
      result.parameter = "page_token";
      return result;
    }
  }
  result.page = page;
  return result;
}

}  // namespace ccloud_sim
