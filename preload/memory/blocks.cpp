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
  // No lock while the process has one thread (spin_lock.hpp, SharedGuard): a locked instruction would wait
  // for the table's cache miss instead of letting it overlap the program's work.
  explicit ShardGuard(Shard& shard) noexcept : shard_(tl_holds_all || alone() ? nullptr : &shard) {
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

// The shards' tables come from one reservation with huge pages past its first 256 KiB (pages.hpp), as the
// sites' probe tables do: with 200 000 aligned blocks live (SIMD arrays, over-aligned C++ types) they span
// 5 MiB, and every insert and remove is a random access there, a TLB miss each in 64 tables of small pages.
// A table that grows moves up the room and gives the whole pages of the one it left back to the kernel;
// past the room's end tables are mapped on their own.
constexpr std::size_t kRoomBytes = std::size_t{1} << 30;
constexpr std::size_t kPage = 4096;
char* g_room = nullptr;
std::atomic<std::size_t> g_room_used{0};

std::size_t table_bytes(std::uint64_t capacity) noexcept {
  return (sizeof(Entry) * capacity + 63) & ~std::size_t{63};
}

bool in_room(const Entry* entries) noexcept {
  auto* bytes = reinterpret_cast<const char*>(entries);
  return g_room && bytes >= g_room && bytes < g_room + kRoomBytes;
}

Entry* take_table(std::uint64_t capacity) noexcept {
  std::size_t bytes = table_bytes(capacity);
  if (g_room) {
    std::size_t at = g_room_used.fetch_add(bytes, std::memory_order_relaxed);
    if (at + bytes <= kRoomBytes) {
      pages::note_touched(static_cast<std::int64_t>(bytes));
      return reinterpret_cast<Entry*>(g_room + at);  // zero: never used before
    }
  }
  return static_cast<Entry*>(pages::map(bytes));
}

void give_back(Entry* entries, std::uint64_t capacity) noexcept {
  if (!entries) return;
  std::size_t bytes = table_bytes(capacity);
  if (!in_room(entries)) {
    pages::unmap(entries, bytes);
    return;
  }
  pages::note_touched(-static_cast<std::int64_t>(bytes));
  // Whole pages only: the pages at either end may hold the tables taken before and after this one.
  auto start = (reinterpret_cast<std::uintptr_t>(entries) + kPage - 1) & ~(kPage - 1);
  auto end = (reinterpret_cast<std::uintptr_t>(entries) + bytes) & ~(kPage - 1);
  if (end > start) pages::discard(reinterpret_cast<void*>(start), end - start);
}

bool grow(Shard& shard) noexcept {
  std::uint64_t capacity = shard.capacity ? shard.capacity + shard.capacity / 2 : kFirstCapacity;
  Entry* entries = take_table(capacity);
  if (!entries) return false;
  for (std::uint64_t i = 0; i < shard.capacity; ++i) {
    const Entry& e = shard.entries[i];
    if (!e.pointer) continue;
    std::uint64_t at = home(mix(e.pointer), capacity);
    while (entries[at].pointer)
      at = at + 1 == capacity ? 0 : at + 1;
    entries[at] = e;
  }
  give_back(shard.entries, shard.capacity);
  // Atomic stores: prefetch() reads both without the lock.
  __atomic_store_n(&shard.entries, entries, __ATOMIC_RELAXED);
  __atomic_store_n(&shard.capacity, capacity, __ATOMIC_RELAXED);
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

// The count of all entries, under one shard's lock: other shards change it at the same time unless the
// process has a single thread.
void count_entries(int change) noexcept {
  if (alone())
    g_entries.store(g_entries.load(std::memory_order_relaxed) + static_cast<std::uint64_t>(change),
                    std::memory_order_relaxed);
  else
    g_entries.fetch_add(static_cast<std::uint64_t>(change), std::memory_order_relaxed);
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
    count_entries(+1);
  }
  shard.entries[at] = Entry{key, encode(block)};
  return true;
}

void init() noexcept {
  if (!g_room) g_room = static_cast<char*>(pages::reserve_large(kRoomBytes));
}

void prefetch(const void* pointer) noexcept {
  std::uint64_t hash = mix(reinterpret_cast<std::uintptr_t>(pointer));
  const Shard& shard = shard_of(hash);
  std::uint64_t capacity = __atomic_load_n(&shard.capacity, __ATOMIC_RELAXED);
  if (capacity)
    __builtin_prefetch(__atomic_load_n(&shard.entries, __ATOMIC_RELAXED) + home(hash, capacity), 1);
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
  count_entries(-1);
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
