#include "ecosystems/generic_metrics_only/ecosystem.hpp"

#include <chrono>
#include <set>

#include "allocation/labels.hpp"
#include "ecosystems/metric_cost.hpp"
#include "ecosystems/prometheus_metrics.hpp"
#include "ecosystems/self_managed_kafka/identities.hpp"
#include "sources/prometheus_client.hpp"

namespace chitragupt::ecosystems::generic_metrics_only {
namespace {

using allocation::Recipients;
using nlohmann::json;
namespace labels = allocation::labels;

constexpr const char* kEcosystem = "generic_metrics_only";
constexpr const char* kDiscovery = "discovery";
constexpr int64_t kDiscoveryStepSeconds = 60;

const std::vector<std::string> kCostTypeKeys = {"name",
                                                "product_category",
                                                "rate",
                                                "cost_quantity",
                                                "allocation_strategy",
                                                "allocation_query",
                                                "allocation_label"};

std::vector<std::string> top_keys() {
  std::vector<std::string> keys = {"cluster_id",      "display_name", "metrics",
                                   "identity_source", "cost_types",   "ecosystem_name"};
  for (const auto& k : common_setting_keys()) keys.push_back(k);
  return keys;
}

void read_cost_type(SettingsReader& r, const json& item, const std::string& path, CostType& c) {
  r.check_keys(item, path, kCostTypeKeys);
  r.string(item, "name", path + ".name", c.name, true);
  r.string(item, "product_category", path + ".product_category", c.product_category, true);
  r.decimal(item, "rate", path + ".rate", c.rate, true);
  const std::string qpath = path + ".cost_quantity";
  const json* q = SettingsReader::field(item, "cost_quantity");
  if (q == nullptr) {
    r.error(qpath, "required");
  } else if (!q->is_object()) {
    r.error(qpath, "expected a mapping, got " + type_name(*q));
  } else {
    if (SettingsReader::field(*q, "type") == nullptr) r.error(qpath + ".type", "required");
    r.choice<QuantityType>(*q, "type", qpath + ".type", c.quantity,
                           {{"fixed", QuantityType::fixed},
                            {"storage_gib", QuantityType::storage_gib},
                            {"network_gib", QuantityType::network_gib}});
    // An unknown key is told every key cost_quantity may hold; one that does not fit the type
    // is told which type it belongs to.
    r.check_keys(*q, qpath, {"type", "count", "query"});
    if (c.quantity == QuantityType::fixed) {
      if (SettingsReader::field(*q, "query") != nullptr) {
        r.error(qpath + ".query", "applies only to type storage_gib or network_gib");
      }
      if (SettingsReader::field(*q, "count") == nullptr) r.error(qpath + ".count", "required");
      r.integer(*q, "count", qpath + ".count", c.count, 1, std::nullopt);
    } else {
      if (SettingsReader::field(*q, "count") != nullptr) {
        r.error(qpath + ".count", "applies only to type fixed");
      }
      r.string(*q, "query", qpath + ".query", c.query, true);
    }
  }
  if (SettingsReader::field(item, "allocation_strategy") == nullptr) {
    r.error(path + ".allocation_strategy", "required");
  }
  r.choice<Strategy>(
      item, "allocation_strategy", path + ".allocation_strategy", c.strategy,
      {{"even_split", Strategy::even_split}, {"usage_ratio", Strategy::usage_ratio}});
  r.string(item, "allocation_query", path + ".allocation_query", c.allocation_query,
           c.strategy == Strategy::usage_ratio);
  r.string(item, "allocation_label", path + ".allocation_label", c.allocation_label,
           c.strategy == Strategy::usage_ratio);
  if (c.strategy == Strategy::even_split &&
      (!c.allocation_query.empty() || !c.allocation_label.empty())) {
    // Accepted by the original and never used: here a key that is accepted takes effect.
    r.error(path,
            "allocation_query and allocation_label apply only to allocation_strategy "
            "usage_ratio");
  }
}

std::string cost_key(const CostType& c) { return "cost_" + c.name; }
std::string alloc_key(const CostType& c) { return "alloc_" + c.name; }

ccloud::MetricQuery query(std::string key, std::string expression,
                          std::vector<std::string> labels) {
  ccloud::MetricQuery q;
  q.key = std::move(key);
  q.expression = std::move(expression);
  q.label_keys = std::move(labels);
  // No resource label: a "{}" in an operator's query is removed, never turned into a filter on
  // the identity label (reference §7, 5).
  return q;
}

class Generic final : public Ecosystem {
 public:
  Generic(Settings settings, allocation::Registry registry)
      : settings_(std::move(settings)), registry_(std::move(registry)) {}

  const CommonSettings& common() const override { return settings_; }
  const allocation::Registry& registry() const override { return registry_; }

