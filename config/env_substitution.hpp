#pragma once
// ${VAR} and ${VAR:-default} substitution in configuration strings, with the original tool's
// semantics (regex \$\{([^}:]+)(?::-(.*?))?\}): no escape syntax, a default ends at the first
// '}' on the same line, a variable that is set but empty stays empty, and the substituted text
// is not scanned again.

#include <string>
#include <vector>

#include "config/config.hpp"

namespace chitragupt::config {

struct Substitution {
  std::string value;                 // the text with every resolvable reference replaced
  std::vector<std::string> missing;  // unset variables without a default, unique, in order
};

Substitution substitute_env(const std::string& text, const Environment& env);

// The error for an unset variable without a default (names the variable, never a value).
std::string missing_variable_message(const std::string& name);

}  // namespace chitragupt::config
