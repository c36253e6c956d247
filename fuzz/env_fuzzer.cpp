// Fuzz target: ${VAR} / ${VAR:-default} substitution and .env parsing. The first byte picks
// the parser, the rest is the text. Checked besides crashes: text without "${" is left as it
// is, and every variable reported missing is one the text names.

#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.hpp"
#include "config/env_substitution.hpp"
#include "fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chitragupt::config;
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    static const Environment env =
        Environment::from_map({{"A", "x"}, {"EMPTY", ""}, {"NESTED", "${A}"}});
    Substitution s = substitute_env(text, env);
    if (text.find("${") == std::string::npos) {
      FUZZ_CHECK(s.value == text && s.missing.empty(), "text without ${ was changed");
    }
    for (const auto& name : s.missing) {
      FUZZ_CHECK(text.find("${" + name) != std::string::npos, "a missing variable not in the text");
    }
  } else {
    auto vars = parse_dotenv(text, "fuzz.env");
    if (!vars) {
      FUZZ_CHECK(vars.error().find("fuzz.env") != std::string::npos, "error without the file");
    }
  }
  return 0;
}
