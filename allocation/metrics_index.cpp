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
void MetricsIndex::build(const std::vector<Unit>& units) {
  // Stretches of consecutive units with one principal and key (rows come in series; a series
  // is one such unit already), each with its key's number in order of first appearance. Every
  // unit with rows names its key, principal or not.
  struct Stretch {
    std::string_view principal;
    std::uint32_t key;
    std::uint32_t first, last;  // units [first, last)
  };
  std::vector<Stretch> stretches;
  std::size_t last_key = 0;
  for (std::size_t i = 0; i < units.size(); ++i) {
    const Unit& unit = units[i];
    if (!has_rows(unit)) continue;
    if (last_key >= keys_.size() || keys_[last_key] != unit.metric_key) {
      auto found = std::find(keys_.begin(), keys_.end(), unit.metric_key);
      if (found == keys_.end()) found = keys_.insert(keys_.end(), unit.metric_key);
      last_key = static_cast<std::size_t>(found - keys_.begin());
    }
    const std::string* label = principal_label(unit.labels);
    if (label == nullptr || label->empty()) continue;
    const auto key = static_cast<std::uint32_t>(last_key);
    const auto at = static_cast<std::uint32_t>(i);
    if (!stretches.empty() && stretches.back().last == at && stretches.back().key == key &&
        stretches.back().principal == *label) {
      stretches.back().last = at + 1;
    } else {
      stretches.push_back({*label, key, at, at + 1});
    }
  }
  // Sorted by principal then key (then position), each (principal, key) group's stretches are
  // adjacent: the principals come out ascending and each run is filled in one go, its values
  // in the units' order.
  std::sort(stretches.begin(), stretches.end(), [](const Stretch& a, const Stretch& b) {
    const int c = a.principal.compare(b.principal);
    return c != 0 ? c < 0 : (a.key != b.key ? a.key < b.key : a.first < b.first);
  });
  const std::size_t key_count = keys_.size();
  std::size_t distinct = 0;
  for (std::size_t s = 0; s < stretches.size(); ++s) {
    distinct += s == 0 || stretches[s].principal != stretches[s - 1].principal;
  }
  principals_.reserve(distinct);
  runs_.assign(distinct * key_count, {0, 0});
  std::size_t samples = 0;
  for (const Stretch& s : stretches) {
    for (std::uint32_t i = s.first; i < s.last; ++i)
      each_value(units[i], [&](double) { ++samples; });
  }
  values_.reserve(samples);
  for (std::size_t s = 0; s < stretches.size();) {
    if (principals_.empty() || principals_.back() != stretches[s].principal) {
      principals_.emplace_back(stretches[s].principal);
    }
    const std::uint32_t key = stretches[s].key;
    const auto offset = static_cast<std::uint32_t>(values_.size());
    std::size_t end = s;
    for (; end < stretches.size() && stretches[end].key == key &&
           stretches[end].principal == stretches[s].principal;
         ++end) {
      for (std::uint32_t i = stretches[end].first; i < stretches[end].last; ++i) {
        each_value(units[i], [this](double v) {
          if (v > 0 && std::isfinite(v)) values_.push_back(v);
        });
      }
    }
    runs_[(principals_.size() - 1) * key_count + key] = {
        offset, static_cast<std::uint32_t>(values_.size()) - offset};
    s = end;
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
  // Run sizes, offsets, then each run as the parts' runs one after the other.
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
        // After what the earlier parts put there.
        std::copy(source, source + from.second, first + to.second);
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
