#pragma once
// A thread's index of call-tree children by (parent node, site): open addressing over node pointers, so
// finding the child of a parent among any number of siblings costs one hash and (almost always) one probe.
// Without it a parent that calls K different scopes in turn paid a search of K siblings per call.
// Owner thread only; its slots come from mmap and grow by doubling when half full.

#include <cstdint>

#include <prof/detail/scope_node.hpp>
#include <prof/detail/scope_site.hpp>

namespace prof::scopes {

class ChildIndex {
 public:
  // The child of `parent` for `site`, or null.
  detail::ScopeNode* find(const detail::ScopeNode* parent, const detail::ScopeSite* site) const noexcept {
    if (!slots_) return nullptr;
    for (std::uint64_t i = hash(parent, site);; ++i) {
      detail::ScopeNode* node = slots_[i & mask_];
      if (!node) return nullptr;
      if (node->site == site && node->parent == parent) return node;
    }
  }

  // Adds a node whose parent and site are set; false when memory is refused (the node is then not indexed).
  bool insert(detail::ScopeNode* node) noexcept;

  // Returns the slots to the system (a discarded private tree).
  void release() noexcept;

 private:
  // Every bit of both keys reaches the low bits the mask keeps (MurmurHash3's finaliser): node indices and
  // site addresses are regular, and a weak mix makes long probe chains.
  static std::uint64_t hash(const detail::ScopeNode* parent, const detail::ScopeSite* site) noexcept {
    std::uint64_t key =
        reinterpret_cast<std::uintptr_t>(site) ^ (std::uint64_t{parent->index} * 0x9E3779B97F4A7C15ull);
    key ^= key >> 33;
    key *= 0xFF51AFD7ED558CCDull;
    key ^= key >> 33;
    key *= 0xC4CEB9FE1A85EC53ull;
    return key ^ (key >> 33);
  }
  bool grow() noexcept;
  void place(detail::ScopeNode* node) noexcept;

  detail::ScopeNode** slots_ = nullptr;
  std::uint64_t mask_ = 0;  // slots - 1 (a power of two)
  std::uint64_t used_ = 0;
};

}  // namespace prof::scopes
