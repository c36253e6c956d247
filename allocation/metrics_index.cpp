#include "allocation/metrics_index.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <map>
#include <numeric>
#include <unordered_map>

namespace chitragupt::allocation {

namespace {

// labels["principal_id"] or null. Rows carry a handful of labels: a walk comparing lengths
// first beats map::find's string comparisons, and finds the same entry (keys are unique).
const std::string* principal_label(const std::map<std::string, std::string>& labels) {
  constexpr std::string_view kPrincipal = "principal_id";
  if (labels.size() > 8) {
    auto it = labels.find(std::string(kPrincipal));
    return it == labels.end() ? nullptr : &it->second;
  }
  for (const auto& [key, value] : labels) {
    if (key.size() == kPrincipal.size() &&
        std::memcmp(key.data(), kPrincipal.data(), kPrincipal.size()) == 0) {
      return &value;
    }
  }
  return nullptr;
}

// The index is built from units -- rows (one value each) or series (their samples' values,
// nothing from a series without samples, as it has no rows) -- through these overloads.
bool has_rows(const MetricRow&) { return true; }
bool has_rows(const MetricSeries& series) { return !series.samples.empty(); }

template <typename F>
void each_value(const MetricRow& row, F&& f) {
  f(row.value);
}
template <typename F>
void each_value(const MetricSeries& series, F&& f) {
  for (const MetricSample& sample : series.samples) f(sample.value);
}

}  // namespace

MetricsIndex::MetricsIndex(const std::vector<MetricRow>& rows) { build(rows); }

MetricsIndex::MetricsIndex(const std::vector<MetricSeries>& series) { build(series); }

template <typename Unit>
void MetricsIndex::build(const std::vector<Unit>& rows) {
  constexpr std::uint32_t kNoPrincipal = UINT32_MAX;
  // Pass 1: every unit's principal and key as small numbers (in order of first appearance).
  // Rows come in series, so the previous row's principal is usually the next row's too.
  std::unordered_map<std::string_view, std::uint32_t> principal_ids;
  std::vector<std::string_view> seen_principals;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> row_ids(rows.size());
  std::string_view last_principal;
  std::uint32_t last_principal_id = kNoPrincipal;
  std::size_t last_key = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Unit& row = rows[i];
    std::uint32_t principal_id = kNoPrincipal;
    if (!has_rows(row)) {
      row_ids[i] = {kNoPrincipal, 0};
      continue;
    }
    const std::string* label = principal_label(row.labels);
    if (label != nullptr && !label->empty()) {
      const std::string_view principal = *label;
      if (last_principal_id != kNoPrincipal && principal == last_principal) {
        principal_id = last_principal_id;
      } else {
        auto [it, fresh] = principal_ids.try_emplace(
            principal, static_cast<std::uint32_t>(seen_principals.size()));
        if (fresh) seen_principals.push_back(principal);
        principal_id = it->second;
        last_principal = principal;
        last_principal_id = principal_id;
      }
    }
    if (last_key >= keys_.size() || keys_[last_key] != row.metric_key) {
      auto found = std::find(keys_.begin(), keys_.end(), row.metric_key);
      if (found == keys_.end()) found = keys_.insert(keys_.end(), row.metric_key);
      last_key = static_cast<std::size_t>(found - keys_.begin());
    }
    row_ids[i] = {principal_id, static_cast<std::uint32_t>(last_key)};
  }

