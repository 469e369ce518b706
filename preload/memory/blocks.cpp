#include "memory/blocks.hpp"

#include "memory/pages.hpp"
#include "memory/spin_lock.hpp"

namespace prof::preload::memory::blocks {

namespace {

constexpr int kShards = 64;
constexpr std::uint64_t kFirstCapacity = 256;
constexpr int kSizeBits = 40;  // blocks up to 1 TiB; the site index takes the other 24 bits
constexpr std::uint64_t kSizeMask = (std::uint64_t{1} << kSizeBits) - 1;

struct Entry {
  std::uintptr_t pointer;  // 0: empty
  std::uint64_t size_and_site;
};
static_assert(sizeof(Entry) == 16);

struct alignas(64) Shard {
  SpinLock lock;
  Entry* entries = nullptr;
  std::uint64_t capacity = 0;
  std::uint64_t used = 0;
};

Shard g_shards[kShards];

std::uint64_t mix(std::uintptr_t pointer) noexcept {
  std::uint64_t h = (static_cast<std::uint64_t>(pointer) >> 4) * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 29);
}

Shard& shard_of(std::uint64_t hash) noexcept {
  return g_shards[hash >> 58];
}

std::uint64_t home(std::uint64_t hash, std::uint64_t capacity) noexcept {
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(hash << 6) * capacity) >> 64);
}

bool grow(Shard& shard) noexcept {
  std::uint64_t capacity = shard.capacity ? shard.capacity + shard.capacity / 2 : kFirstCapacity;
  auto* entries = static_cast<Entry*>(pages::map(sizeof(Entry) * capacity));
  if (!entries) return false;
  for (std::uint64_t i = 0; i < shard.capacity; ++i) {
    const Entry& e = shard.entries[i];
    if (!e.pointer) continue;
    std::uint64_t at = home(mix(e.pointer), capacity);
    while (entries[at].pointer)
      at = at + 1 == capacity ? 0 : at + 1;
    entries[at] = e;
  }
  pages::unmap(shard.entries, sizeof(Entry) * shard.capacity);
  shard.entries = entries;
  shard.capacity = capacity;
  return true;
}

}  // namespace

bool insert(const void* pointer, std::uint64_t size, std::uint32_t site) noexcept {
  auto key = reinterpret_cast<std::uintptr_t>(pointer);
  std::uint64_t hash = mix(key);
  Shard& shard = shard_of(hash);
  SpinGuard guard(shard.lock);
  if ((shard.used + 1) * 5 > shard.capacity * 4 && !grow(shard)) return false;
  std::uint64_t at = home(hash, shard.capacity);
  while (shard.entries[at].pointer && shard.entries[at].pointer != key)
    at = at + 1 == shard.capacity ? 0 : at + 1;
  if (!shard.entries[at].pointer) ++shard.used;
  shard.entries[at] = Entry{key, (size > kSizeMask ? kSizeMask : size) | (std::uint64_t{site} << kSizeBits)};
  return true;
}

bool remove(const void* pointer, Block& block) noexcept {
  auto key = reinterpret_cast<std::uintptr_t>(pointer);
  std::uint64_t hash = mix(key);
  Shard& shard = shard_of(hash);
  SpinGuard guard(shard.lock);
  if (!shard.capacity) return false;
  std::uint64_t capacity = shard.capacity;
  std::uint64_t at = home(hash, capacity);
  for (;;) {
    const Entry& e = shard.entries[at];
    if (!e.pointer) return false;
    if (e.pointer == key) break;
    at = at + 1 == capacity ? 0 : at + 1;
  }
  block.size = shard.entries[at].size_and_site & kSizeMask;
  block.site = static_cast<std::uint32_t>(shard.entries[at].size_and_site >> kSizeBits);
  // Backward-shift deletion: later entries of the probe run move up, so no tombstones are needed.
  std::uint64_t hole = at;
  std::uint64_t next = at;
  for (;;) {
    next = next + 1 == capacity ? 0 : next + 1;
    const Entry& e = shard.entries[next];
    if (!e.pointer) break;
    std::uint64_t want = home(mix(e.pointer), capacity);
    bool movable = hole <= next ? (want <= hole || want > next) : (want <= hole && want > next);
    if (movable) {
      shard.entries[hole] = e;
      hole = next;
    }
  }
  shard.entries[hole] = Entry{0, 0};
  --shard.used;
  return true;
}

std::uint64_t live_blocks() noexcept {
  std::uint64_t total = 0;
  for (const Shard& shard : g_shards)
    total += __atomic_load_n(&shard.used, __ATOMIC_RELAXED);
  return total;
}

void lock_all() noexcept {
  lock_shards(g_shards);
}

void unlock_all() noexcept {
  unlock_shards(g_shards);
}

void reset() noexcept {
  for (Shard& shard : g_shards) {
    pages::unmap(shard.entries, sizeof(Entry) * shard.capacity);
    shard.entries = nullptr;
    shard.capacity = 0;
    shard.used = 0;
  }
}

}  // namespace prof::preload::memory::blocks
