#include "ecosystems/self_managed_kafka/settings.hpp"

namespace chitragupt::ecosystems::self_managed_kafka {
namespace {

using nlohmann::json;

const std::vector<std::string> kRateKeys = {"compute_hourly_rate", "storage_per_gib_hourly",
                                            "network_ingress_per_gib", "network_egress_per_gib"};
const std::vector<std::string> kIdentityKeys = {"source", "principal_to_team", "default_team",
                                                "static_identities"};
const std::vector<std::string> kStaticIdentityKeys = {"identity_id", "identity_type",
                                                      "display_name", "team"};
const std::vector<std::string> kResourceKeys = {"source",         "bootstrap_servers",
                                                "sasl_mechanism", "sasl_username",
                                                "sasl_password",  "security_protocol"};

std::vector<std::string> top_keys() {
  std::vector<std::string> keys = {"cluster_id", "broker_count",          "region",
                                   "cost_model", "identity_source",       "resource_source",
                                   "metrics",    "discovery_window_hours"};
  for (const auto& k : common_setting_keys()) keys.push_back(k);
  return keys;
}

void read_cost_model(SettingsReader& r, const json& root, Settings& s) {
  std::vector<std::string> keys = kRateKeys;
  keys.push_back("region_overrides");
  const json* cm = r.mapping(root, "cost_model", "cost_model", keys, true);
  if (cm == nullptr) return;
  r.decimal(*cm, "compute_hourly_rate", "cost_model.compute_hourly_rate",
            s.base_rates.compute_hourly_rate, true);
  r.decimal(*cm, "storage_per_gib_hourly", "cost_model.storage_per_gib_hourly",
            s.base_rates.storage_per_gib_hourly, true);
  r.decimal(*cm, "network_ingress_per_gib", "cost_model.network_ingress_per_gib",
            s.base_rates.network_ingress_per_gib, true);
  r.decimal(*cm, "network_egress_per_gib", "cost_model.network_egress_per_gib",
            s.base_rates.network_egress_per_gib, true);
  const json* overrides = SettingsReader::field(*cm, "region_overrides");
  if (overrides == nullptr) return;
  if (!overrides->is_object()) {
    r.error("cost_model.region_overrides", "expected a mapping, got " + type_name(*overrides));
    return;
  }
  for (const auto& [region, entry] : overrides->items()) {
    const std::string path = "cost_model.region_overrides." + region;
    if (!entry.is_object()) {
      r.error(path, "expected a mapping, got " + type_name(entry));
      continue;
    }
    r.check_keys(entry, path, kRateKeys);
    RateOverrides o;
    const nlohmann::json& rates = entry;  // a structured binding cannot be captured (C++17)
    auto one = [&](const char* key, std::optional<std::string>& out) {
      if (SettingsReader::field(rates, key) == nullptr) return;
      std::string text;
      r.decimal(rates, key, path + "." + key, text, true);
      if (!text.empty()) out = text;
    };
    one("compute_hourly_rate", o.compute_hourly_rate);
    one("storage_per_gib_hourly", o.storage_per_gib_hourly);
    one("network_ingress_per_gib", o.network_ingress_per_gib);
    one("network_egress_per_gib", o.network_egress_per_gib);
    s.region_overrides[region] = o;
  }
}

void read_resource_source(SettingsReader& r, const json& root, Settings& s) {
  const json* rs = r.mapping(root, "resource_source", "resource_source", kResourceKeys);
  if (rs == nullptr) return;
  r.choice<ResourceSource>(
      *rs, "source", "resource_source.source", s.resource_source,
      {{"prometheus", ResourceSource::prometheus}, {"admin_api", ResourceSource::admin_api}});
  AdminApiSettings& a = s.admin_api;
  r.string(*rs, "bootstrap_servers", "resource_source.bootstrap_servers", a.bootstrap_servers,
           false);
  r.choice<std::string>(*rs, "security_protocol", "resource_source.security_protocol",
                        a.security_protocol,
                        {{"PLAINTEXT", "PLAINTEXT"},
                         {"SSL", "SSL"},
                         {"SASL_PLAINTEXT", "SASL_PLAINTEXT"},
                         {"SASL_SSL", "SASL_SSL"}});
  r.choice<std::string>(
      *rs, "sasl_mechanism", "resource_source.sasl_mechanism", a.sasl_mechanism,
      {{"PLAIN", "PLAIN"}, {"SCRAM-SHA-256", "SCRAM-SHA-256"}, {"SCRAM-SHA-512", "SCRAM-SHA-512"}});
  r.string(*rs, "sasl_username", "resource_source.sasl_username", a.sasl_username, false);
  r.string(*rs, "sasl_password", "resource_source.sasl_password", a.sasl_password, false);
  if (s.resource_source == ResourceSource::admin_api && a.bootstrap_servers.empty()) {
    r.error("resource_source.bootstrap_servers", "required when source is admin_api");
  }
  // The original's docs require the credentials with a mechanism; its code never checked, and
  // the first connection then failed at run time. Checked here.
  if (!a.sasl_mechanism.empty()) {
    if (a.sasl_username.empty()) {
      r.error("resource_source.sasl_username", "required when sasl_mechanism is set");
    }
    if (a.sasl_password.empty()) {
      r.error("resource_source.sasl_password", "required when sasl_mechanism is set");
    }
    if (a.security_protocol != "SASL_PLAINTEXT" && a.security_protocol != "SASL_SSL") {
      r.error("resource_source.security_protocol",
              "must be SASL_PLAINTEXT or SASL_SSL when sasl_mechanism is set, got '" +
                  a.security_protocol + "'");
    }
  }
}

}  // namespace

std::string IdentitySettings::team_of(const std::string& principal) const {
  auto it = principal_to_team.find(principal);
  return it == principal_to_team.end() ? default_team : it->second;
}

Rates Settings::effective_rates() const {
  Rates out = base_rates;
  if (region.empty()) return out;
  auto it = region_overrides.find(region);
  if (it == region_overrides.end()) return out;
  const RateOverrides& o = it->second;
  if (o.compute_hourly_rate) out.compute_hourly_rate = *o.compute_hourly_rate;
  if (o.storage_per_gib_hourly) out.storage_per_gib_hourly = *o.storage_per_gib_hourly;
  if (o.network_ingress_per_gib) out.network_ingress_per_gib = *o.network_ingress_per_gib;
  if (o.network_egress_per_gib) out.network_egress_per_gib = *o.network_egress_per_gib;
  return out;
}

void read_identity_source(SettingsReader& r, const json& node, const std::string& path,
                          IdentitySettings& out, const std::vector<std::string>& extra_keys) {
  std::vector<std::string> keys = kIdentityKeys;
  keys.insert(keys.end(), extra_keys.begin(), extra_keys.end());
  r.check_keys(node, path, keys);
  r.choice<IdentitySource>(node, "source", path + ".source", out.source,
                           {{"prometheus", IdentitySource::prometheus},
                            {"static", IdentitySource::static_list},
                            {"both", IdentitySource::both}});
  if (const json* m = SettingsReader::field(node, "principal_to_team")) {
    if (!m->is_object()) {
      r.error(path + ".principal_to_team", "expected a mapping, got " + type_name(*m));
    } else {
      for (const auto& [principal, team] : m->items()) {
        std::string text;
        r.string(*m, principal, path + ".principal_to_team." + principal, text, true);
        if (!text.empty()) out.principal_to_team[principal] = text;
      }
    }
  }
  if (SettingsReader::field(node, "default_team") != nullptr) {
    r.string(node, "default_team", path + ".default_team", out.default_team, true);
  }
  const json* list = SettingsReader::field(node, "static_identities");
  if (list == nullptr) return;
  if (!list->is_array()) {
    r.error(path + ".static_identities", "expected a list, got " + type_name(*list));
    return;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string ipath = path + ".static_identities[" + std::to_string(i) + "]";
    const json& item = (*list)[i];
    if (!item.is_object()) {
      r.error(ipath, "expected a mapping, got " + type_name(item));
      continue;
    }
    r.check_keys(item, ipath, kStaticIdentityKeys);
    StaticIdentity id;
    r.string(item, "identity_id", ipath + ".identity_id", id.identity_id, true);
    r.string(item, "identity_type", ipath + ".identity_type", id.identity_type, true);
    r.string(item, "display_name", ipath + ".display_name", id.display_name, false);
    r.string(item, "team", ipath + ".team", id.team, false);
    out.static_identities.push_back(id);
  }
}

ParsedSettings parse_settings(const json& plugin_settings) {
  SettingsReader r;
  Settings s;
  const json* root_ptr = settings_root(r, plugin_settings, top_keys());
  if (root_ptr == nullptr) return {std::nullopt, r.errors};
  const json& root = *root_ptr;
  // Not checked for emptiness by the original; an empty id would name every line's resource "".
  r.string(root, "cluster_id", "cluster_id", s.cluster_id, true);
  if (SettingsReader::field(root, "broker_count") == nullptr) {
    r.error("broker_count", "required");
  } else {
    r.integer(root, "broker_count", "broker_count", s.broker_count, 1, std::nullopt);
  }
  r.string(root, "region", "region", s.region, false);
  read_cost_model(r, root, s);
  if (const json* id = SettingsReader::field(root, "identity_source"); id && !id->is_object()) {
    r.error("identity_source", "expected a mapping, got " + type_name(*id));
  } else if (id) {
    read_identity_source(r, *id, "identity_source", s.identity, {});
    // The original's docs put it here, where its code silently ignored it.
    for (auto& e : r.errors) {
      if (e.path == "identity_source.discovery_window_hours") {
        e.message += " -- discovery_window_hours is a top-level key of plugin_settings";
      }
    }
  }
  read_resource_source(r, root, s);
  std::optional<ccloud::MetricsSettings> metrics;
  read_metrics_settings(r, root, metrics, true);
  if (metrics) s.metrics = *metrics;
  r.integer(root, "discovery_window_hours", "discovery_window_hours", s.discovery_window_hours, 1,
            std::nullopt);
  read_common_settings(r, root, s);
  ParsedSettings out;
  out.errors = std::move(r.errors);
  if (out.errors.empty()) out.settings = std::move(s);
  return out;
}

}  // namespace chitragupt::ecosystems::self_managed_kafka
