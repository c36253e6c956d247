#include "ecosystems/self_managed_kafka/ecosystem.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <map>
#include <set>

#include "allocation/labels.hpp"
#include "allocation/metrics_index.hpp"
#include "ecosystems/metric_cost.hpp"
#include "ecosystems/self_managed_kafka/admin_api.hpp"
#include "ecosystems/self_managed_kafka/identities.hpp"
#include "sources/prometheus_client.hpp"
#include "storage/utc_time.hpp"

namespace chitragupt::ecosystems::self_managed_kafka {
namespace {

using allocation::CostType;
using allocation::Recipients;
namespace labels = allocation::labels;

constexpr const char* kEcosystem = "self_managed_kafka";
constexpr const char* kBytesInPerPrincipal = "bytes_in_per_principal";
constexpr const char* kBytesOutPerPrincipal = "bytes_out_per_principal";

// increase() over one step: with the original's fixed [1h], a step under an hour summed
// overlapping hours and inflated network quantities by 3600/step (reference §7, 1).
std::string increase(const std::string& counter, int64_t step_seconds) {
  return "increase(" + counter + "[" + std::to_string(step_seconds) + "s])";
}

ccloud::MetricQuery query(std::string key, std::string expression,
                          std::vector<std::string> labels) {
  ccloud::MetricQuery q;
  q.key = std::move(key);
  q.expression = std::move(expression);
  q.label_keys = std::move(labels);
  return q;
}

std::string now_timestamp() { return storage::utc_now_timestamp(); }

class SelfManagedKafka final : public Ecosystem {
 public:
  SelfManagedKafka(Settings settings, allocation::Registry registry)
      : settings_(std::move(settings)), registry_(std::move(registry)) {}

  const CommonSettings& common() const override { return settings_; }
  const allocation::Registry& registry() const override { return registry_; }

  Result<MetricSeriesFetcher> metrics(int workers) override {
    if (!settings_.identity.uses_prometheus()) return MetricSeriesFetcher{};
    return prometheus_fetcher(settings_.metrics, allocation_queries(settings_.metrics_step_seconds),
                              workers, settings_.metrics_step_seconds, stop_);
  }

  Result<GatherBatch> gather(const DateWindow& window) override {
    if (!client_) {
      auto client = ccloud::TelemetryClient::create(settings_.metrics);
      if (!client) return client.status();
      client_ = std::move(*client);
    }
    client_->set_stop(stop_);
    GatherBatch batch;
    auto discovered = discover(batch);
    if (!discovered) return discovered;
    auto billed = bill(window, batch);
    if (!billed) return billed;
    return batch;
  }

 private:
  // Resources and identities (§4.3). Discovery failures are warnings (their types then skip
  // deletion detection); only the cluster itself is always known.
  Status discover(GatherBatch& batch) {
    const std::string now = now_timestamp();
    storage::ResourceRecord cluster;
    cluster.resource_id = settings_.cluster_id;
    cluster.resource_type = "cluster";
    cluster.display_name = settings_.cluster_id;
    cluster.region = settings_.region;
    nlohmann::json meta = {{"broker_count", settings_.broker_count}};
    cluster.metadata_json = meta.dump();
    batch.resources.push_back(cluster);
    batch.complete_resource_types.insert("cluster");

    std::set<std::string> brokers, topics, principals;
    bool prometheus_ok = false;
    const bool need_prometheus = settings_.resource_source == ResourceSource::prometheus ||
                                 settings_.identity.uses_prometheus();
    if (need_prometheus) {
      const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
      auto series =
          client_->query_instant(discovery_query(settings_.discovery_window_hours), "", now);
      if (!series) {
        batch.warnings.push_back("discovery from Prometheus: " + series.error());
      } else {
        prometheus_ok = true;
        for (const auto& s : *series) {  // one row per series of an instant query
          auto put = [&](const char* label, std::set<std::string>& into) {
            auto it = s.labels.find(label);
            if (it != s.labels.end() && !it->second.empty()) into.insert(it->second);
          };
          put("broker", brokers);
          put("topic", topics);
          put("principal", principals);
        }
      }
    }

    if (settings_.resource_source == ResourceSource::admin_api) {
      auto listed = describe_cluster(settings_.admin_api);
      if (!listed) {
        batch.warnings.push_back("Kafka Admin API: " + listed.error());
      } else {
        for (const auto& b : listed->brokers) add_broker(batch, b.id, b.display_name, now);
        for (const auto& t : listed->topics) add_topic(batch, t);
        batch.complete_resource_types.insert({"broker", "topic"});
      }
    } else {
      for (const auto& b : brokers) add_broker(batch, b, b, now);
      for (const auto& t : topics) add_topic(batch, t);
      if (prometheus_ok) batch.complete_resource_types.insert({"broker", "topic"});
    }

    // Principals found now (decided every gather: the original fixed it at start-up, so an
    // outage at boot disabled them until a restart -- reference §7, 6).
    if (settings_.identity.uses_prometheus()) {
      for (const auto& p : principals) {
        batch.identities.push_back(principal_identity(settings_.identity, p, true));
      }
      if (prometheus_ok) batch.complete_identity_types.insert("principal");
    }
    for (auto& s : static_identities(settings_.identity, principals.empty())) {
      batch.identities.push_back(std::move(s));
    }
    return Status::ok();
  }

