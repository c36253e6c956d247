// TenantConfig::fingerprint: SHA-256 of the compact JSON of every field, secrets in plain text
// (only the digest ever leaves this function). nlohmann::json keeps object keys sorted, so the
// dump is canonical: equal configurations give equal text.

#include <openssl/evp.h>

#include "config/config_json.hpp"

namespace chitragupt::config {

std::string TenantConfig::fingerprint() const {
  nlohmann::json canonical = tenant_to_json(*this, SecretView::plain);
  canonical["name"] = name;
  // Strings from the environment need not be UTF-8; dump() would throw on them.
  const std::string text = canonical.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);

  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return {};  // only on an OpenSSL failure; an empty fingerprint never equals a real one
  }
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0f];
  }
  return hex;
}

}  // namespace chitragupt::config
