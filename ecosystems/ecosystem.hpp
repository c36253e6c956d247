#pragma once
// An ecosystem: one kind of platform chitragupt charges back (Confluent Cloud, a self-managed
// Kafka cluster, anything else Prometheus measures). The pipeline and the actors know ecosystems
// only through this interface and the registry below; each one lives in its own folder
// (ecosystems/<name>/), and adding one is that folder plus one line in registry.cpp.
//
// An ecosystem says four things about a tenant of its kind:
//   - whether its plugin_settings are valid (every problem, each with a path);
//   - what a gather brings home for a window of days: resources, identities, billing lines;
//   - how its billing lines are allocated: an allocation::Registry (product type -> handler ->
//     chain of tiers) and the metric queries those rules name;
//   - the settings every ecosystem shares (emitters, refresh gap, granularities, overrides).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "allocation/metric_series.hpp"
#include "allocation/registry.hpp"
#include "common/status.hpp"
#include "common/stop_token.hpp"
#include "config/config.hpp"
#include "ecosystems/settings_reader.hpp"
#include "sources/civil_date.hpp"
#include "storage/records.hpp"
#include "topics/stage.hpp"

namespace chitragupt::ecosystems {

// [start, end) in whole UTC days: what one gather covers.
struct DateWindow {
  ccloud::CivilDate start;  // inclusive
  ccloud::CivilDate end;    // exclusive
};

// What one gather fetched, before anything is written (the pipeline writes it whole, in one
// transaction). Only types listed as complete take part in deletion detection.
struct GatherBatch {
  std::vector<storage::ResourceRecord> resources;
  std::vector<storage::IdentityRecord> identities;
  std::set<std::string> complete_resource_types;
  std::set<std::string> complete_identity_types;
  std::vector<storage::BillingRecord> billing;
  std::vector<std::string> warnings;  // listings that failed without failing the gather
};

// Usage metrics for the calculate stage: the series of `metric_keys` for one resource over
// [start, end). An error when the source failed. Each series names its charged identity in the
// label `principal_id`, whatever the source calls it.
using MetricSeriesFetcher = std::function<Result<std::vector<allocation::MetricSeries>>(
    const std::vector<std::string>& metric_keys, const std::string& resource_id, std::int64_t start,
    std::int64_t end)>;

// One tenant's ecosystem, made from its (validated) config. Not thread-safe, except the
// fetcher metrics() returns, which serves `workers` callers at once.
class Ecosystem {
 public:
  virtual ~Ecosystem() = default;
  virtual const CommonSettings& common() const = 0;
  // Resources, identities and billing lines for the window. An error fails the gather.
  virtual Result<GatherBatch> gather(const DateWindow& window) = 0;
  // The allocation rules, allocator_overrides applied.
  virtual const allocation::Registry& registry() const = 0;
  // The metrics source for the calculate stage; an empty function when there is none.
  virtual Result<MetricSeriesFetcher> metrics(int workers) = 0;
  // Topic attribution (topics/): the tenant's settings (disabled where the ecosystem has none)
  // and its per-topic metrics source (an empty function: none).
  virtual topics::TopicSettings topic_settings() const { return {}; }
  virtual topics::TopicMetricsFetcher topic_metrics() { return {}; }
  // The stop every upstream client of the ecosystem obeys from now on, those it makes later
  // included (each run binds its own: the process's stop, the tenant's and the run's deadline).
  // Sources made by metrics() take the stop of their making.
  virtual void set_stop(const StopToken& stop) { stop_ = stop; }

 protected:
  StopToken stop_;
};

// One kind of ecosystem, by name.
struct EcosystemKind {
  std::string name;
  std::function<std::vector<SettingsProblem>(const nlohmann::json& plugin_settings)> validate;
  std::function<Result<std::unique_ptr<Ecosystem>>(const config::TenantConfig&)> create;
};

// The kind of an ecosystem whose settings parse with `parse(json)` (a result with `settings` and
// `errors`), whose rules are `cost_model(settings)` (allocator_overrides are applied and checked
// here) and whose tenants are `Impl(settings, registry)`.
template <typename Impl, typename Parse, typename CostModel>
EcosystemKind make_kind(std::string name, Parse parse, CostModel cost_model) {
  auto rules = [cost_model](const auto& settings) {
    return cost_model(settings).with_allocator_overrides(settings.allocator_overrides);
  };
  EcosystemKind kind;
  kind.name = std::move(name);
  kind.validate = [parse, rules](const nlohmann::json& plugin_settings) {
    auto parsed = parse(plugin_settings);
    std::vector<SettingsProblem> errors = parsed.errors;
    if (!parsed.settings) return errors;
    auto registry = rules(*parsed.settings);
    if (!registry) errors.push_back({"allocator_overrides", registry.error()});
    return errors;
  };
  kind.create = [parse,
                 rules](const config::TenantConfig& tenant) -> Result<std::unique_ptr<Ecosystem>> {
    auto parsed = parse(tenant.plugin_settings);
    if (!parsed.settings) {
      // Validated at load time already; this only guards a caller that skipped validation.
      const auto& e = parsed.errors.front();
      return Status::error("plugin_settings." + e.path + ": " + e.message);
    }
    auto registry = rules(*parsed.settings);
    if (!registry) return Status::error("allocator_overrides: " + registry.error());
    return std::unique_ptr<Ecosystem>(new Impl(std::move(*parsed.settings), std::move(*registry)));
  };
  return kind;
}

// Every ecosystem the binary knows, by name.
const std::map<std::string, EcosystemKind>& registry();
const EcosystemKind* find(const std::string& name);

// Registers each ecosystem's validator with the config code (call once at start-up, before any
// configuration is loaded): an ecosystem name not in registry() then fails validation.
void register_validators();

// Creates the tenant's ecosystem; an error for an ecosystem the binary does not know.
Result<std::unique_ptr<Ecosystem>> create(const config::TenantConfig& tenant);

}  // namespace chitragupt::ecosystems
