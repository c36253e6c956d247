#include "http/compression.hpp"

#include <string>

#include <httplib.h>

namespace chitragupt::http {

namespace {

std::string trim(const std::string& text) {
  auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// "gzip, br;q=1.0, deflate" -> "gzip, deflate"
std::string without_brotli(const std::string& value) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= value.size()) {
    auto comma = value.find(',', pos);
    if (comma == std::string::npos) comma = value.size();
    std::string item = trim(value.substr(pos, comma - pos));
    std::string coding = trim(item.substr(0, item.find(';')));
    bool brotli = coding.size() == 2 && (coding[0] == 'b' || coding[0] == 'B') &&
                  (coding[1] == 'r' || coding[1] == 'R');
    if (!item.empty() && !brotli) out += (out.empty() ? "" : ", ") + item;
    pos = comma + 1;
  }
  return out;
}

}  // namespace

void offer_gzip_only(const httplib::Request& request) {
  auto& headers = const_cast<httplib::Request&>(request).headers;
  auto range = headers.equal_range("Accept-Encoding");
  for (auto it = range.first; it != range.second; ++it) it->second = without_brotli(it->second);
}

}  // namespace chitragupt::http
