#include "common/key_suggestion.hpp"

#include <algorithm>
#include <cctype>

namespace chitragupt {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A typo is a couple of edits, or a few more in a long key; a key written as a fragment
// ("lookback" for "lookback_days") is also worth suggesting.
bool plausible_typo(const std::string& key, const std::string& valid, size_t distance) {
  size_t longest = std::max(key.size(), valid.size());
  size_t allowed = longest <= 4 ? 1 : longest <= 8 ? 2 : std::max<size_t>(2, longest / 4);
  if (distance <= allowed) return true;
  return key.size() >= 4 && lower(valid).find(lower(key)) != std::string::npos;
}

}  // namespace

size_t edit_distance(const std::string& a_in, const std::string& b_in) {
  const std::string a = lower(a_in);
  const std::string b = lower(b_in);
  // Optimal string alignment: Levenshtein plus swaps of adjacent characters ("prot" -> "port").
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string unknown_key_message(const std::string& key,
                                const std::vector<std::string>& valid_keys) {
  const std::string* best = nullptr;
  size_t best_distance = 0;
  for (const auto& valid : valid_keys) {
    size_t distance = edit_distance(key, valid);
    if (!plausible_typo(key, valid, distance)) continue;
    if (best == nullptr || distance < best_distance) {
      best = &valid;
      best_distance = distance;
    }
  }
  if (best != nullptr) return "unknown key (did you mean " + *best + "?)";
  std::vector<std::string> sorted = valid_keys;
  std::sort(sorted.begin(), sorted.end());
  std::string list;
  for (const auto& valid : sorted) list += (list.empty() ? "" : ", ") + valid;
  return "unknown key (valid keys: " + list + ")";
}

}  // namespace chitragupt
