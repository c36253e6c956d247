// Fuzz target: the YAML config loader and validator (config::parse_config), ${VAR}
// substitution included. Checked: no crash, hang or sanitizer report on any text, and a result
// is either a Config (which masks and fingerprints) or a non-empty list of errors.

#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.hpp"
#include "fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chitragupt::config;
  const std::string text(reinterpret_cast<const char*>(data), size);
  static const Environment env = Environment::from_map({{"DB_URL", "sqlite:///data/x.db"},
                                                        {"API_SECRET", "secret"},
                                                        {"EMPTY", ""},
                                                        {"PORT", "8080"}});
  LoadResult result = parse_config(text, env, "fuzz.yaml");
  FUZZ_CHECK(result.ok() == result.errors.empty(), "ok() iff no errors");
  if (!result.ok()) {
    FUZZ_CHECK(!result.error_text().empty(), "errors without text");
    return 0;
  }
  FUZZ_CHECK(to_masked_json(*result.config).is_object(), "masked config is not an object");
  for (const auto& tenant : result.config->tenants) {
    FUZZ_CHECK(!tenant.fingerprint().empty(), "a tenant without a fingerprint");
  }
  return 0;
}
