#pragma once
// ResolutionCache: identity resolutions shared by the billing lines that would resolve the same
// way. The lines of one resource and day (a Kafka cluster's CKU, network read and write,
// partition and storage lines) each ran the same resolver over the same inventory, and with
// metrics whose principals are the same; the resolution is the most expensive part of
// allocating such a line. With a cache in LineInputs, allocate_line resolves once per distinct
// (handler, resource, window, principals) and every line reads that one resolution.
//
// A resolver that does not read metric rows (Handler::reads_metric_rows) sees of the metrics
// only the index's principals, so two lines with equal principals get equal resolutions; a
// resolver that does (Flink) is never cached. The cache must serve one inventory (the vectors in
// LineInputs) only, and keeps the resolutions of the last resource it was asked about: callers
// that allocate lines grouped by resource (the calculate stage) hold a handful at a time.

#include <memory>
#include <string>
#include <vector>

#include "allocation/identity_resolution.hpp"
#include "allocation/time_window.hpp"

namespace chitragupt::allocation {

struct Handler;

class ResolutionCache {
 public:
  struct Entry {
    IdentityResolution resolution;
    bool tenant_period_filled = false;  // resolution.tenant_period has been made
  };

  // The cached resolution for these inputs, resolved by `handler` on first use; null when the
  // handler reads metric rows (the caller resolves the line itself).
  Entry* resolve(const Handler& handler, const ResolveInputs& in);

  // Resolutions actually computed, and lines served from the cache (for tests and benchmarks).
  std::size_t misses() const { return misses_; }
  std::size_t hits() const { return hits_; }

 private:
  struct Slot {
    std::string handler;
    const std::vector<Resource>* resources = nullptr;  // the inventory it was resolved over
    const std::vector<Identity>* identities = nullptr;
    TimeWindow window;
    bool has_metrics = false;             // in.metrics was not null
    std::vector<std::string> principals;  // the metrics index's principals
    std::unique_ptr<Entry> entry;         // stable address while the slot lives
  };

  std::string resource_id_;  // every slot is of this resource
  std::vector<Slot> slots_;
  std::size_t misses_ = 0;
  std::size_t hits_ = 0;
};

}  // namespace chitragupt::allocation
