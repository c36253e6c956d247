#include "allocation/registry.hpp"

#include <memory>

namespace chitragupt::allocation {

namespace {

std::vector<Handler> ccloud_handlers() {
  return {
      {"kafka", {"environment", "kafka_cluster"}, &resolve_api_key_identities, false},
      {"schema_registry", {"schema_registry"}, &resolve_api_key_identities, false},
      {"connector", {"connector"}, &resolve_connector_identity, false},
      {"ksqldb", {"ksqldb_cluster"}, &resolve_ksqldb_identity, false},
      {"flink", {"flink_compute_pool", "flink_statement"}, &resolve_flink_identity, true},
      {"org_wide", {}, &resolve_no_identities, false},
      {"default", {}, &resolve_no_identities, false},
  };
}

// Reference §3: product type, handler, allocator, metrics fetched for it.
std::vector<ProductRule> ccloud_rules() {
  const std::vector<std::string> kBoth = {"bytes_in", "bytes_out"};
  const std::vector<std::string> kFlink = {"flink_cfu_primary", "flink_cfu_fallback"};
  return {
      {"KAFKA_NUM_CKU", "kafka", "kafka_cku", kBoth},
      {"KAFKA_NUM_CKUS", "kafka", "kafka_cku", kBoth},
      {"KAFKA_NETWORK_READ", "kafka", "kafka_network_read", {"bytes_out"}},
      {"KAFKA_NETWORK_WRITE", "kafka", "kafka_network_write", {"bytes_in"}},
      {"KAFKA_PARTITION", "kafka", "kafka_partition", {}},
      {"KAFKA_BASE", "kafka", "kafka_base", {}},
      {"KAFKA_STORAGE", "kafka", "kafka_base", {}},
      {"SCHEMA_REGISTRY", "schema_registry", "schema_registry", {}},
      {"GOVERNANCE_BASE", "schema_registry", "schema_registry", {}},
      {"NUM_RULES", "schema_registry", "schema_registry", {}},
      {"KSQL_NUM_CSU", "ksqldb", "ksqldb", {}},
      {"KSQL_NUM_CSUS", "ksqldb", "ksqldb", {}},
      {"CONNECT_NUM_TASKS", "connector", "connector_usage", {}},
      {"CONNECT_THROUGHPUT", "connector", "connector_usage", {}},
      {"CUSTOM_CONNECT_NUM_TASKS", "connector", "connector_usage", {}},
      {"CUSTOM_CONNECT_THROUGHPUT", "connector", "connector_usage", {}},
      {"CONNECT_CAPACITY", "connector", "connector_capacity", {}},
      {"CUSTOM_CONNECT_PLUGIN", "connector", "connector_capacity", {}},
      {"FLINK_NUM_CFU", "flink", "flink_cfu", kFlink},
      {"FLINK_NUM_CFUS", "flink", "flink_cfu", kFlink},
      {"AUDIT_LOG_READ", "org_wide", "org_wide", {}},
      {"SUPPORT", "org_wide", "org_wide", {}},
      {"TABLEFLOW_DATA_PROCESSED", "default", "default", {}},
      {"TABLEFLOW_NUM_TOPICS", "default", "default", {}},
      {"TABLEFLOW_STORAGE", "default", "default", {}},
      {"CLUSTER_LINKING_PER_LINK", "default", "cluster_linking", {}},
      {"CLUSTER_LINKING_READ", "default", "cluster_linking", {}},
      {"CLUSTER_LINKING_WRITE", "default", "cluster_linking", {}},
  };
}

}  // namespace

const Registry& Registry::confluent_cloud() {
  static const Registry registry = [] {
    Registry r;
    for (Handler& h : ccloud_handlers()) {
      r.gathered_types_.insert(h.resource_types.begin(), h.resource_types.end());
      std::string name = h.name;
      r.handlers_.emplace(std::move(name), std::move(h));
    }
    for (ProductRule& rule : ccloud_rules()) {
      std::string type = rule.product_type;
      r.rules_.emplace(std::move(type), std::move(rule));
    }
    r.fallback_allocator_ = "unknown";
    return r;
  }();
  return registry;
}

Registry Registry::make(std::vector<Handler> handlers, std::vector<ProductRule> rules,
                        std::vector<Chain> chains, std::string fallback_allocator) {
  Registry r;
  for (Handler& h : handlers) {
    r.gathered_types_.insert(h.resource_types.begin(), h.resource_types.end());
    std::string name = h.name;
    r.handlers_.emplace(std::move(name), std::move(h));
  }
  for (ProductRule& rule : rules) {
    std::string type = rule.product_type;
    r.rules_.emplace(std::move(type), std::move(rule));
  }
  for (Chain& chain : chains) {
    std::string name = chain.name;
    auto shared = std::make_shared<const Chain>(chain);
    r.allocators_.emplace(
        name, [shared](const AllocationContext& ctx) { return run_chain(*shared, ctx); });
    r.chains_.emplace(std::move(name), std::move(chain));
  }
  r.fallback_allocator_ = std::move(fallback_allocator);
  return r;
}

Result<Registry> Registry::with_allocator_overrides(
    const std::map<std::string, std::string>& allocator_overrides) const {
  Registry copy = *this;
  std::string errors;
  for (const auto& [product_type, allocator_name] : allocator_overrides) {
    if (allocator(allocator_name) == nullptr) {
      std::string known;
      for (const auto& entry : builtin_allocators())
        known += (known.empty() ? "" : ", ") + entry.first;
      errors += (errors.empty() ? "" : "; ") + std::string("allocator_overrides.") + product_type +
                ": unknown allocator '" + allocator_name + "' (known: " + known + ")";
      continue;
    }
    auto it = copy.rules_.find(product_type);
    if (it == copy.rules_.end()) {
      copy.rules_.emplace(product_type, ProductRule{product_type, "default", allocator_name, {}});
    } else {
      it->second.allocator = allocator_name;
    }
  }
  if (!errors.empty()) return Status::error(errors);
  return copy;
}

const ProductRule* Registry::rule(const std::string& product_type) const {
  auto it = rules_.find(product_type);
  return it == rules_.end() ? nullptr : &it->second;
}

const Handler* Registry::handler(const std::string& name) const {
  auto it = handlers_.find(name);
  return it == handlers_.end() ? nullptr : &it->second;
}

const Chain* Registry::chain(const std::string& allocator_name) const {
  auto own = chains_.find(allocator_name);
  return own != chains_.end() ? &own->second : builtin_chain(allocator_name);
}

const Allocator* Registry::allocator(const std::string& name) const {
  auto own = allocators_.find(name);
  if (own != allocators_.end()) return &own->second;
  const auto& table = builtin_allocators();
  auto it = table.find(name);
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace chitragupt::allocation
