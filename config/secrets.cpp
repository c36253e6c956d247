#include "config/secrets.hpp"

#include <cctype>

#include "config/config.hpp"

namespace chitragupt::config {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool is_secret_key(const std::string& key) {
  std::string name;
  for (char c : key) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* exact :
       {"secret", "password", "bearer_token", "token", "sasl_password", "api_secret"}) {
    if (name == exact) return true;
  }
  return ends_with(name, "_secret") || ends_with(name, "_password") || ends_with(name, "_token");
}

std::string masked(const std::string& secret) { return secret.empty() ? "" : kMask; }

nlohmann::json mask_secrets(const nlohmann::json& tree) {
  if (tree.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : tree) out.push_back(mask_secrets(item));
    return out;
  }
  if (!tree.is_object()) return tree;
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : tree.items()) {
    bool shown_as_is =
        value.is_null() || (value.is_string() && value.get_ref<const std::string&>().empty());
    if (is_secret_key(key) && !shown_as_is) {
      out[key] = kMask;  // whatever it holds, even a nested object, is the secret
    } else {
      out[key] = mask_secrets(value);
    }
  }
  return out;
}

}  // namespace chitragupt::config
