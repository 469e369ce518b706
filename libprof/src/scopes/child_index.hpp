#pragma once
// A thread's index of call-tree children by (parent node, site): open addressing over 16-byte slots that hold
// the key itself (the site's address, the parent's index) and the child's index, so finding the child of a
// parent among any number of siblings costs one hash and (almost always) one slot, without reading a node:
// in a wide tree (a parent that calls 100 000 different scopes in turn) the slot is the lookup's one cache
// miss, where a slot that pointed at the node to compare its key made it two in a row.
// Owner thread only; its slots come from mmap (huge pages once the table reaches 2 MiB: wide trees miss the
// TLB as much as the caches) and grow by doubling when half full.

#include <cstdint>

#include <prof/detail/scope_node.hpp>
#include <prof/detail/scope_site.hpp>

namespace prof::scopes {

class ChildIndex {
 public:
  // The index of the child of node `parent` for `site`, or 0 (the root, never a child) when there is none.
  std::uint32_t find(std::uint32_t parent, const detail::ScopeSite* site) const noexcept {
    if (!slots_) return 0;
    for (std::uint64_t i = hash(parent, site);; ++i) {
      const Slot& slot = slots_[i & mask_];
      if (slot.site == site && slot.parent == parent) return slot.child;
      if (!slot.site) return 0;
    }
  }

  // Adds the child `child` of `parent` for `site`; false when memory is refused (it is then not indexed).
  bool insert(std::uint32_t parent, const detail::ScopeSite* site, std::uint32_t child) noexcept;

  // Returns the slots to the system (an ended or discarded tree).
  void release() noexcept;

 private:
  struct Slot {
    const detail::ScopeSite* site;  // null: empty
    std::uint32_t parent;
    std::uint32_t child;
  };
  static_assert(sizeof(Slot) == 16, "four slots to a cache line");

  // Fibonacci hashing: one multiplication, whose high bits (the slot's number) depend on every bit of the
  // key; node indices and site addresses are regular, and a weak mix makes long probe chains.
  std::uint64_t hash(std::uint32_t parent, const detail::ScopeSite* site) const noexcept {
    std::uint64_t key = reinterpret_cast<std::uintptr_t>(site) ^ (std::uint64_t{parent} << 40 | parent);
    return (key * 0x9E3779B97F4A7C15ull) >> shift_;
  }
  bool grow() noexcept;
  void place(const Slot& slot) noexcept;

  Slot* slots_ = nullptr;
  std::uint64_t mask_ = 0;  // slots - 1 (a power of two)
  unsigned shift_ = 63;     // 64 - log2(slots)
  std::uint64_t used_ = 0;
};

}  // namespace prof::scopes
