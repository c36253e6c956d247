#include "ecosystems/settings_reader.hpp"

#include <algorithm>
#include <set>

#include "common/key_suggestion.hpp"
#include "sources/decimal_text.hpp"
#include "sources/url.hpp"

namespace chitragupt::ecosystems {
namespace {

using json = nlohmann::json;
using Reader = SettingsReader;

const std::vector<std::string> kMetricsKeys = {"type",     "url",      "auth_type",
                                               "username", "password", "bearer_token"};
const std::vector<std::string> kEmitterKeys = {"type", "name", "aggregation", "params",
                                               "lookback_days"};

}  // namespace

std::string join_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string type_name(const json& v) {
  if (v.is_object()) return "a mapping";
  if (v.is_array()) return "a list";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  return "null";
}

const json* SettingsReader::mapping(const json& parent, const std::string& key,
                                    const std::string& path,
                                    const std::vector<std::string>& valid_keys, bool required) {
  const json* v = field(parent, key);
  if (v == nullptr) {
    if (required) error(path, "required");
    return nullptr;
  }
  if (!v->is_object()) {
    error(path, "expected a mapping, got " + type_name(*v));
    return nullptr;
  }
  check_keys(*v, path, valid_keys);
  return v;
}

void SettingsReader::check_keys(const json& object, const std::string& path,
                                const std::vector<std::string>& valid_keys) {
  for (const auto& [name, value] : object.items()) {
    (void)value;
    if (std::find(valid_keys.begin(), valid_keys.end(), name) == valid_keys.end()) {
      error(join_path(path, name), unknown_key_message(name, valid_keys));
    }
  }
}

void SettingsReader::string(const json& parent, const std::string& key, const std::string& path,
                            std::string& out, bool required) {
  const json* v = field(parent, key);
  if (v == nullptr) {
    if (required) error(path, "required");
    return;
  }
  if (v->is_string()) {
    out = v->get<std::string>();
  } else if (v->is_number_integer()) {
    out = v->dump();
  } else {
    error(path, "expected a string, got " + type_name(*v));
    return;
  }
  if (required && out.empty()) error(path, "must not be empty");
}

std::optional<int64_t> SettingsReader::integer_value(const json& v, const std::string& path) {
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      error(path, "integer out of range");
      return std::nullopt;
    }
    return v.get<int64_t>();
  }
  if (v.is_string()) {  // lax: "15" from ${VAR} substitution
    std::string s = v.get<std::string>();
    size_t start = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (start < s.size() && s.size() - start <= 18 &&
        s.find_first_not_of("0123456789", start) == std::string::npos) {
      return std::stoll(s);
    }
  }
  error(path, "expected an integer, got " + type_name(v));
  return std::nullopt;
}

void SettingsReader::decimal(const json& parent, const std::string& key, const std::string& path,
                             std::string& out, bool required) {
  const json* v = field(parent, key);
  if (v == nullptr) {
    if (required) error(path, "required");
    return;
  }
  std::optional<std::string> parsed;
  if (v->is_string()) parsed = ccloud::canonical_decimal(v->get<std::string>());
  if (v->is_number()) parsed = ccloud::canonical_decimal(v->dump());
  if (!parsed) {
    error(path, "expected a decimal number, got " + type_name(*v));
    return;
  }
  out = *parsed;
}

const json* SettingsReader::field(const json& parent, const std::string& key) {
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return nullptr;
  return &*it;
}

const json* settings_root(SettingsReader& r, const json& plugin_settings,
                          const std::vector<std::string>& valid_keys) {
  static const json kEmpty = json::object();
  const json& root = plugin_settings.is_null() ? kEmpty : plugin_settings;
  if (!root.is_object()) {
    r.error("", "expected a mapping, got " + type_name(root));
    return nullptr;
  }
  r.check_keys(root, "", valid_keys);
  return &root;
}

const std::vector<std::string>& common_setting_keys() {
  static const std::vector<std::string> keys = {"allocator_params",
                                                "allocator_overrides",
                                                "identity_resolution_overrides",
                                                "min_refresh_gap_seconds",
                                                "metrics_step_seconds",
                                                "granularity_durations",
                                                "chargeback_granularity",
                                                "emitters"};
  return keys;
}

