#include "ecosystems/confluent_cloud/settings.hpp"

#include "common/key_suggestion.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

#include "sources/decimal_text.hpp"
#include "sources/url.hpp"
#include "topics/settings.hpp"

namespace chitragupt::ccloud {
namespace {

using ecosystems::check_url;
using ecosystems::type_name;
using nlohmann::json;
using Reader = ecosystems::SettingsReader;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const std::vector<std::string> kTopKeys = {"ccloud_api",
                                           "billing_api",
                                           "metrics",
                                           "flink",
                                           "allocator_params",
                                           "allocator_overrides",
                                           "identity_resolution_overrides",
                                           "min_refresh_gap_seconds",
                                           "metrics_step_seconds",
                                           "granularity_durations",
                                           "chargeback_granularity",
                                           "emitters",
                                           "topic_attribution"};
const std::vector<std::string> kCcloudApiKeys = {"key", "secret", "base_url",
                                                 "request_timeout_seconds", "max_retries"};
const std::vector<std::string> kBillingApiKeys = {"days_per_query"};
const std::vector<std::string> kFlinkKeys = {"region_id", "region", "cloud",
                                             "key",       "secret", "base_url"};

void read_ccloud_api(Reader& r, const json& root, CcloudApiSettings& out) {
  const json* api = r.mapping(root, "ccloud_api", "ccloud_api", kCcloudApiKeys, true);
  if (api == nullptr) return;
  r.string(*api, "key", "ccloud_api.key", out.key, true);
  r.string(*api, "secret", "ccloud_api.secret", out.secret, true);
  // CHITRAGUPT_CCLOUD_BASE_URL replaces the default (not a base_url the file sets): the
  // original's files name no base_url, and this points them at a proxy or the simulator.
  if (const char* env = std::getenv("CHITRAGUPT_CCLOUD_BASE_URL"); env != nullptr && *env) {
    out.base_url = env;
  }
  r.string(*api, "base_url", "ccloud_api.base_url", out.base_url, false);
  if (out.base_url.empty()) {
    r.error("ccloud_api.base_url", "must not be empty");
  } else {
    check_url(r, "ccloud_api.base_url", out.base_url);
  }
  r.integer(*api, "request_timeout_seconds", "ccloud_api.request_timeout_seconds",
            out.request_timeout_seconds, 1, 300);
  r.integer(*api, "max_retries", "ccloud_api.max_retries", out.max_retries, 0, 10);
}

void read_flink(Reader& r, const json& root, std::vector<FlinkRegionSettings>& out) {
  const json* f = Reader::field(root, "flink");
  if (f == nullptr) return;
  if (!f->is_array()) {
    r.error("flink", "expected a list, got " + type_name(*f));
    return;
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (size_t i = 0; i < f->size(); ++i) {
    std::string path = "flink[" + std::to_string(i) + "]";
    const json& item = (*f)[i];
    if (!item.is_object()) {
      r.error(path, "expected a mapping, got " + type_name(item));
      continue;
    }
    r.check_keys(item, path, kFlinkKeys);
    FlinkRegionSettings region;
    if (Reader::field(item, "region_id") != nullptr) {
      // The original's form: region_id "<cloud>.<region>", e.g. "aws.us-east-1".
      std::string region_id;
      r.string(item, "region_id", path + ".region_id", region_id, true);
      const auto dot = region_id.find('.');
      if (Reader::field(item, "region") != nullptr || Reader::field(item, "cloud") != nullptr) {
        r.error(path, "give either region_id or region and cloud, not both");
      } else if (!region_id.empty() &&
                 (dot == std::string::npos || dot == 0 || dot + 1 == region_id.size())) {
        r.error(path + ".region_id",
                "expected '<cloud>.<region>' (e.g. aws.us-east-1), got '" + region_id + "'");
      } else if (!region_id.empty()) {
        region.cloud = region_id.substr(0, dot);
        region.region = region_id.substr(dot + 1);
      }
    } else {
      r.string(item, "region", path + ".region", region.region, true);
      r.string(item, "cloud", path + ".cloud", region.cloud, true);
    }
    r.string(item, "key", path + ".key", region.key, true);
    r.string(item, "secret", path + ".secret", region.secret, true);
    r.string(item, "base_url", path + ".base_url", region.base_url, false);
    check_url(r, path + ".base_url", region.base_url);
    if (!region.region.empty() && !region.cloud.empty() &&
        !seen.insert({lower(region.cloud), lower(region.region)}).second) {
      r.error(path, "duplicate entry for " + region.cloud + " " + region.region);
    }
    out.push_back(region);
  }
}

void read_topic_attribution(Reader& r, const json& root, CcloudSettings& s) {
  const json* t = Reader::field(root, "topic_attribution");
  if (t == nullptr) return;
  // Validated by topics/ (the attribution stage's own settings), reported here by path.
  auto parsed = topics::parse_topic_settings(*t, s.metrics.has_value());
  for (auto& e : parsed.errors) r.error(e.path, e.message);
  s.topic_attribution = *t;
}

}  // namespace

std::string FlinkRegionSettings::effective_base_url() const {
  if (!base_url.empty()) return base_url;
  return "https://flink." + lower(region) + "." + lower(cloud) + ".confluent.cloud";
}

bool FlinkRegionSettings::serves(const std::string& pool_cloud,
                                 const std::string& pool_region) const {
  return lower(cloud) == lower(pool_cloud) && lower(region) == lower(pool_region);
}

ParsedSettings parse_ccloud_settings(const nlohmann::json& plugin_settings) {
  Reader r;
  CcloudSettings s;
  static const json kEmpty = json::object();
  const json& root = plugin_settings.is_null() ? kEmpty : plugin_settings;
  if (!root.is_object()) {
    r.error("", "expected a mapping, got " + type_name(root));
    return {std::nullopt, r.errors};
  }
  r.check_keys(root, "", kTopKeys);
  read_ccloud_api(r, root, s.ccloud_api);
  if (const json* b = r.mapping(root, "billing_api", "billing_api", kBillingApiKeys)) {
    r.integer(*b, "days_per_query", "billing_api.days_per_query", s.billing_api.days_per_query, 1,
              30);
  }
  read_metrics_settings(r, root, s.metrics, false);
  read_flink(r, root, s.flink);
  read_common_settings(r, root, s);
  read_topic_attribution(r, root, s);
  ParsedSettings out;
  out.errors = std::move(r.errors);
  if (out.errors.empty()) out.settings = std::move(s);
  return out;
}

}  // namespace chitragupt::ccloud
