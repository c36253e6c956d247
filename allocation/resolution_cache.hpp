#pragma once
// ResolutionCache: identity resolutions shared by the billing lines that would resolve the same
// way. The lines of one resource and day (a Kafka cluster's CKU, network read and write,
// partition and storage lines) each ran the same resolver over the same inventory, and with
// metrics whose principals are the same; and from one day to the next a cluster is usually
// used by the same principals again. The resolution is the most expensive part of allocating
// such a line. With a cache in LineInputs, allocate_line resolves once per distinct
// (handler, resource, inventory, window, principals) and every line reads that one resolution.
//
// Why that key is enough:
// - A resolver that does not read metric rows (Handler::reads_metric_rows) sees of the metrics
//   only the index's principals, so lines with equal principals get equal resolutions; a
//   resolver that does (Flink) is never cached.
// - A resolver sees the window only through which inventory entries are alive in it
//   (alive_in_window; see Handler). In a window where every resource and identity of the
//   inventory is alive -- the usual day -- any two such windows give the same resolution, so
//   those share their entries too.
// - The inventory is identified by the vectors' addresses: the caller must not change their
//   contents while the cache holds resolutions made from them (clear() first).
//
// It holds resolutions up to a size budget (kBudget entries: principals, identities and key
// owners, a few hundred bytes each), dropping the least recently used: tens of MiB at most,
// enough to carry a few dozen busy clusters from one date to the next.

#include <cstddef>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "allocation/identity_resolution.hpp"
#include "allocation/time_window.hpp"

namespace chitragupt::allocation {

struct Handler;

class ResolutionCache {
 public:
  static constexpr std::size_t kBudget = 400000;

  struct Entry {
    IdentityResolution resolution;
    bool tenant_period_filled = false;  // resolution.tenant_period has been made
  };

  // The cached resolution for these inputs, resolved by `handler` on first use; null when the
  // handler reads metric rows (the caller resolves the line itself).
  Entry* resolve(const Handler& handler, const ResolveInputs& in);
  // Forgets everything (the inventory's contents are about to change).
  void clear();

  // Resolutions actually computed, and lines served from the cache (for tests and benchmarks).
  std::size_t misses() const { return misses_; }
  std::size_t hits() const { return hits_; }

 private:
  struct Slot {
    std::string handler;
    std::string resource_id;
    const std::vector<Resource>* resources = nullptr;  // the inventory it was resolved over
    const std::vector<Identity>* identities = nullptr;
    bool whole_inventory_alive = false;   // then the window does not matter
    TimeWindow window;                    // else this one
    bool has_metrics = false;             // in.metrics was not null
    std::vector<std::string> principals;  // the metrics index's principals
    std::unique_ptr<Entry> entry;         // stable address while the slot lives
    std::size_t size = 0;                 // what it counts against kBudget
  };

  // Whether every resource and identity of the inventory is alive in the window (memoized).
  bool whole_inventory_alive(const ResolveInputs& in);

  std::list<Slot> slots_;  // most recently used first
  std::map<std::pair<EpochSeconds, EpochSeconds>, bool> alive_windows_;
  const std::vector<Resource>* alive_resources_ = nullptr;  // what alive_windows_ is about
  const std::vector<Identity>* alive_identities_ = nullptr;
  std::size_t size_ = 0;  // of every slot
  std::size_t misses_ = 0;
  std::size_t hits_ = 0;
};

}  // namespace chitragupt::allocation
