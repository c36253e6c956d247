#include <cstdlib>

#include "config/config.hpp"

namespace chitragupt::config {

Environment Environment::from_process(std::map<std::string, std::string> dotenv) {
  Environment env;
  env.use_process_ = true;
  env.vars_ = std::move(dotenv);
  return env;
}

Environment Environment::from_map(std::map<std::string, std::string> vars) {
  Environment env;
  env.vars_ = std::move(vars);
  return env;
}

std::optional<std::string> Environment::get(const std::string& name) const {
  // The real environment wins over .env, like python-dotenv's override=False.
  if (use_process_) {
    if (const char* value = std::getenv(name.c_str())) return std::string(value);
  }
  auto it = vars_.find(name);
  if (it == vars_.end()) return std::nullopt;
  return it->second;
}

}  // namespace chitragupt::config
