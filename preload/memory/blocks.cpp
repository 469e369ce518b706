#include "memory/blocks.hpp"

#include <atomic>

#include "memory/pages.hpp"
#include "memory/spin_lock.hpp"

namespace prof::preload::memory::blocks {

// Entries in all shards: read without a lock by may_hold() (sampled mode's frees of blocks never inserted).
std::atomic<std::uint64_t> detail::g_entries{0};
std::atomic<std::uint8_t> detail::g_filter[std::size_t{1} << detail::kFilterBits];

namespace {

using detail::bucket_of;
using detail::g_entries;
using detail::g_filter;
using detail::mix;
constexpr int kShards = 64;
static_assert(detail::kFilterBits >= 6, "a bucket's shard is the hash's top 6 bits");
constexpr std::uint64_t kFirstCapacity = 256;
constexpr int kSizeBits = 39;  // blocks up to 512 GiB; a header flag, then the site index in 24 bits
constexpr std::uint64_t kSizeMask = (std::uint64_t{1} << kSizeBits) - 1;
constexpr std::uint64_t kHeaderBit = std::uint64_t{1} << kSizeBits;
constexpr std::uint32_t kSiteMask = 0xFFFFFF;

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
// Set in the thread that holds every shard lock (fork prepare): it neither waits for itself nor unlocks.
thread_local bool tl_holds_all __attribute__((tls_model("initial-exec"))) = false;

class ShardGuard {
 public:
  explicit ShardGuard(Shard& shard) noexcept : shard_(tl_holds_all ? nullptr : &shard) {
    if (shard_) shard_->lock.lock();
  }
  ~ShardGuard() {
    if (shard_) shard_->lock.unlock();
  }
  ShardGuard(const ShardGuard&) = delete;
  ShardGuard& operator=(const ShardGuard&) = delete;

 private:
  Shard* shard_;
};

std::uint64_t encode(const Block& block) noexcept {
  return (block.size > kSizeMask ? kSizeMask : block.size) | (block.header ? kHeaderBit : 0) |
         (std::uint64_t{block.site & kSiteMask} << (kSizeBits + 1));
}

Block decode(std::uint64_t value) noexcept {
  auto site = static_cast<std::uint32_t>(value >> (kSizeBits + 1));
  return Block{value & kSizeMask, site == kSiteMask ? 0xFFFFFFFFu : site, (value & kHeaderBit) != 0};
}

// The slot holding `key`, or -1.
std::int64_t slot_of(const Shard& shard, std::uintptr_t key, std::uint64_t hash) noexcept;

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

namespace {

std::int64_t slot_of(const Shard& shard, std::uintptr_t key, std::uint64_t hash) noexcept {
  if (!shard.capacity) return -1;
  std::uint64_t at = home(hash, shard.capacity);
  for (;;) {
    const Entry& e = shard.entries[at];
    if (!e.pointer) return -1;
    if (e.pointer == key) return static_cast<std::int64_t>(at);
    at = at + 1 == shard.capacity ? 0 : at + 1;
  }
}

// Without the lock: a block being freed or measured was inserted (if ever) by a thread whose allocation
// happens before this call, so an empty bucket cannot hold it.
bool bucket_empty(std::uint64_t hash) noexcept {
  return g_filter[bucket_of(hash)].load(std::memory_order_relaxed) == 0;
}

// The bucket's count, under its shard's lock (so plain loads and stores, atomic for may_hold's readers).
void count_in_bucket(std::uint64_t hash, int change) noexcept {
  std::atomic<std::uint8_t>& count = g_filter[bucket_of(hash)];
  const std::uint8_t now = count.load(std::memory_order_relaxed);
  if (now != 0xFF) count.store(static_cast<std::uint8_t>(now + change), std::memory_order_relaxed);
}

}  // namespace

bool insert(const void* pointer, const Block& block) noexcept {
  auto key = reinterpret_cast<std::uintptr_t>(pointer);
  std::uint64_t hash = mix(key);
  Shard& shard = shard_of(hash);
  ShardGuard guard(shard);
  if ((shard.used + 1) * 5 > shard.capacity * 4 && !grow(shard)) return false;
  std::uint64_t at = home(hash, shard.capacity);
  while (shard.entries[at].pointer && shard.entries[at].pointer != key)
    at = at + 1 == shard.capacity ? 0 : at + 1;
  if (!shard.entries[at].pointer) {
    ++shard.used;
    count_in_bucket(hash, +1);
    g_entries.fetch_add(1, std::memory_order_relaxed);
  }
  shard.entries[at] = Entry{key, encode(block)};
  return true;
}

bool find(const void* pointer, Block& block) noexcept {
  auto key = reinterpret_cast<std::uintptr_t>(pointer);
  std::uint64_t hash = mix(key);
  if (bucket_empty(hash)) return false;
  Shard& shard = shard_of(hash);
  ShardGuard guard(shard);
  std::int64_t at = slot_of(shard, key, hash);
  if (at < 0) return false;
  block = decode(shard.entries[at].size_and_site);
  return true;
}

bool remove(const void* pointer, Block& block) noexcept {
  auto key = reinterpret_cast<std::uintptr_t>(pointer);
  std::uint64_t hash = mix(key);
  if (bucket_empty(hash)) return false;
  Shard& shard = shard_of(hash);
  ShardGuard guard(shard);
  std::int64_t found = slot_of(shard, key, hash);
  if (found < 0) return false;
  std::uint64_t capacity = shard.capacity;
  auto at = static_cast<std::uint64_t>(found);
  block = decode(shard.entries[at].size_and_site);
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
  count_in_bucket(hash, -1);
  g_entries.fetch_sub(1, std::memory_order_relaxed);
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
  tl_holds_all = true;
}

void unlock_all() noexcept {
  tl_holds_all = false;
  unlock_shards(g_shards);
}

void forget_sites() noexcept {
  for (Shard& shard : g_shards) {
    for (std::uint64_t i = 0; i < shard.capacity; ++i) {
      Entry& e = shard.entries[i];
      if (!e.pointer) continue;
      Block block = decode(e.size_and_site);
      block.site = 0xFFFFFFFFu;
      e.size_and_site = encode(block);
    }
  }
}

}  // namespace prof::preload::memory::blocks
