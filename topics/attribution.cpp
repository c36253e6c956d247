#include "topics/attribution.hpp"

#include <fnmatch.h>

#include <algorithm>

#include "allocation/split.hpp"

namespace chitragupt::topics {
namespace {

using allocation::Money;

const char* method_of(Model m) {
  switch (m) {
    case Model::retained_bytes:
      return "retained_bytes_ratio";
    case Model::even_split:
      return "even_split";
    case Model::disabled:
      return kDisabled;
    default:
      return "bytes_ratio";
  }
}

std::vector<std::string> keys_of(Model m) {
  switch (m) {
    case Model::bytes_in:
      return {kBytesIn};
    case Model::bytes_out:
      return {kBytesOut};
    case Model::bytes_in_out:
      return {kBytesIn, kBytesOut};
    case Model::retained_bytes:
      return {kRetainedBytes};
    default:
      return {};
  }
}

std::vector<TopicRow> even_rows(const Money& total, const std::vector<std::string>& topics) {
  std::vector<TopicRow> rows;
  auto shares = allocation::split_evenly(total, topics.size());
  for (std::size_t i = 0; i < topics.size(); ++i)
    rows.push_back({topics[i], "even_split", shares[i]});
  return rows;
}

}  // namespace

std::map<std::string, Model> model_table(const TopicSettings& settings) {
  std::map<std::string, Model> table = {
      {"KAFKA_NETWORK_WRITE", Model::bytes_in}, {"KAFKA_NETWORK_READ", Model::bytes_out},
      {"KAFKA_STORAGE", Model::retained_bytes}, {"KAFKA_NUM_CKU", Model::bytes_in_out},
      {"KAFKA_NUM_CKUS", Model::bytes_in_out},  {"KAFKA_PARTITION", Model::even_split},
      {"KAFKA_BASE", Model::even_split}};
  const std::map<std::string, Model> defaults = table;
  for (const auto& [type, method] : settings.cost_mapping_overrides) {
    if (method == "disabled") {
      table[type] = Model::disabled;
    } else if (method == "even_split") {
      table[type] = Model::even_split;
    } else if (method == "retained_bytes_ratio") {
      table[type] = Model::retained_bytes;
    } else {
      // bytes_ratio: the type's own bytes model; a type without one (KAFKA_BASE, a type the
      // defaults do not attribute) is split by bytes in + out. The original made this a no-op
      // for BASE/PARTITION and a warning for other types (docs/differences.md).
      auto d = defaults.find(type);
      const bool has_bytes_model =
          d != defaults.end() && (d->second == Model::bytes_in || d->second == Model::bytes_out ||
                                  d->second == Model::bytes_in_out);
      table[type] = has_bytes_model ? d->second : Model::bytes_in_out;
    }
  }
  return table;
}

bool excluded_topic(const std::string& topic, const std::vector<std::string>& patterns) {
  for (const auto& p : patterns) {
    if (fnmatch(p.c_str(), topic.c_str(), FNM_NOESCAPE) == 0) return true;
  }
  return false;
}

std::vector<TopicRow> attribute_line(const TopicLine& line, Model model,
                                     const std::vector<std::string>& topics,
                                     const TopicUsage& usage,
                                     const std::string& missing_metrics_behavior) {
  if (model == Model::disabled) return {{kUnattributed, kDisabled, line.amount}};
  if (topics.empty()) return {{kUnattributed, kNoTopics, line.amount}};
  if (model == Model::even_split) return even_rows(line.amount, topics);

  allocation::UsageMap shares_in;
  double total = 0;
  for (const auto& topic : topics) {
    double value = 0;
    for (const auto& key : keys_of(model)) {
      auto m = usage.find(key);
      if (m == usage.end()) continue;
      auto v = m->second.find(topic);
      if (v != m->second.end()) value += v->second;
    }
    // A negative delta (a counter reset) is no usage; the original let it make negative shares.
    if (!(value > 0)) value = 0;
    shares_in[topic] = value;
    total += value;
  }
  if (total > 0) {
    auto split = allocation::split_by_usage_ratio(line.amount, shares_in);
    if (split) {
      std::vector<TopicRow> rows;
      rows.reserve(split->size());
      for (const auto& s : *split) rows.push_back({s.identity_id, method_of(model), s.amount});
      return rows;
    }
  }
  if (missing_metrics_behavior == "skip") return {{kUnattributed, kSkippedNoMetrics, line.amount}};
  return even_rows(line.amount, topics);
}

TopicRow failed_row(const TopicLine& line) {
  return {kUnattributed, kAttributionFailed, line.amount};
}

}  // namespace chitragupt::topics
