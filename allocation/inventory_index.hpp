#pragma once
// InventoryIndex: the lookups identity resolution makes into one inventory (the tenant's
// resources and identities), built once instead of by a scan per billing line. The calculate
// stage builds one per date and hands it to every line of that date (LineInputs); callers that
// allocate a single line need not bother, allocate_line then builds its own.
//
// It keeps pointers into the two vectors: they must outlive the index and not change. Every
// lookup answers what the scan it replaces answered, duplicates included: where an id occurs
// twice, the later entry wins.

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "allocation/identity.hpp"
#include "allocation/resource.hpp"
#include "allocation/time_window.hpp"

namespace chitragupt::allocation {

class InventoryIndex {
 public:
  InventoryIndex(const std::vector<Resource>& resources, const std::vector<Identity>& identities);
  InventoryIndex(const InventoryIndex&) = delete;
  InventoryIndex& operator=(const InventoryIndex&) = delete;

  // Whether this index was built over exactly these vectors (the same objects).
  bool indexes(const std::vector<Resource>& resources,
               const std::vector<Identity>& identities) const {
    return &resources == resources_ && &identities == identities_;
  }

  // The last identity with this id; null when there is none.
  const Identity* identity(std::string_view id) const;
  // The last identity with this id that is alive in `window`; null when there is none.
  const Identity* identity_alive(std::string_view id, const TimeWindow& window) const;
  // Identities of type api_key whose metadata resource_id is `resource_id`, in inventory order,
  // alive or not.
  const std::vector<const Identity*>& api_keys_of(std::string_view resource_id) const;
  // Resources with this id, in inventory order (usually one).
  const std::vector<const Resource*>& resources_with_id(std::string_view id) const;

 private:
  struct IdentitySlot {
    const Identity* last = nullptr;
    std::uint32_t duplicates = kNone;  // index into duplicates_ when the id occurs twice or more
  };
  static constexpr std::uint32_t kNone = UINT32_MAX;

  const std::vector<Resource>* resources_;
  const std::vector<Identity>* identities_;
  // Views into the indexed vectors' strings, which outlive the index: no copies.
  std::unordered_map<std::string_view, IdentitySlot> identities_by_id_;
  std::vector<std::vector<const Identity*>> duplicates_;  // every entry of a repeated id, in order
  std::unordered_map<std::string_view, std::vector<const Identity*>> api_keys_by_resource_;
  std::unordered_map<std::string_view, std::vector<const Resource*>> resources_by_id_;
};

}  // namespace chitragupt::allocation
