#include "scopes/child_index.hpp"

#include "scopes/page_memory.hpp"

namespace prof::scopes {

namespace {
constexpr std::uint64_t kFirstSlots = 256;  // one page
}

void ChildIndex::place(const Slot& slot) noexcept {
  for (std::uint64_t i = hash(slot.parent, slot.site);; ++i) {
    if (!slots_[i & mask_].site) {
      slots_[i & mask_] = slot;
      return;
    }
  }
}

bool ChildIndex::grow() noexcept {
  std::uint64_t old_slots = slots_ ? mask_ + 1 : 0;
  std::uint64_t new_slots = old_slots ? 2 * old_slots : kFirstSlots;
  auto* fresh = static_cast<Slot*>(map_large_pages(new_slots * sizeof(Slot)));
  if (!fresh) return false;
  Slot* old = slots_;
  slots_ = fresh;
  mask_ = new_slots - 1;
  shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(new_slots));
  for (std::uint64_t i = 0; i < old_slots; ++i)
    if (old[i].site) place(old[i]);
  unmap_large_pages(old, old_slots * sizeof(Slot));
  return true;
}

bool ChildIndex::insert(std::uint32_t parent, const detail::ScopeSite* site, std::uint32_t child) noexcept {
  // At most half full: an absent key ends its probe after about two slots.
  if ((!slots_ || 2 * (used_ + 1) > mask_ + 1) && !grow()) return false;
  place(Slot{site, parent, child});
  ++used_;
  return true;
}

void ChildIndex::release() noexcept {
  if (slots_) unmap_large_pages(slots_, (mask_ + 1) * sizeof(Slot));
  slots_ = nullptr;
  mask_ = 0;
  shift_ = 63;
  used_ = 0;
}

}  // namespace prof::scopes
