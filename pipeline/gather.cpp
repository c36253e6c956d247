#include "pipeline/gather.hpp"

#include <cstdio>
#include <ctime>
#include <optional>
#include <set>

#include <spdlog/spdlog.h>

#include "ccloud/http_client.hpp"
#include "storage/billing_store.hpp"
#include "storage/inventory_store.hpp"
#include "storage/utc_time.hpp"

namespace chitragupt::pipeline {
namespace {

std::string metadata_text(const nlohmann::json& metadata) {
  if (metadata.is_null() || (metadata.is_object() && metadata.empty())) return "";
  return metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string text_field(const nlohmann::json& metadata, const char* key) {
  if (!metadata.is_object() || !metadata.contains(key) || !metadata[key].is_string()) return "";
  return metadata[key].get<std::string>();
}

storage::ResourceRecord to_record(const ccloud::Resource& r) {
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

storage::IdentityRecord to_record(const ccloud::Identity& i) {
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

storage::BillingRecord to_record(const ccloud::BillingLine& l) {
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

// What one gather fetched, before anything is written.
struct Fetched {
  std::vector<storage::ResourceRecord> resources;
  std::vector<storage::IdentityRecord> identities;
  std::set<std::string> complete_resource_types;  // listings that fully succeeded
  std::set<std::string> complete_identity_types;
  std::vector<storage::BillingRecord> billing;
  std::vector<std::string> warnings;
  // A listing that failed only because the upstream kept failing (retries exhausted): the
  // gather fails whole instead of committing without it, so that no date is calculated on a
  // partial inventory that a later, complete gather would not recalculate.
  std::string transient_failure;
};

template <typename T>
bool take(Result<std::vector<T>> listing, const std::string& what, const std::string& type,
          std::vector<T>& sink, std::set<std::string>& failed_types, Fetched& f) {
  if (!listing) {
    if (ccloud::gave_up_retrying(listing.error())) {
      if (f.transient_failure.empty()) f.transient_failure = what + ": " + listing.error();
    } else {
      f.warnings.push_back(what + ": " + listing.error());
    }
    failed_types.insert(type);
    return false;
  }
  for (auto& item : *listing) sink.push_back(std::move(item));
  return true;
}

Result<Fetched> fetch(ccloud::CcloudApi& api, const GatherWindow& window) {
  namespace rt = ccloud::resource_type;
  namespace it = ccloud::identity_type;
  Fetched f;
  std::vector<ccloud::Resource> resources;
  std::vector<ccloud::Identity> identities;
  std::set<std::string> failed;

  // The organisation and its environments frame everything else: without them, fail.
  auto orgs = api.organizations();
  if (!orgs) return Status::error("organizations: " + orgs.error());
  std::string org_id = orgs->empty() ? "" : orgs->front().id;
  auto envs = api.environments(org_id);
  if (!envs) return Status::error("environments: " + envs.error());
  resources.insert(resources.end(), orgs->begin(), orgs->end());
  resources.insert(resources.end(), envs->begin(), envs->end());

  std::vector<ccloud::Resource> pools;
  for (const auto& env : *envs) {
    std::vector<ccloud::Resource> clusters;
    take(api.kafka_clusters(env.id), "kafka clusters of " + env.id, rt::kKafkaCluster, clusters,
         failed, f);
    for (const auto& cluster : clusters) {
      take(api.connectors(env.id, cluster.id), "connectors of " + cluster.id, rt::kConnector,
           resources, failed, f);
    }
    resources.insert(resources.end(), clusters.begin(), clusters.end());
    take(api.schema_registries(env.id), "schema registries of " + env.id, rt::kSchemaRegistry,
         resources, failed, f);
    take(api.ksqldb_clusters(env.id), "ksqlDB clusters of " + env.id, rt::kKsqldbCluster, resources,
         failed, f);
    take(api.flink_compute_pools(env.id), "Flink compute pools of " + env.id, rt::kFlinkComputePool,
         pools, failed, f);
  }
  take(api.flink_statements(pools), "Flink statements", rt::kFlinkStatement, resources, failed, f);
  resources.insert(resources.end(), pools.begin(), pools.end());

  take(api.service_accounts(), "service accounts", it::kServiceAccount, identities, failed, f);
  take(api.users(), "users", it::kUser, identities, failed, f);
  take(api.api_keys(), "API keys", it::kApiKey, identities, failed, f);
  std::vector<ccloud::Identity> providers;
  if (take(api.identity_providers(), "identity providers", it::kIdentityProvider, providers, failed,
           f)) {
    for (const auto& p : providers) {
      take(api.identity_pools(p.id), "identity pools of " + p.id, it::kIdentityPool, identities,
           failed, f);
    }
  } else {
    failed.insert(it::kIdentityPool);
  }
  identities.insert(identities.end(), providers.begin(), providers.end());

  if (!f.transient_failure.empty()) return Status::error(f.transient_failure);
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

// The complete types whose missing objects may be marked deleted this time (ZeroGatherGuard).
template <typename Record, typename TypeOf>
std::set<std::string> deletable_types(const std::set<std::string>& complete,
                                      const std::vector<Record>& gathered, TypeOf type_of,
                                      ZeroGatherGuard* guard, const GatherTarget& target) {
  if (guard == nullptr) return complete;
  std::set<std::string> seen_types;
  for (const auto& r : gathered) seen_types.insert(type_of(r));
  auto out = zero_gather_deletable(complete, seen_types, *guard);
  for (const auto& type : complete) {
    if (out.count(type) != 0) continue;
    spdlog::info(
        "tenant={} event=gather_empty_listing_kept type={} empty_gathers={} "
        "zero_gather_deletion_threshold={}",
        target.tenant_name, type, guard->empty_gathers[type], guard->threshold);
  }
  return out;
}

Result<GatherReport> write(const Fetched& f, const GatherTarget& target, const GatherWindow& window,
                           ZeroGatherGuard* guard) {
  GatherReport report;
  report.warnings = f.warnings;
  const std::string now = storage::utc_now_timestamp();
  storage::InventoryStore inventory(target.db, target.ecosystem, target.tenant_id);
  storage::BillingStore billing(target.db, target.ecosystem, target.tenant_id);

  storage::Transaction tx(target.db, storage::TxMode::immediate);
  if (!tx.begin_status()) return tx.begin_status();
  auto res = inventory.upsert_resources(f.resources, now);
  if (!res) return res.status();
  auto ids = inventory.upsert_identities(f.identities, now);
  if (!ids) return ids.status();
  std::set<std::string> seen_resources, seen_identities;
  for (const auto& r : f.resources) seen_resources.insert(r.resource_id);
  for (const auto& i : f.identities) seen_identities.insert(i.identity_id);
  auto gone_r = inventory.mark_missing_resources_deleted(
      deletable_types(
          f.complete_resource_types, f.resources,
          [](const storage::ResourceRecord& r) { return r.resource_type; }, guard, target),
      seen_resources, now);
  if (!gone_r) return gone_r.status();
  auto gone_i = inventory.mark_missing_identities_deleted(
      deletable_types(
          f.complete_identity_types, f.identities,
          [](const storage::IdentityRecord& i) { return i.identity_type; }, guard, target),
      seen_identities, now);
  if (!gone_i) return gone_i.status();
  auto merged = billing.upsert(f.billing);
  if (!merged) return merged.status();

  std::set<std::string> dates;
  for (auto d = window.start; d < window.end; d = d.plus_days(1)) dates.insert(d.to_string());
  if (auto s = billing.mark_gathered(dates, merged->changed_dates); !s) return s;
  if (auto s = tx.commit(); !s) return s;

  report.resources = static_cast<int>(f.resources.size());
  report.identities = static_cast<int>(f.identities.size());
  report.resources_deleted = *gone_r;
  report.identities_deleted = *gone_i;
  report.billing_lines = static_cast<int>(f.billing.size());
  report.billing_inserted = merged->inserted;
  report.billing_revised = merged->revised;
  report.dates_gathered = static_cast<int>(dates.size());
  report.dates_requeued = static_cast<int>(merged->changed_dates.size());
  return report;
}

}  // namespace

std::set<std::string> zero_gather_deletable(const std::set<std::string>& complete,
                                            const std::set<std::string>& gathered_types,
                                            ZeroGatherGuard& guard) {
  std::set<std::string> out;
  for (const auto& type : complete) {
    if (gathered_types.count(type) != 0) {
      guard.empty_gathers.erase(type);
      out.insert(type);
      continue;
    }
    const int empty = ++guard.empty_gathers[type];
    if (guard.threshold >= 0 && empty >= guard.threshold) out.insert(type);
  }
  return out;
}

GatherWindow gather_window(ccloud::CivilDate today, int lookback_days, int cutoff_days) {
  return {today.plus_days(-lookback_days), today.plus_days(-cutoff_days)};
}

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

Result<GatherReport> gather_ccloud(ccloud::CcloudApi& api, const GatherTarget& target,
                                   const GatherWindow& window, ZeroGatherGuard* guard) {
  auto fetched = fetch(api, window);
  if (!fetched) return fetched.status();
  for (const auto& w : fetched->warnings) {
    spdlog::warn("tenant={} event=gather_listing_failed detail={}", target.tenant_name, w);
  }
  // A write that fails keeps nothing, so the empty-listing counts are not advanced either.
  std::optional<ZeroGatherGuard> before;
  if (guard) before = *guard;
  auto report = write(*fetched, target, window, guard);
  if (!report && guard) *guard = *before;
  if (!report)
    return Status::error("writing the gather failed (nothing was kept): " + report.error());
  return report;
}

}  // namespace chitragupt::pipeline
