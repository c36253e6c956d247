#pragma once
// The cost model as a registry (STYLE.md): product type -> handler (which identities a line
// involves) -> allocator (how its money is split). Everything here is data; changing a rule
// means changing one table entry in registry.cpp or allocators.cpp.

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "allocation/allocators.hpp"
#include "allocation/identity_resolution.hpp"
#include "common/status.hpp"

namespace chitragupt::allocation {

using Resolver = std::function<IdentityResolution(const ResolveInputs&)>;

struct Handler {
  std::string name;  // kafka, schema_registry, connector, ksqldb, flink, org_wide, default
  // Resource types this handler gathers. Their union decides which resources count for the
  // active fraction of a line (the original looked the line's resource up among them).
  std::vector<std::string> resource_types;
  // Sees the window only through which inventory entries are alive in it (alive_in_window):
  // ResolutionCache shares one resolution between windows in which the whole inventory is
  // alive.
  Resolver resolve;
  // Whether the resolver reads the metric rows themselves (Flink: compute pool and statement
  // labels). The others read only the MetricsIndex, so a caller holding the index may pass
  // them an empty row vector (LineInputs::metrics).
  bool reads_metric_rows = false;
};

struct ProductRule {
  std::string product_type;              // line_type of the billing API, e.g. KAFKA_NUM_CKU
  std::string handler;                   // Handler::name
  std::string allocator;                 // a builtin_allocators() name
  std::vector<std::string> metric_keys;  // metrics the collector fetches for such lines
};

class Registry {
 public:
  // The Confluent Cloud cost model of the reference's rule table; unknown product types fall
  // back to the `unknown` allocator.
  static const Registry& confluent_cloud();

  // Another ecosystem's cost model: its handlers, its rules, and allocators of its own (one per
  // chain, by chain name) beside the built-in ones; product types without a rule go to
  // `fallback_allocator`.
  static Registry make(std::vector<Handler> handlers, std::vector<ProductRule> rules,
                       std::vector<Chain> chains, std::string fallback_allocator);

  // A copy where `allocator_overrides` (product type -> built-in allocator name) replace the
  // table's allocators. An unknown allocator name is an error; a product type the table does
  // not know is added with the `default` handler (no identities), so an operator can route a
  // new line type without waiting for a release.
  Result<Registry> with_allocator_overrides(
      const std::map<std::string, std::string>& allocator_overrides) const;

  // Null when the product type has no rule (then fallback_allocator() applies).
  const ProductRule* rule(const std::string& product_type) const;
  const Handler* handler(const std::string& name) const;
  const Allocator* allocator(const std::string& name) const;
  // The chain behind an allocator of this registry or a built-in one; null if none.
  const Chain* chain(const std::string& allocator_name) const;
  const std::string& fallback_allocator() const { return fallback_allocator_; }
  const std::set<std::string>& gathered_resource_types() const { return gathered_types_; }
  const std::map<std::string, ProductRule>& rules() const { return rules_; }

 private:
  Registry() = default;
  std::map<std::string, ProductRule> rules_;
  std::map<std::string, Handler> handlers_;
  std::set<std::string> gathered_types_;
  std::map<std::string, Chain> chains_;          // this registry's own
  std::map<std::string, Allocator> allocators_;  // one per chain of chains_
  std::string fallback_allocator_;
};

}  // namespace chitragupt::allocation
