#include "topics/settings.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "common/key_suggestion.hpp"

namespace chitragupt::topics {
namespace {

using nlohmann::json;

const std::vector<std::string> kKeys = {"enabled",
                                        "retention_days",
                                        "missing_metrics_behavior",
                                        "exclude_topic_patterns",
                                        "cost_mapping_overrides",
                                        "metric_name_overrides",
                                        "emitters"};
const std::vector<std::string> kEmitterKeys = {"type", "name", "aggregation", "params",
                                               "lookback_days"};
const std::vector<std::string> kCsvParams = {"output_dir", "filename_template"};
const std::vector<std::string> kPrometheusParams = {"port", "host"};
const std::vector<std::string> kMethods = {"bytes_ratio", "retained_bytes_ratio", "even_split",
                                           "disabled"};
const std::vector<std::string> kMetricKeys = {kBytesIn, kBytesOut, kRetainedBytes};

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string type_name(const json& v) {
  if (v.is_object()) return "a mapping";
  if (v.is_array()) return "a list";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  return "null";
}
std::string one_of(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

class Reader {
 public:
  explicit Reader(std::vector<TopicSettingsError>& errors) : errors_(errors) {}
  void error(const std::string& path, const std::string& message) {
    errors_.push_back({path, message});
  }
  void check_keys(const json& object, const std::string& path,
                  const std::vector<std::string>& valid) {
    for (const auto& item : object.items()) {
      if (std::find(valid.begin(), valid.end(), item.key()) == valid.end())
        error(path + "." + item.key(), unknown_key_message(item.key(), valid));
    }
  }
  // An integer in [min, max]; absent or null leaves `out`.
  void integer(const json& parent, const std::string& key, const std::string& path, int& out,
               int min, int max) {
    auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) return;
    if (!it->is_number_integer()) {
      error(path, "expected an integer, got " + type_name(*it));
      return;
    }
    const auto v = it->get<std::int64_t>();
    if (v < min || v > max) {
      error(path, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                      ", got " + std::to_string(v));
      return;
    }
    out = static_cast<int>(v);
  }
  // A string mapping: each value a string.
  const json* mapping(const json& parent, const std::string& key, const std::string& path) {
    auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) return nullptr;
    if (!it->is_object()) {
      error(path, "expected a mapping, got " + type_name(*it));
      return nullptr;
    }
    return &*it;
  }