void check_url(Reader& r, const std::string& path, const std::string& url) {
  if (url.empty()) return;
  auto parsed = ccloud::BaseUrl::parse(url);
  if (!parsed) r.error(path, parsed.error());
}

void read_metrics_settings(SettingsReader& r, const json& root,
                           std::optional<ccloud::MetricsSettings>& out, bool required) {
  const json* m = r.mapping(root, "metrics", "metrics", kMetricsKeys, required);
  if (m == nullptr) return;
  ccloud::MetricsSettings metrics;
  r.choice<std::string>(*m, "type", "metrics.type", metrics.type, {{"prometheus", "prometheus"}});
  r.string(*m, "url", "metrics.url", metrics.url, true);
  check_url(r, "metrics.url", metrics.url);
  r.choice<ccloud::MetricsAuthType>(*m, "auth_type", "metrics.auth_type", metrics.auth_type,
                                    {{"none", ccloud::MetricsAuthType::none},
                                     {"basic", ccloud::MetricsAuthType::basic},
                                     {"bearer", ccloud::MetricsAuthType::bearer}});
  r.string(*m, "username", "metrics.username", metrics.username, false);
  r.string(*m, "password", "metrics.password", metrics.password, false);
  r.string(*m, "bearer_token", "metrics.bearer_token", metrics.bearer_token, false);
  // The original's model-level rules, with its wording.
  switch (metrics.auth_type) {
    case ccloud::MetricsAuthType::basic:
      if (metrics.username.empty() || metrics.password.empty()) {
        r.error("metrics", "username and password required for basic auth");
      }
      break;
    case ccloud::MetricsAuthType::bearer:
      if (metrics.bearer_token.empty()) r.error("metrics", "bearer_token required for bearer auth");
      break;
    case ccloud::MetricsAuthType::none:
      if (!metrics.username.empty() || !metrics.password.empty() || !metrics.bearer_token.empty()) {
        r.error("metrics", "credentials provided but auth_type is 'none'");
      }
      break;
  }
  out = metrics;
}

