#include "memory/sites.hpp"

#include <pthread.h>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "core/clock.hpp"
#include "memory/headers.hpp"
#include "memory/pages.hpp"
#include "memory/site_batches.hpp"
#include "memory/spin_lock.hpp"

namespace prof::preload::memory::sites {

// Defined here, declared in sites.hpp for its inline readers.
namespace detail {
Site* g_sites = nullptr;
std::uint64_t* g_peak_bytes = nullptr;
std::uintptr_t* g_frames = nullptr;
std::uint32_t* g_slots = nullptr;
std::uint64_t* g_bases = nullptr;
std::atomic<std::uint32_t> g_site_count{0};
// The live heap in two counters. The first thread that allocates owns the first: it alone writes it, with a
// plain store, and is exact at every event (a single-threaded program pays no atomic read-modify-write for
// it). Every other thread hands its changes to the second in batches of up to 64 KiB (one shared counter
// touched by every event would make two threads slower than one). Signed: one thread's frees may reach them
// before another thread's allocations.
alignas(64) std::atomic<std::int64_t> g_owner_live{0};
alignas(64) std::atomic<std::int64_t> g_others_live{0};
// A new peak not yet closed: since it, the heap has only grown. The epoch of a peak starts at the first free
// after it (close_peak), not at each allocation that raises it: while the heap only grows, its latest state
// is the peak, and a program that builds a heap of millions of blocks would otherwise pay an epoch and a
// clock read per allocation.
alignas(64) std::atomic<bool> g_peak_open{false};
alignas(64) std::atomic<std::uint64_t> g_peak{0};
}  // namespace detail

namespace {

using detail::g_frames;
using detail::g_others_live;
using detail::g_owner_live;
using detail::g_peak_bytes;
using detail::g_site_count;
using detail::g_sites;
using detail::g_slots;

constexpr int kShards = 64;
constexpr std::uint32_t kMaxSites = 1u << 18;
constexpr std::uint64_t kMaxFrames = 1u << 23;  // kFrameBits
constexpr std::uint32_t kFirstSlots = 64;
constexpr std::size_t kSiteBytes = sizeof(Site) + sizeof(std::uint64_t);  // with its peak bytes

// Open addressing: each slot holds what telling stacks apart needs, so that a probe reads no site. With 100
// 000 sites and more, the slot, the site and the frames are a cache miss each; the slot names the frames, so
// the frames' comparison and the site's counters then wait for one miss, not one after the other.
struct Slot {
  std::uint64_t hash;
  std::uint32_t site_plus_one;  // 0: empty
  std::uint32_t where;          // the stack's first frame (kFrameBits) and its depth above them
};
constexpr int kFrameBits = 23;

// Grows by doubling under the shard's lock.
struct alignas(64) Shard {
  SpinLock lock;
  Slot* slots = nullptr;
  std::uint32_t capacity = 0;
  std::uint32_t used = 0;
};

Shard g_shards[kShards];
std::atomic<std::uint64_t> g_frames_used{0};
std::atomic<std::uint64_t> g_bases_used{0};  // frames whose bases the stack cache wrote

constexpr std::int64_t kBatch = 64 << 10;

using detail::g_peak;
std::atomic<bool> g_owner_taken{false};
std::atomic<std::uint64_t> g_epoch{0};
std::atomic<std::uint64_t> g_peak_ticks{0};
using detail::g_peak_open;

pthread_key_t g_exit_key;
bool g_exit_key_made = false;
thread_local std::int64_t tl_pending __attribute__((tls_model("initial-exec"))) = 0;
thread_local bool tl_counted __attribute__((tls_model("initial-exec"))) = false;
thread_local bool tl_owner __attribute__((tls_model("initial-exec"))) = false;
thread_local bool tl_exiting __attribute__((tls_model("initial-exec"))) = false;

static_assert(kMaxFrames == std::uint64_t{1} << kFrameBits && kMaxDepth < (1 << (32 - kFrameBits)));

// Each frame is multiplied on its own, so the products run in parallel instead of one long dependency
// chain; a collision costs only a comparison, since stacks are always compared in full.
std::uint64_t hash_frames(const std::uintptr_t* frames, int depth) noexcept {
  std::uint64_t a = 0x9E3779B97F4A7C15ull ^ static_cast<std::uint64_t>(depth);
  std::uint64_t b = 0;
  int i = 0;
  for (; i + 1 < depth; i += 2) {
    a += (frames[i] ^ 0xA0761D6478BD642Full) * 0xE7037ED1A0B428DBull;
    b += (frames[i + 1] ^ 0x8EBC6AF09C88C6E3ull) * 0x589965CC75374CC3ull;
    a = (a << 23) | (a >> 41);
    b = (b << 29) | (b >> 35);
  }
  if (i < depth) a += (frames[i] ^ 0x1D8E4E27C47D124Full) * 0xE7037ED1A0B428DBull;
  std::uint64_t h = (a ^ (b * 0xBF58476D1CE4E5B9ull)) * 0x94D049BB133111EBull;
  return h ^ (h >> 31);
}

bool same_stack(const Slot& slot, std::uint64_t hash, const std::uintptr_t* frames, int depth) noexcept {
  return slot.hash == hash && slot.where >> kFrameBits == static_cast<std::uint32_t>(depth) &&
         std::memcmp(g_frames + (slot.where & ((1u << kFrameBits) - 1)), frames,
                     sizeof(std::uintptr_t) * depth) == 0;
}

// The shards' probe tables come from one reservation of huge pages past its first 256 KiB (pages.hpp): with
// 100 000 sites they span 4 MiB, and each new stack's probe is a random read there (a TLB miss per probe in
// 64 separate small-page tables). A table that grows is left where it was, as is its space: at most as much
// again as the tables in use. Bound: a shard's table is at most 4 times its sites (it doubles at half full)
// plus the first slots, so all tables in use hold at most 4 * kMaxSites + kShards * kFirstSlots slots.
constexpr std::size_t kSlotRoomBytes = 2 * sizeof(Slot) * (4 * kMaxSites + kShards * kFirstSlots);
char* g_slot_room = nullptr;
std::atomic<std::size_t> g_slot_room_used{0};     // may pass the end: a table that did not fit
std::atomic<std::size_t> g_slot_room_counted{0};  // what the tables taken from it hold

Slot* take_slots(std::uint32_t capacity) noexcept {
  std::size_t bytes = sizeof(Slot) * capacity;
  if (g_slot_room) {
    std::size_t at = g_slot_room_used.fetch_add(bytes, std::memory_order_relaxed);
    if (at + bytes <= kSlotRoomBytes) {
      g_slot_room_counted.fetch_add(bytes, std::memory_order_relaxed);
      pages::note_touched(static_cast<std::int64_t>(bytes));
      return reinterpret_cast<Slot*>(g_slot_room + at);
    }
  }
  return static_cast<Slot*>(pages::map(bytes));  // zeroed, like the room's untouched pages
}

bool in_slot_room(const Slot* slots) noexcept {
  auto* bytes = reinterpret_cast<const char*>(slots);
  return g_slot_room && bytes >= g_slot_room && bytes < g_slot_room + kSlotRoomBytes;
}

bool grow(Shard& shard) noexcept {
  std::uint32_t capacity = shard.capacity ? shard.capacity * 2 : kFirstSlots;
  Slot* slots = take_slots(capacity);
  if (!slots) return false;
  for (std::uint32_t i = 0; i < shard.capacity; ++i) {
    const Slot& slot = shard.slots[i];
    if (!slot.site_plus_one) continue;
    std::uint32_t at = static_cast<std::uint32_t>(slot.hash >> 6) & (capacity - 1);
    while (slots[at].site_plus_one)
      at = (at + 1) & (capacity - 1);
    slots[at] = slot;
  }
  if (!in_slot_room(shard.slots)) pages::unmap(shard.slots, sizeof(Slot) * shard.capacity);
  shard.slots = slots;
  shard.capacity = capacity;
  return true;
}

// Under the shard's lock: the site of this stack, created if new.
std::uint32_t find_or_add(Shard& shard, std::uint64_t hash, const std::uintptr_t* frames,
                          int depth) noexcept {
  if ((shard.used + 1) * 2 > shard.capacity && !grow(shard)) return kNoSite;
  std::uint32_t mask = shard.capacity - 1;
  std::uint32_t at = static_cast<std::uint32_t>(hash >> 6) & mask;
  while (shard.slots[at].site_plus_one) {
    const Slot& slot = shard.slots[at];
    if (slot.hash == hash) {
      // Most likely this stack: its counters and the stack cache's slot offsets are read next.
      __builtin_prefetch(&g_sites[slot.site_plus_one - 1], 1);
      __builtin_prefetch(g_slots + (slot.where & ((1u << kFrameBits) - 1)), 0);
    }
    if (same_stack(slot, hash, frames, depth)) return slot.site_plus_one - 1;
    at = (at + 1) & mask;
  }
  std::uint64_t first = g_frames_used.fetch_add(static_cast<std::uint64_t>(depth), std::memory_order_relaxed);
  if (first + static_cast<std::uint64_t>(depth) > kMaxFrames) {
    g_frames_used.fetch_sub(static_cast<std::uint64_t>(depth), std::memory_order_relaxed);
    return kNoSite;
  }
  std::uint32_t index = g_site_count.load(std::memory_order_relaxed);
  do {
    if (index >= kMaxSites) return kNoSite;
  } while (!g_site_count.compare_exchange_weak(index, index + 1, std::memory_order_relaxed));
  std::memcpy(g_frames + first, frames, sizeof(std::uintptr_t) * depth);
  pages::note_touched(static_cast<std::int64_t>(kSiteBytes + (sizeof(std::uintptr_t) + 4) * depth));
  Site& s = g_sites[index];
  s.depth = static_cast<std::uint16_t>(depth);
  s.shard = static_cast<std::uint16_t>(hash & (kShards - 1));
  s.first_frame = static_cast<std::uint32_t>(first);
  __atomic_store_n(&s.replay, 0u, __ATOMIC_RELAXED);
  __atomic_store_n(&s.next, kNoSite, __ATOMIC_RELAXED);
  s.peak_epoch = g_epoch.load(std::memory_order_relaxed);
  shard.slots[at] = Slot{hash, index + 1,
                         static_cast<std::uint32_t>(first) | static_cast<std::uint32_t>(depth) << kFrameBits};
  ++shard.used;
  return index;
}

SpinLock& lock_of(const Site& s) noexcept {
  return g_shards[s.shard].lock;
}

// Out of line: once per site and peak at most, and it keeps the counting functions small enough to inline.
__attribute__((noinline)) void save_peak_bytes(Site& s, std::uint64_t epoch) noexcept {
  __atomic_store_n(&g_peak_bytes[&s - g_sites], s.live_bytes, __ATOMIC_RELAXED);
  __atomic_store_n(&s.peak_epoch, epoch, __ATOMIC_RELAXED);
}

// Before a site changes: if a peak happened since its last change, its live bytes then were these.
inline void save_peak_share(Site& s) noexcept {
  std::uint64_t epoch = g_epoch.load(std::memory_order_acquire);
  if (__builtin_expect(s.peak_epoch < epoch, 0)) save_peak_bytes(s, epoch);
}

void raise_peak(std::int64_t live) noexcept {
  auto peak = static_cast<std::int64_t>(g_peak.load(std::memory_order_relaxed));
  if (alone()) {  // no other thread can raise it meanwhile: no compare-and-swap (a full barrier)
    if (live <= peak) return;
    g_peak.store(static_cast<std::uint64_t>(live), std::memory_order_relaxed);
    if (!g_peak_open.load(std::memory_order_relaxed)) g_peak_open.store(true, std::memory_order_relaxed);
    return;
  }
  while (live > peak) {
    auto expected = static_cast<std::uint64_t>(peak);
    if (g_peak.compare_exchange_weak(expected, static_cast<std::uint64_t>(live), std::memory_order_acq_rel)) {
      if (!g_peak_open.load(std::memory_order_relaxed)) g_peak_open.store(true, std::memory_order_release);
      break;
    }
    peak = static_cast<std::int64_t>(expected);
  }
}

void apply_others(std::int64_t delta) noexcept {
  std::int64_t others = g_others_live.fetch_add(delta, std::memory_order_acq_rel) + delta;
  if (delta > 0) raise_peak(others + g_owner_live.load(std::memory_order_relaxed));
}

// Thread exit: what the thread still holds back goes to the sites and the shared counter.
void flush_at_exit(void*) noexcept {
  tl_exiting = true;
  settle();
  site_batches::end_thread();
  std::int64_t pending = tl_pending;
  tl_pending = 0;
  if (pending) apply_others(pending);
}

// A thread's first event: the first thread of the process counts every event itself (the owner).
__attribute__((noinline)) void count_thread() noexcept {
  tl_counted = true;
  bool expected = false;
  tl_owner = g_owner_taken.compare_exchange_strong(expected, true, std::memory_order_relaxed);
  // Every thread but the first may hold live bytes back, and any thread may hold batches: flushed at its end.
  if (g_exit_key_made) pthread_setspecific(g_exit_key, &tl_counted);
}

__attribute__((noinline)) void change_others_live(std::int64_t delta) noexcept {
  if (!tl_exiting) {
    tl_pending += delta;
    if (tl_pending < kBatch && tl_pending > -kBatch) return;
    delta = tl_pending;
    tl_pending = 0;
  }
  apply_others(delta);
}

// Inline into every event: the owner's case is a few loads and a store.
inline __attribute__((always_inline)) void change_live(std::int64_t delta) noexcept {
  if (__builtin_expect(!tl_counted, 0)) count_thread();
  if (!tl_owner) return change_others_live(delta);
  std::int64_t own = g_owner_live.load(std::memory_order_relaxed) + delta;
  g_owner_live.store(own, std::memory_order_relaxed);
  if (delta > 0) {
    std::int64_t live = own + g_others_live.load(std::memory_order_relaxed);
    if (live > static_cast<std::int64_t>(g_peak.load(std::memory_order_relaxed))) raise_peak(live);
  }
}

inline __attribute__((always_inline)) void add_live(std::uint64_t size) noexcept {
  change_live(static_cast<std::int64_t>(size));
}

template <typename T>
void bump(T& field, T delta) noexcept {
  __atomic_store_n(&field, field + delta, __ATOMIC_RELAXED);
}

// Under the shard's lock.
inline __attribute__((always_inline)) void count_allocation(Site& s, std::uint64_t size) noexcept {
  save_peak_share(s);
  bump(s.allocations, std::uint64_t{1});
  bump(s.allocated_bytes, size);
  bump(s.live_blocks, std::uint64_t{1});
  bump(s.live_bytes, size);
}

// While the process has one thread and kDelayFromSites sites or more, a free's change to its site's counters
// waits kDelay frees, the site's line loading meanwhile: with 100 000 sites and more, each site is a miss to
// memory (150 ns on the machines measured), and a free that waited on it now finds it in the cache. (An
// allocation's site was just read to find it: no wait to save there.) The heap's totals and peak change at
// once; the delayed changes are settled, in order, before anything reads the counters (a snapshot) or a peak
// share is taken (a new epoch), so every figure stays what the immediate change gave.
struct Delayed {
  std::uint32_t site_plus_one;  // 0: none
  std::uint32_t temporary;
  std::uint64_t size;
};
constexpr std::uint32_t kDelay = 8;
// Below this many sites their lines stay in the caches, and the delay would only add its own instructions.
constexpr std::uint32_t kDelayFromSites = 4096;
Delayed g_delayed[kDelay];
std::uint32_t g_delayed_at = 0;
// Set at the first delayed free: once the process has other threads, the first event to see it settles the
// line under g_delayed_lock, and later ones pass with one load.
std::atomic<bool> g_delayed_used{false};
SpinLock g_delayed_lock;

// Under the site's shard lock when the process has other threads.
inline __attribute__((always_inline)) void apply_free(Site& s, std::uint64_t size, bool temporary) noexcept {
  save_peak_share(s);
  bump(s.live_blocks, std::uint64_t(-1));
  bump(s.live_bytes, std::uint64_t{0} - size);
  if (temporary) bump(s.temporary, std::uint64_t{1});
}

// The delayed frees, oldest first. An entry is emptied before it is applied, so that a snapshot taken in a
// signal handler that interrupts this never applies it twice.
void settle_delayed() noexcept {
  for (std::uint32_t k = 0; k < kDelay; ++k) {
    Delayed& d = g_delayed[(g_delayed_at + k) % kDelay];
    std::uint32_t site_plus_one = d.site_plus_one;
    if (!site_plus_one) continue;
    d.site_plus_one = 0;
    std::atomic_signal_fence(std::memory_order_seq_cst);
    Site& s = g_sites[site_plus_one - 1];
    SharedGuard guard(lock_of(s));
    apply_free(s, d.size, d.temporary != 0);
  }
}

// A single-threaded free: queued with its site's line prefetched; the free queued kDelay frees ago applied
// (its line loaded meanwhile).
inline __attribute__((always_inline)) void delay_free(std::uint32_t index, std::uint64_t size,
                                                      bool temporary) noexcept {
  __builtin_prefetch(g_sites + index, 1);
  Delayed& d = g_delayed[g_delayed_at];
  g_delayed_at = (g_delayed_at + 1) % kDelay;
  std::uint32_t old_plus_one = d.site_plus_one;
  if (old_plus_one) {
    d.site_plus_one = 0;
    std::atomic_signal_fence(std::memory_order_seq_cst);
    apply_free(g_sites[old_plus_one - 1], d.size, d.temporary != 0);
  } else if (!g_delayed_used.load(std::memory_order_relaxed)) {
    g_delayed_used.store(true, std::memory_order_relaxed);
  }
  d.temporary = temporary;
  d.size = size;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  d.site_plus_one = index + 1;
}

// Before a change with other threads about: the frees delayed while there were none go first.
inline void settle_if_used() noexcept {
  if (__builtin_expect(g_delayed_used.load(std::memory_order_relaxed), 0)) settle();
}

// Allocations whose site is found later (record_later). A stack the stack cache cannot name costs three
// misses to memory in a program of 100 000 stacks and more, one after the other: the probe slot, then the
// frames it points to and the site. Found kUnmatched at a time, each stage's lines for all of them load
// together: the probe slots from the allocations on, then the frames and sites of all, then the comparisons.
struct Unmatched {
  void* block;
  std::uint64_t hash;
  std::uint64_t size;
  std::uint32_t depth;
  std::uintptr_t frames[kMaxDepth];
};
constexpr std::uint32_t kUnmatchedAtOnce = 8;
Unmatched g_unmatched[kUnmatchedAtOnce];
std::uint32_t g_unmatched_count = 0;
// Set while the line is changed: a snapshot in a signal handler that interrupted it leaves it alone (its
// counts then lag by those allocations; the heap's totals do not).
bool g_unmatched_busy = false;

const Slot* first_slot(std::uint64_t hash) noexcept {
  const Shard& shard = g_shards[hash & (kShards - 1)];
  if (!shard.slots) return nullptr;
  return &shard.slots[static_cast<std::uint32_t>(hash >> 6) & (shard.capacity - 1)];
}

// Every unmatched allocation to its site (under the shards' locks when there are other threads), and the
// site into its block's header.
void match_unmatched() noexcept {
  const std::uint32_t count = g_unmatched_count;
  if (!count || g_unmatched_busy) return;
  const int saved_errno = errno;  // a new site's table may be mapped, in a free of the program's
  g_unmatched_busy = true;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  for (std::uint32_t i = 0; i < count; ++i) {
    const Slot* slot = first_slot(g_unmatched[i].hash);
    if (!slot || slot->hash != g_unmatched[i].hash || !slot->site_plus_one) continue;
    __builtin_prefetch(g_frames + (slot->where & ((1u << kFrameBits) - 1)));
    __builtin_prefetch(g_sites + (slot->site_plus_one - 1), 1);
  }
  for (std::uint32_t i = 0; i < count; ++i) {
    const Unmatched& u = g_unmatched[i];
    Shard& shard = g_shards[u.hash & (kShards - 1)];
    std::uint32_t index;
    {
      SharedGuard guard(shard.lock);
      index = find_or_add(shard, u.hash, u.frames, static_cast<int>(u.depth));
      if (index != kNoSite) count_allocation(g_sites[index], u.size);
    }
    if (index == kNoSite) change_live(-static_cast<std::int64_t>(u.size));  // counted nowhere after all
    headers::set_site(u.block, index);
  }
  g_unmatched_count = 0;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  g_unmatched_busy = false;
  errno = saved_errno;
}

}  // namespace

bool record_later(void* block, const std::uintptr_t* frames, int depth, std::uint64_t size) noexcept {
  if (!alone() || depth < 1 || depth > kMaxDepth || g_unmatched_busy) return false;
  if (g_unmatched_count == kUnmatchedAtOnce) match_unmatched();
  const std::uint64_t hash = hash_frames(frames, depth);
  if (const Slot* slot = first_slot(hash)) __builtin_prefetch(slot);
  g_unmatched_busy = true;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  Unmatched& u = g_unmatched[g_unmatched_count];
  u.block = block;
  u.hash = hash;
  u.size = size;
  u.depth = static_cast<std::uint32_t>(depth);
  std::memcpy(u.frames, frames, sizeof(std::uintptr_t) * static_cast<std::size_t>(depth));
  ++g_unmatched_count;
  if (!g_delayed_used.load(std::memory_order_relaxed)) g_delayed_used.store(true, std::memory_order_relaxed);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  g_unmatched_busy = false;
  add_live(size);
  return true;
}

void settle() noexcept {
  if (!g_delayed_used.load(std::memory_order_acquire)) return;
  if (alone()) {
    match_unmatched();
    return settle_delayed();
  }
  SpinGuard guard(g_delayed_lock);
  if (!g_delayed_used.load(std::memory_order_relaxed)) return;
  match_unmatched();
  settle_delayed();
  g_delayed_used.store(false, std::memory_order_release);
}

bool init() noexcept {
  if (g_sites) return true;
  g_exit_key_made = pthread_key_create(&g_exit_key, flush_at_exit) == 0;
  g_sites = static_cast<Site*>(pages::reserve_large(sizeof(Site) * kMaxSites));
  g_peak_bytes = static_cast<std::uint64_t*>(pages::reserve(sizeof(std::uint64_t) * kMaxSites));
  g_frames = static_cast<std::uintptr_t*>(pages::reserve_large(sizeof(std::uintptr_t) * kMaxFrames));
  g_slots = static_cast<std::uint32_t*>(pages::reserve_large(sizeof(std::uint32_t) * kMaxFrames));
  detail::g_bases = static_cast<std::uint64_t*>(pages::reserve(sizeof(std::uint64_t) * kMaxFrames));
  g_slot_room = static_cast<char*>(pages::reserve_large(kSlotRoomBytes));  // optional: pages::map otherwise
  return g_sites && g_peak_bytes && g_frames && g_slots && detail::g_bases;
}

std::uint32_t record_allocation(const std::uintptr_t* frames, int depth, std::uint64_t size) noexcept {
  std::uint64_t hash = hash_frames(frames, depth);
  Shard& shard = g_shards[hash & (kShards - 1)];
  if (!alone()) settle_if_used();  // before the shard's lock: settling takes shard locks
  std::uint32_t index;
  {
    SharedGuard guard(shard.lock);
    index = find_or_add(shard, hash, frames, depth);
    if (index == kNoSite) return kNoSite;
    count_allocation(g_sites[index], size);
  }
  // After the site: a peak reached by this allocation already includes it in the site's live bytes.
  add_live(size);
  return index;
}

void record_allocation_at(std::uint32_t index, std::uint64_t size) noexcept {
  Site& s = g_sites[index];
  if (!alone() && (settle_if_used(), site_batches::on())) {  // alone: no call
    site_batches::add(index, Changes{1, size, 1, size, 0});
  } else {
    SharedGuard guard(lock_of(s));
    count_allocation(s, size);
  }
  add_live(size);
}

void record_free(std::uint32_t index, std::uint64_t size, bool temporary) noexcept {
  const std::uint32_t site_count = g_site_count.load(std::memory_order_acquire);
  if (index >= site_count) return;
  // Before any site shrinks: the state so far was the peak, every site saves its share at its next change.
  if (g_peak_open.load(std::memory_order_relaxed) && g_peak_open.exchange(false, std::memory_order_acq_rel)) {
    settle();  // the changes before the peak belong to it
    g_epoch.fetch_add(1, std::memory_order_acq_rel);
    g_peak_ticks.store(core::clock::now_ticks(), std::memory_order_relaxed);
  }
  if (alone() && site_count >= kDelayFromSites) {
    delay_free(index, size, temporary);
  } else if (alone()) {
    apply_free(g_sites[index], size, temporary);
  } else if (settle_if_used(), site_batches::on()) {
    site_batches::add(index, Changes{0, 0, std::uint64_t(-1), std::uint64_t{0} - size, temporary ? 1u : 0u});
  } else {
    Site& s = g_sites[index];
    SharedGuard guard(lock_of(s));
    apply_free(s, size, temporary);
  }
  change_live(-static_cast<std::int64_t>(size));
}

bool apply(std::uint32_t index, const Changes& changes, bool wait) noexcept {
  Site& s = g_sites[index];
  SpinLock& lock = lock_of(s);
  if (wait)
    lock.lock();
  else if (!lock.try_lock())
    return false;
  save_peak_share(s);
  bump(s.allocations, changes.allocations);
  bump(s.allocated_bytes, changes.allocated_bytes);
  bump(s.live_blocks, changes.live_blocks);
  bump(s.live_bytes, changes.live_bytes);
  bump(s.temporary, changes.temporary);
  lock.unlock();
  return true;
}

void restore_free(std::uint32_t index, std::uint64_t size) noexcept {
  if (index >= g_site_count.load(std::memory_order_acquire)) return;
  settle();
  Site& s = g_sites[index];
  {
    SharedGuard guard(lock_of(s));
    save_peak_share(s);
    bump(s.live_blocks, std::uint64_t{1});
    bump(s.live_bytes, size);
  }
  add_live(size);
}

// The time of the first free after the peak; now while the heap has only grown since the peak.
std::uint64_t peak_ticks() noexcept {
  if (g_peak_open.load(std::memory_order_acquire)) return core::clock::now_ticks();
  return g_peak_ticks.load(std::memory_order_relaxed);
}

void note_bases(int depth) noexcept {
  g_bases_used.fetch_add(static_cast<std::uint64_t>(depth), std::memory_order_relaxed);
  pages::note_touched(static_cast<std::int64_t>(sizeof(std::uint64_t)) * depth);
}

std::uint64_t frames_used() noexcept {
  return g_frames_used.load(std::memory_order_relaxed);
}

std::uint64_t bytes_at_peak(const Site& s) noexcept {
  std::uint64_t epoch = g_epoch.load(std::memory_order_acquire);
  // An open peak is the current state.
  if (g_peak_open.load(std::memory_order_acquire) || __atomic_load_n(&s.peak_epoch, __ATOMIC_RELAXED) < epoch)
    return not_below_zero(__atomic_load_n(&s.live_bytes, __ATOMIC_RELAXED));
  return not_below_zero(__atomic_load_n(&g_peak_bytes[&s - g_sites], __ATOMIC_RELAXED));
}

void lock_all() noexcept {
  lock_shards(g_shards);
}

void unlock_all() noexcept {
  unlock_shards(g_shards);
}

void reset() noexcept {
  for (Delayed& d : g_delayed)  // the parent's sites' changes: gone with them
    d.site_plus_one = 0;
  g_unmatched_count = 0;  // the parent's blocks count for no site of the child (headers.hpp)
  g_unmatched_busy = false;
  g_delayed_at = 0;
  g_delayed_used.store(false, std::memory_order_relaxed);
  std::uint32_t sites = g_site_count.load(std::memory_order_relaxed);
  std::uint64_t frames = g_frames_used.load(std::memory_order_relaxed);
  pages::note_touched(-static_cast<std::int64_t>(kSiteBytes * sites + (sizeof(std::uintptr_t) + 4) * frames));
  pages::discard(g_sites, sizeof(Site) * kMaxSites);
  pages::discard(g_peak_bytes, sizeof(std::uint64_t) * kMaxSites);
  pages::discard(g_frames, sizeof(std::uintptr_t) * kMaxFrames);
  pages::discard(g_slots, sizeof(std::uint32_t) * kMaxFrames);
  pages::note_touched(-static_cast<std::int64_t>(sizeof(std::uint64_t) *
                                                 g_bases_used.exchange(0, std::memory_order_relaxed)));
  pages::discard(detail::g_bases, sizeof(std::uint64_t) * kMaxFrames);
  g_slot_room_used.store(0, std::memory_order_relaxed);
  pages::note_touched(-static_cast<std::int64_t>(g_slot_room_counted.exchange(0, std::memory_order_relaxed)));
  pages::discard(g_slot_room, kSlotRoomBytes);
  for (Shard& shard : g_shards) {
    if (!in_slot_room(shard.slots)) pages::unmap(shard.slots, sizeof(Slot) * shard.capacity);
    shard.slots = nullptr;
    shard.capacity = 0;
    shard.used = 0;
  }
  g_site_count.store(0, std::memory_order_relaxed);
  g_frames_used.store(0, std::memory_order_relaxed);
  g_owner_live.store(0, std::memory_order_relaxed);
  g_others_live.store(0, std::memory_order_relaxed);
  // Only the forking thread lives on in the child: the first thread to allocate there owns the exact counter.
  g_owner_taken.store(false, std::memory_order_relaxed);
  tl_counted = false;
  tl_owner = false;
  tl_pending = 0;
  site_batches::reset();
  g_peak.store(0, std::memory_order_relaxed);
  g_epoch.store(0, std::memory_order_relaxed);
  g_peak_ticks.store(0, std::memory_order_relaxed);
  g_peak_open.store(false, std::memory_order_relaxed);
}

}  // namespace prof::preload::memory::sites