  // Principals in ascending order; rank[id] is the position of the principal numbered id.
  std::vector<std::uint32_t> order(seen_principals.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&seen_principals](std::uint32_t a, std::uint32_t b) {
    return seen_principals[a] < seen_principals[b];
  });
  std::vector<std::uint32_t> rank(seen_principals.size());
  principals_.reserve(order.size());
  for (std::size_t r = 0; r < order.size(); ++r) {
    rank[order[r]] = static_cast<std::uint32_t>(r);
    principals_.emplace_back(seen_principals[order[r]]);
  }

  // Pass 2: the usable values bucketed per (principal, key), then each bucket sorted.
  const std::size_t key_count = keys_.size();
  auto usable = [](double v) { return v > 0 && std::isfinite(v); };
  runs_.assign(principals_.size() * key_count, {0, 0});
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (row_ids[i].first == kNoPrincipal) continue;
    auto& run = runs_[rank[row_ids[i].first] * key_count + row_ids[i].second];
    each_value(rows[i], [&run, &usable](double v) { run.second += usable(v) ? 1 : 0; });
  }
  std::uint32_t offset = 0;
  for (auto& run : runs_) {
    run.first = offset;
    offset += run.second;
    run.second = 0;
  }
  values_.resize(offset);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (row_ids[i].first == kNoPrincipal) continue;
    auto& run = runs_[rank[row_ids[i].first] * key_count + row_ids[i].second];
    each_value(rows[i], [this, &run, &usable](double v) {
      if (usable(v)) values_[run.first + run.second++] = v;
    });
  }
  for (const auto& run : runs_) {
    std::sort(values_.begin() + run.first, values_.begin() + run.first + run.second);
  }
}

MetricsIndex::MetricsIndex(const std::vector<const MetricsIndex*>& parts) {
  // Principals: the ascending union. Keys: every part's, in order of first appearance.
  for (const MetricsIndex* part : parts) {
    std::vector<std::string> merged;
    merged.reserve(principals_.size() + part->principals_.size());
    std::set_union(principals_.begin(), principals_.end(), part->principals_.begin(),
                   part->principals_.end(), std::back_inserter(merged));
    principals_.swap(merged);
    for (const std::string& key : part->keys_) {
      if (std::find(keys_.begin(), keys_.end(), key) == keys_.end()) keys_.push_back(key);
    }
  }
  // Where each part's principals sit in the union, and its keys among the union's keys.
  const std::size_t key_count = keys_.size();
  std::vector<std::vector<std::size_t>> position(parts.size());
  std::vector<std::vector<std::size_t>> key_of(parts.size());
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const auto& own = parts[p]->principals_;
    position[p].reserve(own.size());
    std::size_t u = 0;
    for (const std::string& principal : own) {
      while (principals_[u] != principal) ++u;
      position[p].push_back(u);
    }
    for (const std::string& key : parts[p]->keys_) {
      key_of[p].push_back(
          static_cast<std::size_t>(std::find(keys_.begin(), keys_.end(), key) - keys_.begin()));
    }
  }
  // Run sizes, offsets, then each run as the merge of the parts' (ascending) runs.
  runs_.assign(principals_.size() * key_count, {0, 0});
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const std::size_t own_keys = parts[p]->keys_.size();
    for (std::size_t i = 0; i < position[p].size(); ++i) {
      for (std::size_t k = 0; k < own_keys; ++k) {
        runs_[position[p][i] * key_count + key_of[p][k]].second +=
            parts[p]->runs_[i * own_keys + k].second;
      }
    }
  }
  std::uint32_t offset = 0;
  for (auto& run : runs_) {
    run.first = offset;
    offset += run.second;
    run.second = 0;
  }
  values_.resize(offset);
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const MetricsIndex& part = *parts[p];
    const std::size_t own_keys = part.keys_.size();
    for (std::size_t i = 0; i < position[p].size(); ++i) {
      for (std::size_t k = 0; k < own_keys; ++k) {
        const auto& from = part.runs_[i * own_keys + k];
        if (from.second == 0) continue;
        auto& to = runs_[position[p][i] * key_count + key_of[p][k]];
        double* first = values_.data() + to.first;
        const double* source = part.values_.data() + from.first;
        // Merge into place: what is there (ascending) with the part's run (ascending).
        std::copy(source, source + from.second, first + to.second);
        std::inplace_merge(first, first + to.second, first + to.second + from.second);
        to.second += from.second;
      }
    }
  }
}

std::optional<std::size_t> MetricsIndex::key(std::string_view metric_key) const {
  auto found = std::find(keys_.begin(), keys_.end(), metric_key);
  if (found == keys_.end()) return std::nullopt;
  return static_cast<std::size_t>(found - keys_.begin());
}

MetricsIndex::Values MetricsIndex::values(std::size_t principal, std::size_t key) const {
  const auto& run = runs_[principal * keys_.size() + key];
  const double* first = values_.data() + run.first;
  return Values{first, first + run.second};
}

}  // namespace chitragupt::allocation
