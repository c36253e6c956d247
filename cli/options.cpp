#include "cli/options.hpp"

namespace chitragupt::cli {

std::optional<std::string> read_value_option(const std::vector<std::string>& words, std::size_t& i,
                                             const ValueOptions& options) {
  const std::string& w = words[i];
  std::string flag = w;
  std::optional<std::string> value;
  if (auto eq = w.find('='); eq != std::string::npos) {
    flag = w.substr(0, eq);
    value = w.substr(eq + 1);
  }
  std::optional<std::string>* slot = nullptr;
  for (const auto& [name, target] : options) {
    if (flag == name) slot = target;
  }
  if (slot == nullptr) return "unknown option " + flag;
  if (!value) {
    if (i + 1 >= words.size()) return flag + " needs a value";
    value = words[++i];
  }
  if (*slot) return flag + " given twice";
  *slot = *value;
  return std::nullopt;
}

}  // namespace chitragupt::cli