  Result<MetricSeriesFetcher> metrics(int workers) override {
    QueryCatalogue catalogue;
    if (settings_.identity.uses_prometheus()) {
      catalogue[kDiscovery] = {
          query(kDiscovery, settings_.discovery_query, {settings_.identity_label}),
          settings_.identity_label};
    }
    for (const auto& c : settings_.cost_types) {
      if (c.strategy != Strategy::usage_ratio) continue;
      catalogue[alloc_key(c)] = {query(alloc_key(c), c.allocation_query, {c.allocation_label}),
                                 c.allocation_label};
    }
    if (catalogue.empty()) return MetricSeriesFetcher{};
    return prometheus_fetcher(settings_.metrics, std::move(catalogue), workers,
                              settings_.metrics_step_seconds, stop_);
  }

  Result<GatherBatch> gather(const DateWindow& window) override {
    if (!client_) {
      auto client = ccloud::TelemetryClient::create(settings_.metrics);
      if (!client) return client.status();
      client_ = std::move(*client);
    }
    client_->set_stop(stop_);
    GatherBatch batch;
    storage::ResourceRecord cluster;
    cluster.resource_id = settings_.cluster_id;
    cluster.resource_type = "cluster";
    cluster.display_name =
        settings_.display_name.empty() ? settings_.cluster_id : settings_.display_name;
    batch.resources.push_back(cluster);
    batch.complete_resource_types.insert("cluster");

    std::set<std::string> principals;
    if (settings_.identity.uses_prometheus()) {
      const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
      // The last hour at a one-minute step: every identity with a sample in the hour. (The
      // original asked at its metrics step, 3600 s by default: two instants, now and an hour
      // ago, each seeing 5 minutes back, so an identity active in between went unseen.)
      auto series = client_->query_range_series(
          query(kDiscovery, settings_.discovery_query, {settings_.identity_label}), "", now - 3600,
          now, kDiscoveryStepSeconds);
      if (!series) return Status::error("identity discovery: " + series.error());
      for (const auto& s : *series) {
        auto it = s.labels.find(settings_.identity_label);
        if (it != s.labels.end() && !it->second.empty()) principals.insert(it->second);
      }
      for (const auto& p : principals) {
        batch.identities.push_back(
            self_managed_kafka::principal_identity(settings_.identity, p, false));
      }
      batch.complete_identity_types.insert("principal");
    }
    if (settings_.identity.uses_static()) {
      for (auto& s : self_managed_kafka::static_identities(settings_.identity, false)) {
        batch.identities.push_back(std::move(s));
      }
    }

    // One range query per metric cost type over the whole window, its samples counted in the
    // day their timestamp falls in (half-open days, reference §7, 3).
    const int64_t step = settings_.metrics_step_seconds;
    const int64_t start = window.start.epoch_seconds();
    const int64_t end = window.end.epoch_seconds();
    std::map<int64_t, std::map<std::string, std::vector<double>>> days;
    if (end > start) {
      for (const auto& c : settings_.cost_types) {
        if (c.quantity == QuantityType::fixed) continue;
        auto series = client_->query_range_series(query(cost_key(c), c.query, {}), "", start,
                                                  end - step, step);
        if (!series) return Status::error("cost query " + cost_key(c) + ": " + series.error());
        for (const auto& s : *series) {
          for (const auto& sample : s.samples) {
            if (sample.timestamp < start || sample.timestamp >= end) continue;
            days[sample.timestamp - ((sample.timestamp - start) % 86400)][c.name].push_back(
                sample.value);
          }
        }
      }
    }
    static const std::map<std::string, std::vector<double>> kNone;
    for (auto day = window.start; day < window.end; day = day.plus_days(1)) {
      auto it = days.find(day.epoch_seconds());
      for (auto& line : day_lines(settings_, day, 24, it == days.end() ? kNone : it->second)) {
        batch.billing.push_back(std::move(line));
      }
    }
    return batch;
  }