  void add_broker(GatherBatch& batch, const std::string& id, const std::string& display,
                  const std::string& now) {
    storage::ResourceRecord r;
    r.resource_id = settings_.cluster_id + ":broker:" + id;
    r.resource_type = "broker";
    r.display_name = display;
    r.parent_id = settings_.cluster_id;
    r.region = settings_.region;
    r.metadata_json =
        nlohmann::json({{"cluster_id", settings_.cluster_id}, {"broker_id", id}}).dump();
    (void)now;
    batch.resources.push_back(std::move(r));
  }

  void add_topic(GatherBatch& batch, const std::string& topic) {
    storage::ResourceRecord r;
    r.resource_id = settings_.cluster_id + ":topic:" + topic;
    r.resource_type = "topic";
    r.display_name = topic;
    r.parent_id = settings_.cluster_id;
    r.region = settings_.region;
    r.metadata_json = nlohmann::json({{"cluster_id", settings_.cluster_id}}).dump();
    batch.resources.push_back(std::move(r));
  }

  // Cost lines of every whole UTC day of the window (§4.4): one range query per metric over the
  // window, each sample counted in the day its timestamp falls in (half-open days: a sample on
  // midnight belongs to the day it starts -- reference §7, 3).
  Status bill(const DateWindow& window, GatherBatch& batch) {
    const int64_t step = settings_.metrics_step_seconds;
    const int64_t start = window.start.epoch_seconds();
    const int64_t end = window.end.epoch_seconds();
    if (end <= start) return Status::ok();
    const std::vector<ccloud::MetricQuery> queries = {
        query("cluster_bytes_in",
              "sum(" + increase("kafka_server_brokertopicmetrics_bytesin_total", step) + ")", {}),
        query("cluster_bytes_out",
              "sum(" + increase("kafka_server_brokertopicmetrics_bytesout_total", step) + ")", {}),
        query("cluster_storage_bytes", "sum(kafka_log_log_size)", {}),
    };
    std::map<int64_t, DaySamples> days;  // day start -> samples
    for (std::size_t k = 0; k < queries.size(); ++k) {
      auto series = client_->query_range_series(queries[k], "", start, end - step, step);
      if (!series) return Status::error("cost query " + queries[k].key + ": " + series.error());
      for (const auto& s : *series) {
        for (const auto& sample : s.samples) {
          if (sample.timestamp < start || sample.timestamp >= end) continue;
          DaySamples& d = days[sample.timestamp - ((sample.timestamp - start) % 86400)];
          (k == 0 ? d.bytes_in : k == 1 ? d.bytes_out : d.storage_bytes).push_back(sample.value);
        }
      }
    }
    for (auto day = window.start; day < window.end; day = day.plus_days(1)) {
      auto it = days.find(day.epoch_seconds());
      if (it == days.end()) {
        // Not a failure: a cluster younger than the window, or Prometheus retention shorter.
        spdlog::info("event=no_cluster_metrics cluster={} date={} (no cost lines for that day)",
                     settings_.cluster_id, day.to_string());
        continue;
      }
      for (auto& line : day_lines(settings_, day, 24, it->second)) {
        batch.billing.push_back(std::move(line));
      }
    }
    return Status::ok();
  }

