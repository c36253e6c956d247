#pragma once
// The message for an unknown configuration key: the closest valid key when it is plausibly a
// typo ("unknown key (did you mean connection_string?)"), otherwise the list of valid keys.

#include <string>
#include <vector>

namespace chitragupt {

std::string unknown_key_message(const std::string& key, const std::vector<std::string>& valid_keys);

// Edits (insert, delete, substitute, swap adjacent) between two keys, case-insensitive.
size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace chitragupt
