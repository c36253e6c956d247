#include "pipeline/gather.hpp"

#include <cstdio>
#include <ctime>
#include <optional>
#include <set>

#include <spdlog/spdlog.h>

#include "sources/http_client.hpp"
#include "storage/billing_store.hpp"
#include "storage/inventory_store.hpp"
#include "storage/utc_time.hpp"

namespace chitragupt::pipeline {
namespace {

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

Result<GatherReport> write(const ecosystems::GatherBatch& f, const GatherTarget& target,
                           const GatherWindow& window, ZeroGatherGuard* guard) {
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

Result<GatherReport> gather_ecosystem(ecosystems::Ecosystem& ecosystem, const GatherTarget& target,
                                      const GatherWindow& window, ZeroGatherGuard* guard) {
  auto fetched = ecosystem.gather(window);
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
