#include "allocation/resolution_cache.hpp"

#include <algorithm>
#include <optional>

#include "allocation/metrics_index.hpp"
#include "allocation/registry.hpp"

namespace chitragupt::allocation {

void ResolutionCache::clear() {
  slots_.clear();
  size_ = 0;
  alive_windows_.clear();
  alive_resources_ = nullptr;
  alive_identities_ = nullptr;
}

bool ResolutionCache::whole_inventory_alive(const ResolveInputs& in) {
  if (alive_resources_ != &in.resources || alive_identities_ != &in.identities) {
    alive_windows_.clear();
    alive_resources_ = &in.resources;
    alive_identities_ = &in.identities;
  }
  auto [it, fresh] = alive_windows_.try_emplace({in.window.start, in.window.end}, false);
  if (fresh) {
    it->second = std::all_of(in.resources.begin(), in.resources.end(),
                             [&](const Resource& r) {
                               return alive_in_window(r.created_at, r.deleted_at, in.window);
                             }) &&
                 std::all_of(in.identities.begin(), in.identities.end(), [&](const Identity& i) {
                   return alive_in_window(i.created_at, i.deleted_at, in.window);
                 });
  }
  return it->second;
}

ResolutionCache::Entry* ResolutionCache::resolve(const Handler& handler, const ResolveInputs& in) {
  if (handler.reads_metric_rows) return nullptr;
  // The principals the resolver would see: the given index's, or one made from the rows.
  static const std::vector<std::string> kNone;
  std::optional<MetricsIndex> local;
  const std::vector<std::string>* principals = &kNone;
  if (in.metrics != nullptr) {
    principals = in.metrics_index ? &in.metrics_index->principals()
                                  : &local.emplace(*in.metrics).principals();
  }
  const bool has_metrics = in.metrics != nullptr;
  const bool whole_alive = whole_inventory_alive(in);
  for (auto it = slots_.begin(); it != slots_.end(); ++it) {
    const Slot& slot = *it;
    if (slot.resource_id != in.resource_id || slot.handler != handler.name ||
        slot.resources != &in.resources || slot.identities != &in.identities ||
        slot.has_metrics != has_metrics || slot.whole_inventory_alive != whole_alive) {
      continue;
    }
    if (!whole_alive &&
        (slot.window.start != in.window.start || slot.window.end != in.window.end)) {
      continue;
    }
    if (slot.principals != *principals) continue;
    ++hits_;
    slots_.splice(slots_.begin(), slots_, it);  // now the most recently used
    return slots_.front().entry.get();
  }
  ++misses_;
  Slot slot;
  slot.handler = handler.name;
  slot.resource_id = in.resource_id;
  slot.resources = &in.resources;
  slot.identities = &in.identities;
  slot.whole_inventory_alive = whole_alive;
  slot.window = in.window;
  slot.has_metrics = has_metrics;
  slot.principals = *principals;
  slot.entry = std::make_unique<Entry>();
  slot.entry->resolution = handler.resolve(in);
  const IdentityResolution& r = slot.entry->resolution;
  // The tenant period a line may add later is bounded by the inventory's identities.
  slot.size = 1 + slot.principals.size() + r.resource_active.size() + r.metrics_derived.size() +
              r.api_key_to_owner.size() + r.stmt_owner_cfu.size();
  while (!slots_.empty() && size_ + slot.size > kBudget) {
    size_ -= slots_.back().size;
    slots_.pop_back();
  }
  size_ += slot.size;
  slots_.push_front(std::move(slot));
  return slots_.front().entry.get();
}

}  // namespace chitragupt::allocation