 private:
  Settings settings_;
  allocation::Registry registry_;
  std::unique_ptr<ccloud::TelemetryClient> client_;
};

}  // namespace

ParsedSettings parse_settings(const json& plugin_settings) {
  SettingsReader r;
  Settings s;
  const json* root_ptr = settings_root(r, plugin_settings, top_keys());
  if (root_ptr == nullptr) return {std::nullopt, r.errors};
  const json& root = *root_ptr;
  r.string(root, "cluster_id", "cluster_id", s.cluster_id, true);
  r.string(root, "display_name", "display_name", s.display_name, false);
  std::string legacy;
  r.string(root, "ecosystem_name", "ecosystem_name", legacy, false);
  if (!legacy.empty() && legacy != kEcosystem) {
    r.error("ecosystem_name",
            "the ecosystem of these lines is always generic_metrics_only (a "
            "legacy key, accepted only with that value), got '" +
                legacy + "'");
  }
  std::optional<ccloud::MetricsSettings> metrics;
  read_metrics_settings(r, root, metrics, true);
  if (metrics) s.metrics = *metrics;
  const json* id = SettingsReader::field(root, "identity_source");
  if (id != nullptr && !id->is_object()) {
    r.error("identity_source", "expected a mapping, got " + type_name(*id));
  } else {
    static const json kNoIdentity = json::object();
    const json& node = id ? *id : kNoIdentity;
    self_managed_kafka::read_identity_source(r, node, "identity_source", s.identity,
                                             {"label", "discovery_query"});
    if (SettingsReader::field(node, "label") != nullptr) {
      r.string(node, "label", "identity_source.label", s.identity_label, true);
    }
    r.string(node, "discovery_query", "identity_source.discovery_query", s.discovery_query, false);
    if (s.identity.uses_prometheus() && s.discovery_query.empty()) {
      r.error("identity_source.discovery_query",
              "required when identity_source.source is prometheus or both (the default is "
              "prometheus)");
    }
  }
  const json* list = SettingsReader::field(root, "cost_types");
  if (list == nullptr) {
    r.error("cost_types", "required");
  } else if (!list->is_array()) {
    r.error("cost_types", "expected a list, got " + type_name(*list));
  } else if (list->empty()) {
    r.error("cost_types", "needs at least one cost type");
  } else {
    std::set<std::string> names;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string path = "cost_types[" + std::to_string(i) + "]";
      const json& item = (*list)[i];
      if (!item.is_object()) {
        r.error(path, "expected a mapping, got " + type_name(item));
        continue;
      }
      CostType c;
      read_cost_type(r, item, path, c);
      // Two types of one name would be two lines of one product type on one day: the billing
      // key would merge them (the original accepted the duplicate).
      if (!c.name.empty() && !names.insert(c.name).second) {
        r.error(path + ".name", "duplicate cost type name '" + c.name + "'");
      }
      s.cost_types.push_back(c);
    }
  }
  read_common_settings(r, root, s);
  ParsedSettings out;
  out.errors = std::move(r.errors);
  if (out.errors.empty()) out.settings = std::move(s);
  return out;
}

allocation::Registry cost_model(const Settings& settings) {
  using allocation::Chain;
  using allocation::even_split_tier;
  using allocation::terminal_tier;
  using allocation::usage_ratio_tier;
  std::vector<Chain> chains = {
      Chain{"generic_even_split",
            {even_split_tier(Recipients::kMergedActive, allocation::CostType::kShared,
                             labels::kEvenSplitAllocation),
             terminal_tier(Recipients::kUnallocated)}}};
  std::vector<allocation::ProductRule> rules;
  for (const auto& c : settings.cost_types) {
    if (c.strategy == Strategy::even_split) {
      std::vector<std::string> keys;
      if (settings.identity.uses_prometheus()) keys.push_back(kDiscovery);
      rules.push_back({c.name, "generic", "generic_even_split", keys});
    } else {
      const std::string chain = "generic_usage_ratio:" + c.name;
      chains.push_back(
          Chain{chain,
                {usage_ratio_tier({alloc_key(c)}),
                 even_split_tier(Recipients::kMergedActive, allocation::CostType::kShared,
                                 labels::kNoMetricsLocated),
                 terminal_tier(Recipients::kUnallocated)}});
      std::vector<std::string> keys = {alloc_key(c)};
      if (settings.identity.uses_prometheus()) keys.push_back(kDiscovery);
      rules.push_back({c.name, "generic", chain, keys});
    }
  }
  allocation::Handler generic{"generic",
                              {"cluster"},
                              self_managed_kafka::principal_resolver(settings.identity, kEcosystem),
                              false};
  allocation::Handler none{"default", {}, &allocation::resolve_no_identities, false};
  return allocation::Registry::make({generic, none}, rules, chains, "unknown");
}

std::vector<storage::BillingRecord> day_lines(
    const Settings& settings, const ccloud::CivilDate& day, int hours,
    const std::map<std::string, std::vector<double>>& samples) {
  std::vector<storage::BillingRecord> out;
  for (const auto& c : settings.cost_types) {
    std::string quantity;
    if (c.quantity == QuantityType::fixed) {
      quantity = std::to_string(c.count * hours);
    } else {
      auto it = samples.find(c.name);
      if (it == samples.end() || it->second.empty()) continue;
      quantity = c.quantity == QuantityType::storage_gib ? mean_gib_hours(it->second, hours)
                                                         : sum_gib(it->second);
    }
    out.push_back(
        daily_line(day, settings.cluster_id, c.name, c.product_category, quantity, c.rate));
  }
  return out;
}

EcosystemKind ecosystem_kind() {
  return make_kind<Generic>(kEcosystem, &parse_settings, &cost_model);
}

}  // namespace chitragupt::ecosystems::generic_metrics_only
