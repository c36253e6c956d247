#include "config/env_substitution.hpp"

#include <algorithm>
#include <optional>

namespace chitragupt::config {
namespace {

struct Reference {
  std::string name;
  std::optional<std::string> fallback;
  size_t end = 0;  // one past the closing '}'
};

// Matches the original regex at `start` (which holds "${"); std::nullopt when it does not match.
std::optional<Reference> match_reference(const std::string& text, size_t start) {
  size_t pos = start + 2;
  while (pos < text.size() && text[pos] != '}' && text[pos] != ':') ++pos;
  if (pos == start + 2 || pos >= text.size()) return std::nullopt;
  Reference ref;
  ref.name = text.substr(start + 2, pos - start - 2);
  if (text[pos] == '}') {
    ref.end = pos + 1;
    return ref;
  }
  // text[pos] == ':'; only ":-" starts a default, and '.' in the regex stops at a newline.
  if (pos + 1 >= text.size() || text[pos + 1] != '-') return std::nullopt;
  size_t close = pos + 2;
  while (close < text.size() && text[close] != '}' && text[close] != '\n') ++close;
  if (close >= text.size() || text[close] != '}') return std::nullopt;
  ref.fallback = text.substr(pos + 2, close - pos - 2);
  ref.end = close + 1;
  return ref;
}

}  // namespace

Substitution substitute_env(const std::string& text, const Environment& env) {
  Substitution out;
  size_t pos = 0;
  while (pos < text.size()) {
    if (text.compare(pos, 2, "${") == 0) {
      if (auto ref = match_reference(text, pos)) {
        if (auto value = env.get(ref->name)) {
          out.value += *value;
        } else if (ref->fallback) {
          out.value += *ref->fallback;
        } else if (std::find(out.missing.begin(), out.missing.end(), ref->name) ==
                   out.missing.end()) {
          out.missing.push_back(ref->name);
        }
        pos = ref->end;
        continue;
      }
    }
    out.value += text[pos++];
  }
  return out;
}

std::string missing_variable_message(const std::string& name) {
  return "Required environment variable '" + name +
         "' is not set. Set the variable or provide a default: ${" + name + ":-default}";
}

}  // namespace chitragupt::config
