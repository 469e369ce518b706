#include "sampling/threads.hpp"

#include <sys/prctl.h>

#include <atomic>
#include <cstddef>

#include "memory/pages.hpp"

namespace prof::preload::sampling::threads {

namespace {

struct Entry {
  std::atomic<pid_t> tid;  // 0: free
  char name[kNameBytes];
};

// Open addressing by thread id; a reused id takes its entry over (the later thread's name wins). More threads
// than slots over the run: the rest go unnamed (their samples keep their thread id).
constexpr std::uint32_t kSlots = 1u << 13;
constexpr std::uint32_t kMaxProbes = 64;
constexpr std::size_t kEntryBytes = sizeof(Entry) * kSlots;
constexpr std::size_t kBytes = kEntryBytes + sizeof(std::atomic<std::uint16_t>) * kSlots;

Entry* g_entries = nullptr;
// The slots taken, in the order taken (slot + 1; 0 while its taker has not written it yet): the snapshot
// visits these, not all the slots, whose untouched pages would each cost a page fault to read (40 of them,
// as much as the rest of a small program's snapshot).
std::atomic<std::uint16_t>* g_taken = nullptr;
std::atomic<std::uint32_t> g_taken_count{0};

}  // namespace

bool init() noexcept {
  if (g_entries) return true;
  void* room = memory::pages::reserve(kBytes);
  if (!room) return false;
  g_entries = static_cast<Entry*>(room);
  g_taken = reinterpret_cast<std::atomic<std::uint16_t>*>(static_cast<char*>(room) + kEntryBytes);
  return true;
}

void note_current(pid_t tid) noexcept {
  if (!g_entries || tid <= 0) return;
  std::uint32_t at = (static_cast<std::uint32_t>(tid) * 2654435761u) & (kSlots - 1);
  for (std::uint32_t probe = 0; probe < kMaxProbes; ++probe, at = (at + 1) & (kSlots - 1)) {
    Entry& e = g_entries[at];
    pid_t seen = e.tid.load(std::memory_order_acquire);
    if (seen == 0 && e.tid.compare_exchange_strong(seen, tid, std::memory_order_acq_rel)) {
      memory::pages::note_touched(sizeof(Entry));
      g_taken[g_taken_count.fetch_add(1, std::memory_order_relaxed)].store(static_cast<std::uint16_t>(at + 1),
                                                                           std::memory_order_release);
      seen = tid;
    }
    if (seen != tid) continue;
    // Only this thread writes its entry's name; a snapshot written meanwhile may read half of it.
    char name[kNameBytes] = {};
    if (::prctl(PR_GET_NAME, name, 0, 0, 0) == 0)
      for (int i = 0; i < kNameBytes; ++i)
        e.name[i] = i == kNameBytes - 1 ? '\0' : name[i];
    return;
  }
}

std::uint32_t count() noexcept {
  return g_entries ? g_taken_count.load(std::memory_order_acquire) : 0;
}

pid_t tid(std::uint32_t entry) noexcept {
  std::uint16_t slot = g_taken[entry].load(std::memory_order_acquire);
  return slot ? g_entries[slot - 1].tid.load(std::memory_order_acquire) : 0;
}

const char* name(std::uint32_t entry) noexcept {
  std::uint16_t slot = g_taken[entry].load(std::memory_order_acquire);
  return slot ? g_entries[slot - 1].name : "";
}

void reset() noexcept {
  if (!g_entries) return;
  std::int64_t used = g_taken_count.exchange(0, std::memory_order_relaxed);
  memory::pages::discard(g_entries, kBytes);
  memory::pages::note_touched(-static_cast<std::int64_t>(sizeof(Entry)) * used);
}

}  // namespace prof::preload::sampling::threads