  Settings settings_;
  allocation::Registry registry_;
  std::unique_ptr<ccloud::TelemetryClient> client_;
};

}  // namespace

ccloud::MetricQuery discovery_query(int64_t window_hours) {
  return query("combined_discovery",
               "group by (broker, topic, principal) "
               "(last_over_time(kafka_server_brokertopicmetrics_bytesin_total[" +
                   std::to_string(window_hours) + "h]))",
               {"broker", "topic", "principal"});
}

QueryCatalogue allocation_queries(int64_t step_seconds) {
  QueryCatalogue out;
  out[kBytesInPerPrincipal] = {
      query(kBytesInPerPrincipal,
            "sum by (principal) (" +
                increase("kafka_server_brokertopicmetrics_bytesin_total", step_seconds) + ")",
            {"principal"}),
      "principal"};
  out[kBytesOutPerPrincipal] = {
      query(kBytesOutPerPrincipal,
            "sum by (principal) (" +
                increase("kafka_server_brokertopicmetrics_bytesout_total", step_seconds) + ")",
            {"principal"}),
      "principal"};
  return out;
}

allocation::Registry cost_model(const Settings& settings) {
  using allocation::Chain;
  using allocation::even_split_tier;
  using allocation::terminal_tier;
  using allocation::usage_ratio_tier;
  const std::vector<std::string> both = {kBytesInPerPrincipal, kBytesOutPerPrincipal};
  const auto unallocated = terminal_tier(Recipients::kUnallocated);
  std::vector<Chain> chains = {
      Chain{"smk_capacity",
            {even_split_tier(Recipients::kMetricsDerived, CostType::kUsage, std::nullopt),
             even_split_tier(Recipients::kResourceActive, CostType::kShared,
                             labels::kNoActiveIdentitiesLocated),
             unallocated}},
      Chain{"smk_network_ingress",
            {usage_ratio_tier({kBytesInPerPrincipal}),
             even_split_tier(Recipients::kResourceActive, CostType::kShared,
                             labels::kNoMetricsLocated),
             unallocated}},
      Chain{"smk_network_egress",
            {usage_ratio_tier({kBytesOutPerPrincipal}),
             even_split_tier(Recipients::kResourceActive, CostType::kShared,
                             labels::kNoMetricsLocated),
             unallocated}},
  };
  const std::vector<std::string> keys =
      settings.identity.uses_prometheus() ? both : std::vector<std::string>{};
  std::vector<allocation::ProductRule> rules = {
      {kCompute, "kafka", "smk_capacity", keys},
      {kStorage, "kafka", "smk_capacity", keys},
      {kIngress, "kafka", "smk_network_ingress", keys},
      {kEgress, "kafka", "smk_network_egress", keys},
  };
  allocation::Handler kafka{"kafka",
                            {"cluster", "broker", "topic"},
                            principal_resolver(settings.identity, kEcosystem),
                            false};
  allocation::Handler none{"default", {}, &allocation::resolve_no_identities, false};
  return allocation::Registry::make({kafka, none}, rules, chains, "unknown");
}

std::vector<storage::BillingRecord> day_lines(const Settings& settings,
                                              const ccloud::CivilDate& day, int hours,
                                              const DaySamples& samples) {
  const Rates r = settings.effective_rates();
  const std::string h = std::to_string(hours);
  auto line = [&](const char* type, const std::string& quantity, const std::string& price) {
    storage::BillingRecord l = daily_line(day, settings.cluster_id, type, "kafka", quantity, price);
    return l;
  };
  return {
      line(kCompute, std::to_string(settings.broker_count * hours), r.compute_hourly_rate),
      line(kStorage, mean_gib_hours(samples.storage_bytes, hours), r.storage_per_gib_hourly),
      line(kIngress, sum_gib(samples.bytes_in), r.network_ingress_per_gib),
      line(kEgress, sum_gib(samples.bytes_out), r.network_egress_per_gib),
  };
}

EcosystemKind ecosystem_kind() {
  return make_kind<SelfManagedKafka>(kEcosystem, &parse_settings, &cost_model);
}

}  // namespace chitragupt::ecosystems::self_managed_kafka