 private:
  std::vector<TopicSettingsError>& errors_;
};

void read_emitters(Reader& r, const json& list, TopicSettings& s) {
  const std::string base = "topic_attribution.emitters";
  if (!list.is_array()) {
    r.error(base, "expected a list, got " + type_name(list));
    return;
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = base + "[" + std::to_string(i) + "]";
    const json& item = list[i];
    if (!item.is_object()) {
      r.error(path, "expected a mapping, got " + type_name(item));
      continue;
    }
    r.check_keys(item, path, kEmitterKeys);
    emitters::EmitterSpec spec;
    auto type = item.find("type");
    if (type == item.end() || !type->is_string()) {
      r.error(path + ".type", type == item.end() ? "required" : "expected a string");
      continue;
    }
    if (*type == "csv") {
      spec.type = emitters::EmitterType::csv;
    } else if (*type == "prometheus") {
      spec.type = emitters::EmitterType::prometheus;
    } else {
      r.error(path + ".type", "unknown emitter type '" + type->get<std::string>() +
                                  "'; valid types: csv, prometheus");
      continue;
    }
    spec.name = type->get<std::string>();
    if (auto n = item.find("name"); n != item.end() && !n->is_null()) {
      if (!n->is_string() || n->get<std::string>().empty())
        r.error(path + ".name", "expected a non-empty string");
      else
        spec.name = n->get<std::string>();
    }
    if (!names.insert(spec.name).second)
      r.error(path + ".name", "duplicate emitter name '" + spec.name + "'");
    if (auto a = item.find("aggregation"); a != item.end() && !a->is_null()) {
      // The original raises at emit time for daily/monthly; we refuse them up front.
      if (*a == "hourly")
        spec.aggregation = emitters::Aggregation::hourly;
      else
        r.error(path + ".aggregation",
                "topic attribution emitters support no aggregation or 'hourly' (the rows as "
                "stored), got " +
                    (a->is_string() ? "'" + a->get<std::string>() + "'" : type_name(*a)));
    }
    if (item.contains("lookback_days")) {
      int lookback = 0;
      r.integer(item, "lookback_days", path + ".lookback_days", lookback, 1, 3650);
      if (lookback > 0) spec.lookback_days = lookback;
    }
    const json* params = r.mapping(item, "params", path + ".params");
    static const json kNone = json::object();
    const json& p = params ? *params : kNone;
    if (spec.type == emitters::EmitterType::csv) {
      r.check_keys(p, path + ".params", kCsvParams);
      spec.output_dir = "/tmp/topic_attribution";
      spec.filename_template = "topic_attr_{tenant_id}_{date}.csv";
      if (auto d = p.find("output_dir"); d != p.end() && !d->is_null()) {
        if (!d->is_string() || d->get<std::string>().empty())
          r.error(path + ".params.output_dir", "expected a non-empty string");
        else
          spec.output_dir = d->get<std::string>();
      }
      if (auto f = p.find("filename_template"); f != p.end() && !f->is_null()) {
        std::string why;
        if (!f->is_string() || f->get<std::string>().empty())
          r.error(path + ".params.filename_template", "expected a non-empty string");
        else if (f->get<std::string>().find('/') != std::string::npos)
          r.error(path + ".params.filename_template",
                  "must be a file name without '/' (the directory is output_dir)");
        else if (!emitters::expand_filename_template(
                     f->get<std::string>(),
                     {{"tenant_id", "t"}, {"tenant_name", "t"}, {"date", "2026-01-01"}}, &why))
          r.error(path + ".params.filename_template", why);
        else
          spec.filename_template = f->get<std::string>();
      }
    } else {
      r.check_keys(p, path + ".params", kPrometheusParams);
      spec.port = emitters::kDefaultPrometheusPort;
      int port = 0;
      r.integer(p, "port", path + ".params.port", port, 1, 65535);
      if (port > 0) spec.port = port;
      if (auto h = p.find("host"); h != p.end() && !h->is_null()) {
        if (!h->is_string() || h->get<std::string>().empty())
          r.error(path + ".params.host", "expected a non-empty string");
        else
          spec.host = h->get<std::string>();
      }
    }
    s.emitters.push_back(std::move(spec));
  }
}

}  // namespace

std::string TopicSettings::metric_name(const std::string& key) const {
  if (auto it = metric_name_overrides.find(key); it != metric_name_overrides.end())
    return it->second;
  if (key == kBytesIn) return "confluent_kafka_server_received_bytes";
  if (key == kBytesOut) return "confluent_kafka_server_sent_bytes";
  return "confluent_kafka_server_retained_bytes";
}

