#include "allocation/inventory_index.hpp"

namespace chitragupt::allocation {

namespace {

const std::vector<const Identity*> kNoIdentities;
const std::vector<const Resource*> kNoResources;

}  // namespace

InventoryIndex::InventoryIndex(const std::vector<Resource>& resources,
                               const std::vector<Identity>& identities)
    : resources_(&resources), identities_(&identities) {
  identities_by_id_.reserve(identities.size());
  for (const Identity& identity : identities) {
    auto [it, fresh] = identities_by_id_.try_emplace(std::string_view(identity.identity_id));
    IdentitySlot& slot = it->second;
    if (!fresh) {
      if (slot.duplicates == kNone) {
        slot.duplicates = static_cast<std::uint32_t>(duplicates_.size());
        duplicates_.push_back({slot.last});
      }
      duplicates_[slot.duplicates].push_back(&identity);
    }
    slot.last = &identity;
    if (identity.identity_type == "api_key") {
      auto resource = identity.metadata.find("resource_id");
      // A key without a resource_id matches lines whose resource id is empty, as the scan did.
      const std::string_view resource_id =
          resource == identity.metadata.end() ? std::string_view() : resource->second;
      api_keys_by_resource_[resource_id].push_back(&identity);
    }
  }
  resources_by_id_.reserve(resources.size());
  for (const Resource& resource : resources) {
    resources_by_id_[std::string_view(resource.resource_id)].push_back(&resource);
  }
}

const Identity* InventoryIndex::identity(std::string_view id) const {
  auto it = identities_by_id_.find(id);
  return it == identities_by_id_.end() ? nullptr : it->second.last;
}

const Identity* InventoryIndex::identity_alive(std::string_view id,
                                               const TimeWindow& window) const {
  auto it = identities_by_id_.find(id);
  if (it == identities_by_id_.end()) return nullptr;
  const IdentitySlot& slot = it->second;
  if (slot.duplicates == kNone) {
    const Identity* only = slot.last;
    return alive_in_window(only->created_at, only->deleted_at, window) ? only : nullptr;
  }
  const auto& all = duplicates_[slot.duplicates];
  for (auto candidate = all.rbegin(); candidate != all.rend(); ++candidate) {
    if (alive_in_window((*candidate)->created_at, (*candidate)->deleted_at, window)) {
      return *candidate;
    }
  }
  return nullptr;
}

const std::vector<const Identity*>& InventoryIndex::api_keys_of(
    std::string_view resource_id) const {
  auto it = api_keys_by_resource_.find(resource_id);
  return it == api_keys_by_resource_.end() ? kNoIdentities : it->second;
}

const std::vector<const Resource*>& InventoryIndex::resources_with_id(std::string_view id) const {
  auto it = resources_by_id_.find(id);
  return it == resources_by_id_.end() ? kNoResources : it->second;
}

}  // namespace chitragupt::allocation
