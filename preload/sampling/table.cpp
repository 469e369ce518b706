#include "sampling/table.hpp"

#include <atomic>
#include <cstddef>

#include "memory/pages.hpp"

namespace prof::preload::sampling::table {

namespace {

struct Entry {
  std::atomic<std::uint64_t> samples;
  std::atomic<std::uint32_t> depth;  // 0 until the frames are written (release), then the frame count
  std::int32_t tid;
  std::uint64_t hash;
  State state;
  std::uint32_t padding;
  std::uintptr_t frames[kMaxDepth];
};

// The hash index: 0 empty, kClaiming while a handler writes the entry, otherwise entry index + 1. Twice as
// many slots as entries keeps probe runs short.
constexpr std::uint32_t kSlots = 2 * kMaxStacks;
constexpr std::uint32_t kClaiming = ~0u;
constexpr std::uint32_t kMaxProbes = 64;
// An entry still being written when a snapshot froze the table: written as an empty stack from then on.
constexpr std::uint32_t kAbandoned = ~0u;

Entry* g_entries = nullptr;
std::atomic<std::uint32_t>* g_slots = nullptr;
std::atomic<std::uint32_t> g_count{0};
std::atomic<std::uint64_t> g_dropped{0};

constexpr std::size_t kEntryBytes = sizeof(Entry) * kMaxStacks;
constexpr std::size_t kSlotBytes = sizeof(std::atomic<std::uint32_t>) * kSlots;

std::uint64_t hash_of(const std::uintptr_t* frames, std::uint32_t depth, Key key) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ull ^ depth;
  h = (h ^ static_cast<std::uint32_t>(key.tid)) * 0x100000001b3ull;
  h = (h ^ static_cast<std::uint32_t>(key.state)) * 0x100000001b3ull;
  for (std::uint32_t i = 0; i < depth; ++i)
    h = (h ^ frames[i]) * 0x100000001b3ull;
  return h ^ (h >> 29);
}

bool same(const Entry& e, std::uint64_t hash, const std::uintptr_t* frames, std::uint32_t depth,
          Key key) noexcept {
  if (e.hash != hash || e.depth.load(std::memory_order_acquire) != depth) return false;
  if (e.tid != key.tid || e.state != key.state) return false;
  for (std::uint32_t i = 0; i < depth; ++i)
    if (e.frames[i] != frames[i]) return false;
  return true;
}

}  // namespace

bool init() noexcept {
  void* memory = memory::pages::reserve(kEntryBytes + kSlotBytes);
  if (!memory) return false;
  g_slots = static_cast<std::atomic<std::uint32_t>*>(memory);
  g_entries = reinterpret_cast<Entry*>(static_cast<char*>(memory) + kSlotBytes);
  return true;
}

std::int64_t add(const std::uintptr_t* frames, std::uint32_t depth, Key key, std::uint64_t weight) noexcept {
  if (!g_entries || depth == 0) return -1;
  if (depth > kMaxDepth) depth = kMaxDepth;
  std::uint64_t hash = hash_of(frames, depth, key);
  std::uint32_t at = static_cast<std::uint32_t>(hash) & (kSlots - 1);
  for (std::uint32_t probe = 0; probe < kMaxProbes; ++probe, at = (at + 1) & (kSlots - 1)) {
    std::uint32_t slot = g_slots[at].load(std::memory_order_acquire);
    if (slot == 0) {
      // Claim the slot, then an entry: a stack seen by two threads at once may get two entries (the viewer
      // adds them up), but no entry is ever shared by two stacks.
      if (!g_slots[at].compare_exchange_strong(slot, kClaiming, std::memory_order_acq_rel)) {
        if (slot == kClaiming) continue;
      } else {
        std::uint32_t index = g_count.fetch_add(1, std::memory_order_relaxed);
        if (index >= kMaxStacks) {
          g_count.store(kMaxStacks, std::memory_order_relaxed);
          g_slots[at].store(0, std::memory_order_release);
          break;
        }
        Entry& e = g_entries[index];
        memory::pages::note_touched(sizeof(Entry));
        e.hash = hash;
        e.tid = key.tid;
        e.state = key.state;
        for (std::uint32_t i = 0; i < depth; ++i)
          e.frames[i] = frames[i];
        e.samples.store(weight, std::memory_order_relaxed);
        std::uint32_t unwritten = 0;
        e.depth.compare_exchange_strong(unwritten, depth, std::memory_order_release);
        g_slots[at].store(index + 1, std::memory_order_release);
        return index;
      }
    }
    if (slot == kClaiming) continue;
    Entry& e = g_entries[slot - 1];
    if (same(e, hash, frames, depth, key)) {
      e.samples.fetch_add(weight, std::memory_order_relaxed);
      return slot - 1;
    }
  }
  note_dropped(weight);
  return -1;
}

void add_to(std::int64_t entry, std::uint64_t weight) noexcept {
  if (entry < 0 || !g_entries) return;
  g_entries[entry].samples.fetch_add(weight, std::memory_order_relaxed);
}

void note_dropped(std::uint64_t weight) noexcept {
  g_dropped.fetch_add(weight, std::memory_order_relaxed);
}

std::uint32_t freeze() noexcept {
  if (!g_entries) return 0;
  std::uint32_t n = g_count.load(std::memory_order_acquire);
  if (n > kMaxStacks) n = kMaxStacks;
  for (std::uint32_t i = 0; i < n; ++i) {
    std::uint32_t unwritten = 0;
    g_entries[i].depth.compare_exchange_strong(unwritten, kAbandoned, std::memory_order_acq_rel);
  }
  return n;
}

const std::uintptr_t* frames(std::uint32_t entry, std::uint32_t& depth) noexcept {
  depth = g_entries[entry].depth.load(std::memory_order_acquire);
  if (depth == kAbandoned) depth = 0;
  return g_entries[entry].frames;
}

std::uint32_t claimed() noexcept {
  if (!g_entries) return 0;
  std::uint32_t n = g_count.load(std::memory_order_acquire);
  return n > kMaxStacks ? kMaxStacks : n;
}

std::uintptr_t* frames_to_retag(std::uint32_t entry, std::uint32_t& depth) noexcept {
  depth = g_entries[entry].depth.load(std::memory_order_acquire);
  if (depth == kAbandoned) depth = 0;
  return g_entries[entry].frames;
}

std::uint64_t samples(std::uint32_t entry) noexcept {
  std::uint32_t depth = g_entries[entry].depth.load(std::memory_order_acquire);
  if (depth == 0 || depth == kAbandoned) return 0;
  return g_entries[entry].samples.load(std::memory_order_relaxed);
}

Key key(std::uint32_t entry) noexcept {
  return {g_entries[entry].tid, g_entries[entry].state};
}

std::uint64_t dropped() noexcept {
  return g_dropped.load(std::memory_order_relaxed);
}

void reset() noexcept {
  if (!g_entries) return;
  std::uint32_t used = g_count.load(std::memory_order_relaxed);
  if (used > kMaxStacks) used = kMaxStacks;
  memory::pages::discard(g_slots, kSlotBytes);
  memory::pages::discard(g_entries, kEntryBytes);
  memory::pages::note_touched(-static_cast<std::int64_t>(sizeof(Entry)) * used);
  g_count.store(0, std::memory_order_relaxed);
  g_dropped.store(0, std::memory_order_relaxed);
}

}  // namespace prof::preload::sampling::table