ParsedTopicSettings parse_topic_settings(const json& block, bool has_metrics) {
  ParsedTopicSettings out;
  Reader r(out.errors);
  TopicSettings& s = out.settings;
  const std::string base = "topic_attribution";
  if (block.is_null()) return out;
  if (!block.is_object()) {
    r.error(base, "expected a mapping, got " + type_name(block));
    return out;
  }
  r.check_keys(block, base, kKeys);
  if (auto e = block.find("enabled"); e != block.end() && !e->is_null()) {
    if (e->is_boolean())
      s.enabled = e->get<bool>();
    else
      r.error(base + ".enabled", "expected a boolean, got " + type_name(*e));
  }
  r.integer(block, "retention_days", base + ".retention_days", s.retention_days, 1, 365);
  if (auto m = block.find("missing_metrics_behavior"); m != block.end() && !m->is_null()) {
    const std::string v = m->is_string() ? lower(trim(m->get<std::string>())) : "";
    if (v == "even_split" || v == "skip")
      s.missing_metrics_behavior = v;
    else
      r.error(base + ".missing_metrics_behavior",
              "must be one of even_split, skip, got " +
                  (m->is_string() ? "'" + m->get<std::string>() + "'" : type_name(*m)));
  }
  if (auto p = block.find("exclude_topic_patterns"); p != block.end() && !p->is_null()) {
    if (!p->is_array()) {
      r.error(base + ".exclude_topic_patterns", "expected a list, got " + type_name(*p));
    } else {
      s.exclude_topic_patterns.clear();
      for (std::size_t i = 0; i < p->size(); ++i) {
        const json& item = (*p)[i];
        if (!item.is_string()) {
          r.error(base + ".exclude_topic_patterns[" + std::to_string(i) + "]",
                  "expected a string, got " + type_name(item));
          continue;
        }
        std::string v = trim(item.get<std::string>());
        if (!v.empty()) s.exclude_topic_patterns.push_back(v);
      }
    }
  }
  if (const json* m =
          r.mapping(block, "cost_mapping_overrides", base + ".cost_mapping_overrides")) {
    for (const auto& item : m->items()) {
      const std::string path = base + ".cost_mapping_overrides." + item.key();
      const std::string key = upper(trim(item.key()));
      if (key.empty()) {
        r.error(path, "the product type must not be empty");
        continue;
      }
      const std::string v =
          item.value().is_string() ? lower(trim(item.value().get<std::string>())) : "";
      if (std::find(kMethods.begin(), kMethods.end(), v) == kMethods.end()) {
        r.error(path, "must be one of " + one_of(kMethods) + ", got " +
                          (item.value().is_string() ? "'" + item.value().get<std::string>() + "'"
                                                    : type_name(item.value())));
        continue;
      }
      s.cost_mapping_overrides[key] = v;
    }
  }
  if (const json* m = r.mapping(block, "metric_name_overrides", base + ".metric_name_overrides")) {
    for (const auto& item : m->items()) {
      const std::string path = base + ".metric_name_overrides." + item.key();
      const std::string key = lower(trim(item.key()));
      if (std::find(kMetricKeys.begin(), kMetricKeys.end(), key) == kMetricKeys.end()) {
        r.error(path, "unknown metric key; valid keys: " + one_of(kMetricKeys));
        continue;
      }
      const std::string v = item.value().is_string() ? trim(item.value().get<std::string>()) : "";
      if (v.empty()) {
        r.error(path, item.value().is_string()
                          ? "must not be empty"
                          : "expected a string, got " + type_name(item.value()));
        continue;
      }
      s.metric_name_overrides[key] = v;
    }
  }
  if (auto e = block.find("emitters"); e != block.end() && !e->is_null()) read_emitters(r, *e, s);
  if (s.enabled && !has_metrics) {
    r.error(base + ".enabled",
            "topic attribution needs plugin_settings.metrics (the per-topic byte metrics come "
            "from it)");
  }
  return out;
}

AttributionStatus attribution_status(const std::string& ecosystem, const json& plugin_settings) {
  AttributionStatus out;
  if (!plugin_settings.is_object()) return out;
  auto block = plugin_settings.find("topic_attribution");
  if (block == plugin_settings.end() || !block->is_object()) return out;
  auto enabled = block->find("enabled");
  if (enabled == block->end() || !enabled->is_boolean() || !enabled->get<bool>()) return out;
  auto metrics = plugin_settings.find("metrics");
  auto parsed =
      parse_topic_settings(*block, metrics != plugin_settings.end() && !metrics->is_null());
  if (ecosystem != "confluent_cloud") {
    parsed.errors.push_back(
        {"topic_attribution", "topic attribution is for confluent_cloud tenants"});
  }
  if (parsed.errors.empty()) {
    out.status = "enabled";
    return out;
  }
  out.status = "config_error";
  for (const auto& e : parsed.errors)
    out.error += (out.error.empty() ? "" : "; ") + e.path + ": " + e.message;
  return out;
}

}  // namespace chitragupt::topics
