#include "ecosystems/confluent_cloud/ecosystem.hpp"

#include <cstdio>
#include <ctime>
#include <map>
#include <set>

#include "allocation/allocators.hpp"
#include "ecosystems/confluent_cloud/api.hpp"
#include "ecosystems/prometheus_metrics.hpp"
#include "sources/prometheus_client.hpp"
#include "storage/utc_time.hpp"
#include "topics/settings.hpp"

namespace chitragupt::ccloud {
namespace {

// "2026-01-02T03:04:05.678Z" / "+00:00" offsets -> "2026-01-02 03:04:05" (UTC); "" if
// unparsable.
std::string to_storage_timestamp(const std::string& text) {
  int y, mo, d, h = 0, mi = 0, s = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) < 3) {
    if (std::sscanf(text.c_str(), "%4d-%2d-%2d", &y, &mo, &d) != 3) return "";
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  std::time_t t = timegm(&tm);
  // A numeric offset after the time ("+05:30" / "-07:00") moves the instant to UTC.
  auto tpos = text.find('T');
  if (tpos != std::string::npos) {
    auto sign = text.find_first_of("+-", tpos);
    if (sign != std::string::npos) {
      int oh = 0, om = 0;
      if (std::sscanf(text.c_str() + sign + 1, "%2d:%2d", &oh, &om) >= 1) {
        int offset = (oh * 3600 + om * 60) * (text[sign] == '+' ? 1 : -1);
        t -= offset;
      }
    }
  }
  return storage::utc_timestamp(t);
}

std::string metadata_text(const nlohmann::json& metadata) {
  if (metadata.is_null() || (metadata.is_object() && metadata.empty())) return "";
  return metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string text_field(const nlohmann::json& metadata, const char* key) {
  if (!metadata.is_object() || !metadata.contains(key) || !metadata[key].is_string()) return "";
  return metadata[key].get<std::string>();
}

storage::ResourceRecord to_record(const Resource& r) {
  storage::ResourceRecord out;
  out.resource_id = r.id;
  out.resource_type = r.type;
  out.display_name = r.display_name;
  out.parent_id = r.parent_id;
  out.owner_id = r.owner_id;
  out.cloud = text_field(r.metadata, "cloud");
  out.region = text_field(r.metadata, "region");
  out.created_at = to_storage_timestamp(r.created_at);
  out.metadata_json = metadata_text(r.metadata);
  return out;
}

storage::IdentityRecord to_record(const Identity& i) {
  storage::IdentityRecord out;
  out.identity_id = i.id;
  out.identity_type = i.type;
  out.display_name = i.display_name;
  out.created_at = to_storage_timestamp(i.created_at);
  nlohmann::json metadata = i.metadata.is_object() ? i.metadata : nlohmann::json::object();
  // API keys are resolved to their owners and pools to their providers by the allocation
  // engine: keep both links with the identity.
  if (!i.owner_id.empty() && !metadata.contains("owner_id")) metadata["owner_id"] = i.owner_id;
  if (!i.parent_id.empty() && !metadata.contains("parent_id")) metadata["parent_id"] = i.parent_id;
  out.metadata_json = metadata_text(metadata);
  return out;
}

storage::BillingRecord to_record(const BillingLine& l) {
  storage::BillingRecord out;
  out.timestamp = l.date + " 00:00:00";
  out.env_id = l.env_id;
  out.resource_id = l.resource_id;
  out.product_type = l.product_type;
  out.product_category = l.product_category;
  out.quantity = l.quantity;
  out.unit_price = l.unit_price;
  out.total_cost = l.total_cost;
  out.currency = l.currency;
  out.granularity = l.granularity;
  out.metadata_json = metadata_text(l.metadata);
  return out;
}

using Fetched = ecosystems::GatherBatch;

// A listing that failed only because the upstream kept failing (retries exhausted) fails the
// gather whole instead of committing without it, so that no date is calculated on a partial
// inventory that a later, complete gather would not recalculate. Other failures are warnings.
template <typename T>
bool take(Result<std::vector<T>> listing, const std::string& what, const std::string& type,
          std::vector<T>& sink, std::set<std::string>& failed_types, Fetched& f,
          std::string& transient_failure) {
  if (!listing) {
    if (gave_up_retrying(listing.error())) {
      if (transient_failure.empty()) transient_failure = what + ": " + listing.error();
    } else {
      f.warnings.push_back(what + ": " + listing.error());
    }
    failed_types.insert(type);
    return false;
  }
  for (auto& item : *listing) sink.push_back(std::move(item));
  return true;
}

Result<Fetched> fetch(CcloudApi& api, const ecosystems::DateWindow& window) {
  namespace rt = resource_type;
  namespace it = identity_type;
  Fetched f;
  std::vector<Resource> resources;
  std::vector<Identity> identities;
  std::set<std::string> failed;
  std::string transient;  // see take()

  // The organisation and its environments frame everything else: without them, fail.
  auto orgs = api.organizations();
  if (!orgs) return Status::error("organizations: " + orgs.error());
  std::string org_id = orgs->empty() ? "" : orgs->front().id;
  auto envs = api.environments(org_id);
  if (!envs) return Status::error("environments: " + envs.error());
  resources.insert(resources.end(), orgs->begin(), orgs->end());
  resources.insert(resources.end(), envs->begin(), envs->end());

  std::vector<Resource> pools;
  for (const auto& env : *envs) {
    std::vector<Resource> clusters;
    take(api.kafka_clusters(env.id), "kafka clusters of " + env.id, rt::kKafkaCluster, clusters,
         failed, f, transient);
    for (const auto& cluster : clusters) {
      take(api.connectors(env.id, cluster.id), "connectors of " + cluster.id, rt::kConnector,
           resources, failed, f, transient);
    }
    resources.insert(resources.end(), clusters.begin(), clusters.end());
    take(api.schema_registries(env.id), "schema registries of " + env.id, rt::kSchemaRegistry,
         resources, failed, f, transient);
    take(api.ksqldb_clusters(env.id), "ksqlDB clusters of " + env.id, rt::kKsqldbCluster, resources,
         failed, f, transient);
    take(api.flink_compute_pools(env.id), "Flink compute pools of " + env.id, rt::kFlinkComputePool,
         pools, failed, f, transient);
  }
  take(api.flink_statements(pools), "Flink statements", rt::kFlinkStatement, resources, failed, f,
       transient);
  resources.insert(resources.end(), pools.begin(), pools.end());

  take(api.service_accounts(), "service accounts", it::kServiceAccount, identities, failed, f,
       transient);
  take(api.users(), "users", it::kUser, identities, failed, f, transient);
  take(api.api_keys(), "API keys", it::kApiKey, identities, failed, f, transient);
  std::vector<Identity> providers;
  if (take(api.identity_providers(), "identity providers", it::kIdentityProvider, providers, failed,
           f, transient)) {
    for (const auto& p : providers) {
      take(api.identity_pools(p.id), "identity pools of " + p.id, it::kIdentityPool, identities,
           failed, f, transient);
    }
  } else {
    failed.insert(it::kIdentityPool);
  }
  identities.insert(identities.end(), providers.begin(), providers.end());

  if (!transient.empty()) return Status::error(transient);
  // Billing is what the whole pipeline is for: without it, fail.
  auto lines = api.billing_lines(window.start, window.end);
  if (!lines) return Status::error("billing: " + lines.error());

  for (const auto* type :
       {rt::kOrganization, rt::kEnvironment, rt::kKafkaCluster, rt::kConnector, rt::kSchemaRegistry,
        rt::kKsqldbCluster, rt::kFlinkComputePool, rt::kFlinkStatement}) {
    if (!failed.count(type)) f.complete_resource_types.insert(type);
  }
  for (const auto* type :
       {it::kServiceAccount, it::kUser, it::kApiKey, it::kIdentityProvider, it::kIdentityPool}) {
    if (!failed.count(type)) f.complete_identity_types.insert(type);
  }
  // A listing may name one object twice (e.g. across pages that shifted): keep the last.
  std::map<std::string, storage::ResourceRecord> unique_resources;
  for (const auto& r : resources) unique_resources[r.id] = to_record(r);
  for (auto& [id, r] : unique_resources) f.resources.push_back(std::move(r));
  std::map<std::string, storage::IdentityRecord> unique_identities;
  for (const auto& i : identities) unique_identities[i.id] = to_record(i);
  for (auto& [id, i] : unique_identities) f.identities.push_back(std::move(i));
  for (const auto& l : *lines) f.billing.push_back(to_record(l));
  return f;
}

class ConfluentCloud final : public ecosystems::Ecosystem {
 public:
  ConfluentCloud(CcloudSettings settings, allocation::Registry registry)
      : settings_(std::move(settings)), registry_(std::move(registry)) {}

  const ecosystems::CommonSettings& common() const override { return settings_; }
  const allocation::Registry& registry() const override { return registry_; }

  Result<ecosystems::GatherBatch> gather(const ecosystems::DateWindow& window) override {
    if (!api_) {
      auto api = CcloudApi::create(settings_);
      if (!api) return api.status();
      api_ = std::move(*api);
      api_->set_stop(stop_);
    }
    return fetch(*api_, window);
  }

  Result<ecosystems::MetricSeriesFetcher> metrics(int workers) override {
    if (!settings_.metrics) return ecosystems::MetricSeriesFetcher{};
    ecosystems::QueryCatalogue catalogue;
    namespace q = metric_queries;
    for (const auto* query :
         {&q::kBytesIn, &q::kBytesOut, &q::kFlinkCfuPrimary, &q::kFlinkCfuFallback}) {
      catalogue[query->key] = {*query, ""};
    }
    return ecosystems::prometheus_fetcher(*settings_.metrics, std::move(catalogue), workers,
                                          settings_.metrics_step_seconds, stop_);
  }

  void set_stop(const StopToken& stop) override {
    stop_ = stop;
    if (api_) api_->set_stop(stop);
    if (telemetry_) telemetry_->set_stop(stop);
  }

  topics::TopicSettings topic_settings() const override {
    // Validated when the config was loaded; a block that fails here counts as disabled.
    auto parsed =
        topics::parse_topic_settings(settings_.topic_attribution, settings_.metrics.has_value());
    if (!parsed.errors.empty()) return {};
    return parsed.settings;
  }

  // Per-topic series of the telemetry API (one request at a time, on the caller's thread).
  topics::TopicMetricsFetcher topic_metrics() override {
    if (!settings_.metrics) return {};
    return [this](const std::string& metric, const std::string& cluster, std::int64_t start,
                  std::int64_t end, std::int64_t step) -> Result<std::vector<topics::TopicSeries>> {
      if (!telemetry_) {
        auto created = TelemetryClient::create(*settings_.metrics);
        if (!created) return created.status();
        telemetry_ = std::move(*created);
        telemetry_->set_stop(stop_);
      }
      const MetricQuery query{metric,
                              "sum by (kafka_id, topic) (" + metric + "{})",
                              {"kafka_id", "topic"},
                              "kafka_id",
                              QueryMode::range};
      auto fetched = telemetry_->query_range_series(query, cluster, start, end, step);
      if (!fetched) return fetched.status();
      std::vector<topics::TopicSeries> out;
      out.reserve(fetched->size());
      for (const auto& s : *fetched) {
        topics::TopicSeries& one = out.emplace_back();
        if (auto t = s.labels.find("topic"); t != s.labels.end()) one.topic = t->second;
        one.values.reserve(s.samples.size());
        for (const auto& sample : s.samples) one.values.push_back(sample.value);
      }
      return out;
    };
  }

 private:
  CcloudSettings settings_;
  allocation::Registry registry_;
  std::unique_ptr<CcloudApi> api_;
  std::unique_ptr<TelemetryClient> telemetry_;  // for topic_metrics()
};

std::vector<ecosystems::SettingsProblem> validate(const nlohmann::json& plugin_settings) {
  auto parsed = parse_ccloud_settings(plugin_settings);
  std::vector<ecosystems::SettingsProblem> errors = parsed.errors;
  if (!parsed.settings) return errors;
  // An allocator name the engine does not know would only fail at the first run: say so now.
  for (const auto& [product_type, name] : parsed.settings->allocator_overrides) {
    if (allocation::builtin_allocators().count(name) != 0) continue;
    std::string known;
    for (const auto& entry : allocation::builtin_allocators()) {
      known += (known.empty() ? "" : ", ") + entry.first;
    }
    errors.push_back({"allocator_overrides." + product_type,
                      "unknown allocator '" + name + "' (known: " + known + ")"});
  }
  return errors;
}

Result<std::unique_ptr<ecosystems::Ecosystem>> create(const config::TenantConfig& tenant) {
  auto parsed = parse_ccloud_settings(tenant.plugin_settings);
  if (!parsed.settings) {
    // Validated at load time already; this only guards a caller that skipped validation.
    const auto& e = parsed.errors.front();
    return Status::error("plugin_settings." + e.path + ": " + e.message);
  }
  auto registry = allocation::Registry::confluent_cloud().with_allocator_overrides(
      parsed.settings->allocator_overrides);
  if (!registry) return Status::error("allocator_overrides: " + registry.error());
  return std::unique_ptr<ecosystems::Ecosystem>(
      new ConfluentCloud(std::move(*parsed.settings), std::move(*registry)));
}

}  // namespace

ecosystems::EcosystemKind ecosystem_kind() { return {"confluent_cloud", &validate, &create}; }

}  // namespace chitragupt::ccloud
