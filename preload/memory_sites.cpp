#include "memory_sites.hpp"

#include <atomic>
#include <cstring>

#include "core/clock.hpp"
#include "memory_pages.hpp"
#include "memory_spin_lock.hpp"

namespace prof::preload::memory::sites {

namespace {

constexpr int kShards = 64;
constexpr std::uint32_t kMaxSites = 1u << 18;
constexpr std::uint64_t kMaxFrames = 1u << 23;
constexpr std::uint32_t kFirstSlots = 64;

// Open addressing of site indices + 1 (0: empty); grows by doubling under the shard's lock.
struct alignas(64) Shard {
  SpinLock lock;
  std::uint32_t* slots = nullptr;
  std::uint32_t capacity = 0;
  std::uint32_t used = 0;
};

Shard g_shards[kShards];
Site* g_sites = nullptr;
std::uintptr_t* g_frames = nullptr;
std::atomic<std::uint32_t> g_site_count{0};
std::atomic<std::uint64_t> g_frames_used{0};

alignas(64) std::atomic<std::uint64_t> g_live{0};
alignas(64) std::atomic<std::uint64_t> g_peak{0};
std::atomic<std::uint64_t> g_epoch{0};
std::atomic<std::uint64_t> g_peak_ticks{0};

std::uint64_t hash_frames(const std::uintptr_t* frames, int depth) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ static_cast<std::uint64_t>(depth);
  for (int i = 0; i < depth; ++i) {
    h ^= frames[i];
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  return h;
}

bool same_stack(const Site& s, std::uint64_t hash, const std::uintptr_t* frames, int depth) noexcept {
  return s.hash == hash && s.depth == static_cast<std::uint32_t>(depth) &&
         std::memcmp(g_frames + s.first_frame, frames, sizeof(std::uintptr_t) * depth) == 0;
}

bool grow(Shard& shard) noexcept {
  std::uint32_t capacity = shard.capacity ? shard.capacity * 2 : kFirstSlots;
  auto* slots = static_cast<std::uint32_t*>(pages::map(sizeof(std::uint32_t) * capacity));
  if (!slots) return false;
  for (std::uint32_t i = 0; i < shard.capacity; ++i) {
    std::uint32_t entry = shard.slots[i];
    if (!entry) continue;
    std::uint32_t at = static_cast<std::uint32_t>(g_sites[entry - 1].hash >> 6) & (capacity - 1);
    while (slots[at])
      at = (at + 1) & (capacity - 1);
    slots[at] = entry;
  }
  pages::unmap(shard.slots, sizeof(std::uint32_t) * shard.capacity);
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
  while (std::uint32_t entry = shard.slots[at]) {
    if (same_stack(g_sites[entry - 1], hash, frames, depth)) return entry - 1;
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
  pages::note_touched(static_cast<std::int64_t>(sizeof(Site) + sizeof(std::uintptr_t) * depth));
  Site& s = g_sites[index];
  s.hash = hash;
  s.depth = static_cast<std::uint32_t>(depth);
  s.first_frame = static_cast<std::uint32_t>(first);
  s.peak_epoch = g_epoch.load(std::memory_order_relaxed);
  shard.slots[at] = index + 1;
  ++shard.used;
  return index;
}

// Before a site changes: if a peak happened since its last change, its live bytes then were these.
void save_peak_share(Site& s) noexcept {
  std::uint64_t epoch = g_epoch.load(std::memory_order_acquire);
  if (s.peak_epoch < epoch) {
    __atomic_store_n(&s.peak_bytes, s.live_bytes, __ATOMIC_RELAXED);
    __atomic_store_n(&s.peak_epoch, epoch, __ATOMIC_RELAXED);
  }
}

void add_live(std::uint64_t size) noexcept {
  std::uint64_t live = g_live.fetch_add(size, std::memory_order_acq_rel) + size;
  std::uint64_t peak = g_peak.load(std::memory_order_relaxed);
  while (live > peak) {
    if (g_peak.compare_exchange_weak(peak, live, std::memory_order_acq_rel)) {
      g_epoch.fetch_add(1, std::memory_order_acq_rel);
      g_peak_ticks.store(core::clock::now_ticks(), std::memory_order_relaxed);
      break;
    }
  }
}

template <typename T>
void bump(T& field, T delta) noexcept {
  __atomic_store_n(&field, field + delta, __ATOMIC_RELAXED);
}

}  // namespace

bool init() noexcept {
  if (g_sites) return true;
  g_sites = static_cast<Site*>(pages::reserve(sizeof(Site) * kMaxSites));
  g_frames = static_cast<std::uintptr_t*>(pages::reserve(sizeof(std::uintptr_t) * kMaxFrames));
  return g_sites && g_frames;
}

std::uint32_t record_allocation(const std::uintptr_t* frames, int depth, std::uint64_t size) noexcept {
  std::uint64_t hash = hash_frames(frames, depth);
  Shard& shard = g_shards[hash & (kShards - 1)];
  std::uint32_t index;
  {
    SpinGuard guard(shard.lock);
    index = find_or_add(shard, hash, frames, depth);
    if (index == kNoSite) return kNoSite;
    Site& s = g_sites[index];
    save_peak_share(s);
    bump(s.allocations, std::uint64_t{1});
    bump(s.allocated_bytes, size);
    bump(s.live_blocks, std::uint64_t{1});
    bump(s.live_bytes, size);
  }
  // After the site: a peak reached by this allocation already includes it in the site's live bytes.
  add_live(size);
  return index;
}

void record_free(std::uint32_t index, std::uint64_t size, bool temporary) noexcept {
  if (index >= g_site_count.load(std::memory_order_acquire)) return;
  Site& s = g_sites[index];
  {
    SpinGuard guard(g_shards[s.hash & (kShards - 1)].lock);
    save_peak_share(s);
    bump(s.live_blocks, std::uint64_t(-1));
    bump(s.live_bytes, std::uint64_t{0} - size);
    if (temporary) bump(s.temporary, std::uint64_t{1});
  }
  g_live.fetch_sub(size, std::memory_order_acq_rel);
}

std::uint64_t live_bytes() noexcept {
  return g_live.load(std::memory_order_relaxed);
}
std::uint64_t peak_bytes() noexcept {
  return g_peak.load(std::memory_order_relaxed);
}
std::uint64_t peak_ticks() noexcept {
  return g_peak_ticks.load(std::memory_order_relaxed);
}

std::uint32_t count() noexcept {
  return g_site_count.load(std::memory_order_acquire);
}
const Site& site(std::uint32_t index) noexcept {
  return g_sites[index];
}
const std::uintptr_t* frames(const Site& s) noexcept {
  return g_frames + s.first_frame;
}
std::uint64_t frames_used() noexcept {
  return g_frames_used.load(std::memory_order_relaxed);
}

std::uint64_t bytes_at_peak(const Site& s) noexcept {
  std::uint64_t epoch = g_epoch.load(std::memory_order_acquire);
  if (__atomic_load_n(&s.peak_epoch, __ATOMIC_RELAXED) < epoch)
    return __atomic_load_n(&s.live_bytes, __ATOMIC_RELAXED);
  return __atomic_load_n(&s.peak_bytes, __ATOMIC_RELAXED);
}

void lock_all() noexcept {
  for (Shard& shard : g_shards)
    shard.lock.lock();
}

void unlock_all() noexcept {
  for (Shard& shard : g_shards)
    shard.lock.unlock();
}

void reset() noexcept {
  std::uint32_t sites = g_site_count.load(std::memory_order_relaxed);
  std::uint64_t frames = g_frames_used.load(std::memory_order_relaxed);
  pages::note_touched(-static_cast<std::int64_t>(sizeof(Site) * sites + sizeof(std::uintptr_t) * frames));
  pages::discard(g_sites, sizeof(Site) * kMaxSites);
  pages::discard(g_frames, sizeof(std::uintptr_t) * kMaxFrames);
  for (Shard& shard : g_shards) {
    pages::unmap(shard.slots, sizeof(std::uint32_t) * shard.capacity);
    shard.slots = nullptr;
    shard.capacity = 0;
    shard.used = 0;
  }
  g_site_count.store(0, std::memory_order_relaxed);
  g_frames_used.store(0, std::memory_order_relaxed);
  g_live.store(0, std::memory_order_relaxed);
  g_peak.store(0, std::memory_order_relaxed);
  g_epoch.store(0, std::memory_order_relaxed);
  g_peak_ticks.store(0, std::memory_order_relaxed);
}

}  // namespace prof::preload::memory::sites
