#pragma once
// One site per unique allocating stack, with its counters. Stacks are found by the hash of their return
// addresses in 64 shards, each with its own lock, so threads allocating from different places rarely meet;
// threads allocating from the same places hand their changes over in per-thread batches (site_batches.hpp).
// Peak shares use epochs: each new global peak starts an epoch, at the first free after it (until then the
// heap has only grown, and its current state is the peak); a site about to change in a newer epoch than its
// last change first saves its live bytes as its bytes at the peak.

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace prof::preload::memory::sites {

constexpr int kMaxDepth = 256;
constexpr std::uint32_t kNoSite = 0xFFFFFFFF;

// A cache line each: threads counting on different sites never share a line, and a program with 100 000
// sites or more (each a cache miss in random order) pays one line per site, not two. Its live bytes at the
// peak are written once per peak at most, and live in their own array (detail::g_peak_bytes).
struct alignas(64) Site {
  std::uint16_t depth;
  std::uint16_t shard;        // of the probe tables (sites.cpp), whose lock guards the counters
  std::uint32_t first_frame;  // index into the frame store (and the slot store)
  // Whether the stack cache may replay this stack and for which of its generations (stack_cache.cpp); 0 when
  // not yet known. Read and written with atomics: any thread that meets the stack may fill it in.
  std::uint32_t replay;
  // The site that, last time, came next from the same caller's key (stack_cache.cpp): a program that repeats
  // its sequence of allocating stacks is found without a walk or a probe. A hint, checked like any guess;
  // kNoSite when none. Any thread may write it (relaxed atomics).
  std::uint32_t next;
  std::uint64_t allocations;
  std::uint64_t allocated_bytes;
  std::uint64_t live_blocks;
  std::uint64_t live_bytes;
  std::uint64_t temporary;
  std::uint64_t peak_epoch;  // the site's entry in g_peak_bytes is valid when this is the global epoch
};
static_assert(sizeof(Site) == 64);

// Maps the reservations; false if the kernel refused (the tracer then stays off).
bool init() noexcept;

// Records an allocation of `size` bytes from the stack `frames[0..depth)` (innermost first); returns the
// site, or kNoSite when the tables are full.
std::uint32_t record_allocation(const std::uintptr_t* frames, int depth, std::uint64_t size) noexcept;
// The same for a site already known (found by the stack cache).
void record_allocation_at(std::uint32_t site, std::uint64_t size) noexcept;
// What a header block's books say while its site is not found yet (fits the header's 24 bits, above every
// site index).
constexpr std::uint32_t kUnmatched = 0x00FFFFFE;
// While the process has one thread: records the allocation of `block` (a header block, headers.hpp) from the
// stack frames[0..depth), counting its bytes in the heap at once and finding its site later, with a few
// others whose tables are loaded meanwhile; the block's header learns the site then. The caller keeps
// kUnmatched in the header until settle() (which a free or realloc of the block calls first). False when it
// cannot (other threads): record_allocation then.
bool record_later(void* block, const std::uintptr_t* frames, int depth, std::uint64_t size) noexcept;
void record_free(std::uint32_t site, std::uint64_t size, bool temporary) noexcept;
// Undoes a non-temporary record_free (a realloc that failed: the block was never freed).
void restore_free(std::uint32_t site, std::uint64_t size) noexcept;
// While the process has one thread, a site's counters change a few events after the event (sites.cpp), and
// some allocations find their site later (record_later); this applies what waits. Called before the counters
// are read (a snapshot) and before a block whose books say kUnmatched is freed or moved; the calling thread
// holds no lock.
void settle() noexcept;

// The global live heap and its peak. The first thread that allocates is counted at every event (a program
// that allocates from one thread has them exact); every other thread hands its changes over in batches of up
// to 64 KiB (one shared counter touched by every event would make two threads slower than one), so the peak
// may be off by that much per other thread.
inline std::uint64_t live_bytes() noexcept;
inline std::uint64_t peak_bytes() noexcept;
std::uint64_t peak_ticks() noexcept;
// Whether the heap has only grown since its latest peak: the next free starts the peak's epoch.
inline bool peak_open() noexcept;

// For the snapshot: how many sites exist, a site (counters read without locks), its frames.
// Inline: the stack cache reads them on every allocation it replays.
inline std::uint32_t count() noexcept;
inline const Site& site(std::uint32_t index) noexcept;
inline const std::uintptr_t* frames(const Site& site) noexcept;
std::uint64_t frames_used() noexcept;
// Starts loading a site's counters, to be changed soon.
inline void prefetch(std::uint32_t index) noexcept;
// The stack cache's slot store: one 32-bit word per frame of the site, beside its frames.
inline std::uint32_t* slots(const Site& site) noexcept;
// The stack cache's frame bases, beside them: one 64-bit word per frame, written and read only for sites with
// frames that compute their CFA from rbp (stack_cache.cpp). Reserved, touched only where used.
inline std::uint64_t* bases(const Site& site) noexcept;
// Counts a site's bases as the tracer's memory, once, when first written.
void note_bases(int depth) noexcept;
// The site's live bytes at the global peak.
std::uint64_t bytes_at_peak(const Site& site) noexcept;
// Changes to a site's counters, handed over at once (site_batches.hpp). Differences wrap below zero.
struct Changes {
  std::uint64_t allocations;
  std::uint64_t allocated_bytes;
  std::uint64_t live_blocks;
  std::uint64_t live_bytes;
  std::uint64_t temporary;
};
// Adds them to the site under its shard's lock: waiting for it, or only if it is free (false otherwise).
bool apply(std::uint32_t index, const Changes& changes, bool wait) noexcept;
// A live counter as a snapshot reads it while threads run: one thread's batched frees may reach a site before
// another's batched allocations, and the counter then reads below zero for a while.
inline std::uint64_t not_below_zero(std::uint64_t counter) noexcept {
  return static_cast<std::int64_t>(counter) < 0 ? 0 : counter;
}

// fork: every shard lock taken in prepare, released in parent and child; the child starts empty.
void lock_all() noexcept;
void unlock_all() noexcept;
void reset() noexcept;

namespace detail {
extern Site* g_sites;
extern std::uint64_t* g_peak_bytes;  // per site: its live bytes at the peak (Site::peak_epoch)
extern std::uintptr_t* g_frames;
extern std::uint32_t* g_slots;
extern std::uint64_t* g_bases;
extern std::atomic<std::uint32_t> g_site_count;
extern std::atomic<std::int64_t> g_owner_live;
extern std::atomic<std::int64_t> g_others_live;
extern std::atomic<bool> g_peak_open;
extern std::atomic<std::uint64_t> g_peak;
}  // namespace detail

inline std::uint64_t peak_bytes() noexcept {
  return detail::g_peak.load(std::memory_order_relaxed);
}

inline bool peak_open() noexcept {
  return detail::g_peak_open.load(std::memory_order_relaxed);
}

inline std::uint64_t live_bytes() noexcept {
  std::int64_t live = detail::g_owner_live.load(std::memory_order_relaxed) +
                      detail::g_others_live.load(std::memory_order_relaxed);
  return live > 0 ? static_cast<std::uint64_t>(live) : 0;
}
inline std::uint32_t count() noexcept {
  return detail::g_site_count.load(std::memory_order_acquire);
}
inline const Site& site(std::uint32_t index) noexcept {
  return detail::g_sites[index];
}
inline const std::uintptr_t* frames(const Site& s) noexcept {
  return detail::g_frames + s.first_frame;
}
inline std::uint32_t* slots(const Site& s) noexcept {
  return detail::g_slots + s.first_frame;
}
inline std::uint64_t* bases(const Site& s) noexcept {
  return detail::g_bases + s.first_frame;
}
inline void prefetch(std::uint32_t index) noexcept {
  __builtin_prefetch(detail::g_sites + index, 1);
}

}  // namespace prof::preload::memory::sites
