#include "allocation/resolution_cache.hpp"

#include <optional>

#include "allocation/metrics_index.hpp"
#include "allocation/registry.hpp"

namespace chitragupt::allocation {

ResolutionCache::Entry* ResolutionCache::resolve(const Handler& handler, const ResolveInputs& in) {
  if (handler.reads_metric_rows) return nullptr;
  if (in.resource_id != resource_id_) {
    slots_.clear();
    resource_id_ = in.resource_id;
  }
  // The principals the resolver would see: the given index's, or one made from the rows.
  static const std::vector<std::string> kNone;
  std::optional<MetricsIndex> local;
  const std::vector<std::string>* principals = &kNone;
  if (in.metrics != nullptr) {
    principals = in.metrics_index ? &in.metrics_index->principals()
                                  : &local.emplace(*in.metrics).principals();
  }
  const bool has_metrics = in.metrics != nullptr;
  for (Slot& slot : slots_) {
    if (slot.handler == handler.name && slot.resources == &in.resources &&
        slot.identities == &in.identities && slot.window.start == in.window.start &&
        slot.window.end == in.window.end && slot.has_metrics == has_metrics &&
        slot.principals == *principals) {
      ++hits_;
      return slot.entry.get();
    }
  }
  ++misses_;
  Slot slot;
  slot.handler = handler.name;
  slot.resources = &in.resources;
  slot.identities = &in.identities;
  slot.window = in.window;
  slot.has_metrics = has_metrics;
  slot.principals = *principals;
  slot.entry = std::make_unique<Entry>();
  slot.entry->resolution = handler.resolve(in);
  slots_.push_back(std::move(slot));
  return slots_.back().entry.get();
}

}  // namespace chitragupt::allocation
