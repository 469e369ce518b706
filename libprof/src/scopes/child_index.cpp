#include "scopes/child_index.hpp"

#include "scopes/page_memory.hpp"

namespace prof::scopes {

namespace {
constexpr std::uint64_t kFirstSlots = 512;  // one page
}

void ChildIndex::place(detail::ScopeNode* node) noexcept {
  for (std::uint64_t i = hash(node->parent, node->site);; ++i) {
    if (!slots_[i & mask_]) {
      slots_[i & mask_] = node;
      return;
    }
  }
}

bool ChildIndex::grow() noexcept {
  std::uint64_t old_slots = slots_ ? mask_ + 1 : 0;
  std::uint64_t new_slots = old_slots ? 2 * old_slots : kFirstSlots;
  auto** fresh = static_cast<detail::ScopeNode**>(map_pages(new_slots * sizeof(detail::ScopeNode*)));
  if (!fresh) return false;
  detail::ScopeNode** old = slots_;
  slots_ = fresh;
  mask_ = new_slots - 1;
  for (std::uint64_t i = 0; i < old_slots; ++i)
    if (old[i]) place(old[i]);
  unmap_pages(old, old_slots * sizeof(detail::ScopeNode*));
  return true;
}

bool ChildIndex::insert(detail::ScopeNode* node) noexcept {
  // At most half full: an absent key ends its probe after about two slots.
  if ((!slots_ || 2 * (used_ + 1) > mask_ + 1) && !grow()) return false;
  place(node);
  ++used_;
  return true;
}

void ChildIndex::release() noexcept {
  if (slots_) unmap_pages(slots_, (mask_ + 1) * sizeof(detail::ScopeNode*));
  slots_ = nullptr;
  mask_ = 0;
  used_ = 0;
}

}  // namespace prof::scopes
