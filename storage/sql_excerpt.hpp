#pragma once
// The start of a statement, for error messages: compiled-in SQL, never parameter values.
// Shared by the SQLite and PostgreSQL implementations.

#include <string>
#include <string_view>

namespace chitragupt::storage {

inline std::string sql_excerpt(std::string_view sql) {
  std::string out;
  bool space = false;
  for (char c : sql) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
    if (out.size() >= 60) {
      out += "...";
      break;
    }
  }
  return "\"" + out + "\"";
}

}  // namespace chitragupt::storage