namespace {

// kafka_cku_usage_ratio + kafka_cku_shared_ratio must be 1 (within 0.0001), checked exactly.
void check_cku_ratios(Reader& r, const json& params) {
  std::string sum = "0";
  bool valid = true;
  for (const char* name : {"kafka_cku_usage_ratio", "kafka_cku_shared_ratio"}) {
    std::string text = std::string(name) == "kafka_cku_usage_ratio" ? "0.70" : "0.30";
    auto it = params.find(name);
    if (it != params.end() && !it->is_null()) {
      std::optional<std::string> parsed;
      if (it->is_string()) parsed = ccloud::canonical_decimal(it->get<std::string>());
      if (it->is_number()) parsed = ccloud::canonical_decimal(it->dump());
      if (!parsed) {
        r.error(std::string("allocator_params.") + name, "expected a decimal number");
        valid = false;
        continue;
      }
      text = *parsed;
    }
    sum = *ccloud::add_decimal(sum, text);
  }
  if (!valid) return;
  std::string diff = *ccloud::subtract_decimal(sum, "1");
  if (!diff.empty() && diff[0] == '-') diff = diff.substr(1);
  if (*ccloud::compare_decimal(diff, "0.0001") > 0) {
    r.error("allocator_params",
            "allocator_params kafka_cku_usage_ratio + kafka_cku_shared_ratio must sum to 1.0, "
            "got " +
                sum);
  }
}

void read_core(Reader& r, const json& root, CommonSettings& s) {
  if (const json* p = Reader::field(root, "allocator_params")) {
    if (!p->is_object()) {
      r.error("allocator_params", "expected a mapping, got " + type_name(*p));
    } else {
      for (const auto& [name, value] : p->items()) {
        if (!value.is_number() && !value.is_string() && !value.is_boolean()) {
          r.error("allocator_params." + name,
                  "expected a number, string or boolean, got " + type_name(value));
        }
      }
      s.allocator_params = *p;
      check_cku_ratios(r, *p);
    }
  }
  if (const json* o = Reader::field(root, "allocator_overrides")) {
    if (!o->is_object()) {
      r.error("allocator_overrides", "expected a mapping, got " + type_name(*o));
    } else {
      for (const auto& [name, value] : o->items()) {
        if (!value.is_string() || value.get<std::string>().empty()) {
          r.error("allocator_overrides." + name, "expected a non-empty allocator name");
        } else if (value.get<std::string>().find_first_of(".:/") != std::string::npos) {
          // The original's value: a Python import path to a CostAllocator callable.
          r.error("allocator_overrides." + name,
                  "'" + value.get<std::string>() +
                      "' is a Python import path; chitragupt cannot load Python code -- name "
                      "one of its built-in allocators instead (docs/configuration.md lists "
                      "them)");
        } else {
          s.allocator_overrides[name] = value.get<std::string>();
        }
      }
    }
  }
  if (const json* o = Reader::field(root, "identity_resolution_overrides")) {
    if (!o->is_object()) {
      r.error("identity_resolution_overrides", "expected a mapping, got " + type_name(*o));
    } else {
      // The original loads a Python resolver function from each value; there is nothing here
      // that such a path could name, so an entry would be accepted and then ignored.
      for (const auto& [name, value] : o->items()) {
        r.error("identity_resolution_overrides." + name,
                "identity resolvers cannot be overridden: the original loads a Python callable "
                "here, which chitragupt cannot run; identities are resolved by the ecosystem's "
                "built-in rules (docs/differences.md) -- remove the entry, or use "
                "allocator_overrides with a built-in allocator to change how a product type is "
                "split");
      }
      s.identity_resolution_overrides = *o;
    }
  }
  r.integer(root, "min_refresh_gap_seconds", "min_refresh_gap_seconds", s.min_refresh_gap_seconds,
            0, std::nullopt);
  r.integer(root, "metrics_step_seconds", "metrics_step_seconds", s.metrics_step_seconds, 1,
            std::nullopt);
  if (const json* g = Reader::field(root, "granularity_durations")) {
    if (!g->is_object()) {
      r.error("granularity_durations", "expected a mapping, got " + type_name(*g));
    } else {
      for (const auto& [name, value] : g->items()) {
        std::string path = "granularity_durations." + name;
        auto hours = r.integer_value(value, path);
        if (!hours) continue;
        if (*hours < 1) {
          r.error(path, "minimum is 1 hour, got " + std::to_string(*hours));
          continue;
        }
        s.granularity_durations[name] = *hours;
      }
    }
  }
  r.choice<std::string>(root, "chargeback_granularity", "chargeback_granularity",
                        s.chargeback_granularity,
                        {{"hourly", "hourly"}, {"daily", "daily"}, {"monthly", "monthly"}});
}

int granularity_rank(const std::string& g) { return g == "hourly" ? 0 : g == "daily" ? 1 : 2; }

const std::vector<std::string> kCsvParamKeys = {"output_dir", "filename_template"};
const std::vector<std::string> kPrometheusParamKeys = {"port", "host"};

void read_emitters(Reader& r, const json& root, CommonSettings& s) {
  const json* e = Reader::field(root, "emitters");
  if (e == nullptr) return;
  if (!e->is_array()) {
    r.error("emitters", "expected a list, got " + type_name(*e));
    return;
  }
  std::set<std::string> names;
  for (size_t i = 0; i < e->size(); ++i) {
    std::string path = "emitters[" + std::to_string(i) + "]";
    const json& item = (*e)[i];
    if (!item.is_object()) {
      r.error(path, "expected a mapping, got " + type_name(item));
      continue;
    }
    r.check_keys(item, path, kEmitterKeys);
    emitters::EmitterSpec spec;
    std::string type;
    r.string(item, "type", path + ".type", type, true);
    // Without a known type the emitter's other keys are still checked (every error at once);
    // only its params depend on the type.
    bool known_type = true;
    if (type == "csv") {
      spec.type = emitters::EmitterType::csv;
    } else if (type == "prometheus") {
      spec.type = emitters::EmitterType::prometheus;
    } else {
      if (!type.empty()) {  // empty: reported as required
        r.error(path + ".type",
                "unknown emitter type '" + type + "'; valid types: csv, prometheus");
      }
      known_type = false;
    }
    r.string(item, "name", path + ".name", spec.name, false);
    if (spec.name.empty()) spec.name = type;
    if (!spec.name.empty() && !names.insert(spec.name).second) {
      r.error(path + ".name", "duplicate emitter name '" + spec.name +
                                  "' (each emitter needs its own name: emission records are "
                                  "kept per name)");
    }
    // Absent or null: the rows as stored (the original's default).
    std::string aggregation = "none";
    r.choice<std::string>(item, "aggregation", path + ".aggregation", aggregation,
                          {{"hourly", "hourly"}, {"daily", "daily"}, {"monthly", "monthly"}});
    if (aggregation != "none" &&
        granularity_rank(aggregation) < granularity_rank(s.chargeback_granularity)) {
      r.error(path + ".aggregation", "aggregation '" + aggregation +
                                         "' is finer than chargeback_granularity '" +
                                         s.chargeback_granularity + "'");
    }
    spec.aggregation = aggregation == "none"     ? emitters::Aggregation::none
                       : aggregation == "hourly" ? emitters::Aggregation::hourly
                       : aggregation == "daily"  ? emitters::Aggregation::daily
                                                 : emitters::Aggregation::monthly;
    if (Reader::field(item, "lookback_days") != nullptr) {
      int lookback = 0;
      r.integer(item, "lookback_days", path + ".lookback_days", lookback, 1, 3650);
      if (lookback > 0) spec.lookback_days = lookback;
    }
    static const json kNoParams = json::object();
    const json* params = Reader::field(item, "params");
    if (params && !params->is_object()) {
      r.error(path + ".params", "expected a mapping, got " + type_name(*params));
      continue;
    }
    if (!known_type) continue;
    const json& p = params ? *params : kNoParams;
    const std::string ppath = path + ".params";
    if (spec.type == emitters::EmitterType::csv) {
      r.check_keys(p, ppath, kCsvParamKeys);
      r.string(p, "output_dir", ppath + ".output_dir", spec.output_dir, true);
      r.string(p, "filename_template", ppath + ".filename_template", spec.filename_template, false);
      std::string why;
      if (spec.filename_template.empty()) {
        r.error(ppath + ".filename_template", "must not be empty");
      } else if (spec.filename_template.find('/') != std::string::npos) {
        r.error(ppath + ".filename_template",
                "must be a file name without '/' (the directory is output_dir)");
      } else if (!emitters::expand_filename_template(
                     spec.filename_template,
                     {{"tenant_id", "t"}, {"tenant_name", "t"}, {"date", "2026-01-01"}}, &why)) {
        r.error(ppath + ".filename_template", why);
      }
    } else {
      r.check_keys(p, ppath, kPrometheusParamKeys);
      spec.port = emitters::kDefaultPrometheusPort;  // the original's default
      if (Reader::field(p, "port") != nullptr) {
        int port = 0;
        r.integer(p, "port", ppath + ".port", port, 1, 65535);
        if (port > 0) spec.port = port;
      }
      r.string(p, "host", ppath + ".host", spec.host, false);
      if (spec.host.empty()) r.error(ppath + ".host", "must not be empty");
    }
    s.emitters.push_back(spec);
  }
}

}  // namespace

void read_common_settings(SettingsReader& r, const json& root, CommonSettings& out) {
  read_core(r, root, out);
  read_emitters(r, root, out);
}

}  // namespace chitragupt::ecosystems

namespace chitragupt::ccloud {

std::string to_string(MetricsAuthType type) {
  switch (type) {
    case MetricsAuthType::basic:
      return "basic";
    case MetricsAuthType::bearer:
      return "bearer";
    case MetricsAuthType::none:
      break;
  }
  return "none";
}

}  // namespace chitragupt::ccloud
