#pragma once
// Which configuration values are secrets, and how they are shown: as kMask, or as "" when
// empty (so an unset token is visibly unset). Fixed secrets are storage.connection_string and
// api.auth_token; inside plugin_settings a secret is recognised by its key name.

#include <string>

#include <nlohmann/json.hpp>

namespace chitragupt::config {

// secret, password, bearer_token, token, sasl_password, api_secret, or *_secret, *_password,
// *_token; case-insensitive.
bool is_secret_key(const std::string& key);

// kMask, or "" for an empty secret.
std::string masked(const std::string& secret);

// A copy of `tree` with the value of every secret key masked (null and "" stay as they are).
nlohmann::json mask_secrets(const nlohmann::json& tree);

}  // namespace chitragupt::config
