#pragma once
// The side table of live blocks whose books are not in a header before them (headers.hpp): blocks of an
// alignment above 16 (no header, whose room would cost the alignment) and header blocks whose address is
// page-aligned (their header may not be read before knowing they are ours). A few per cent of blocks at most,
// so the table stays small and cached. pointer -> (size, site, header?), 16 bytes per entry in 64 shards of
// open addressing with linear probing, each shard behind its own lock; tables grow by half when 80 % full.

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace prof::preload::memory::blocks {

// Sites are 18 bits (sites.cpp): kNoSite is stored as all ones.
struct Block {
  std::uint64_t size;
  std::uint32_t site;
  bool header;  // the block also has a header (the pointer the real allocator knows is 16 bytes lower)
};

// Reserves the room for the tables (before the tracer starts; without it each table is mapped on its own).
void init() noexcept;
// Replaces an entry with the same pointer (a block whose free the tracer missed). False when out of memory.
bool insert(const void* pointer, const Block& block) noexcept;
// Removes the block and returns it; false when the tracer never saw it.
bool remove(const void* pointer, Block& block) noexcept;
bool find(const void* pointer, Block& block) noexcept;
// Starts loading the slot where `pointer` would be, to be inserted soon: with 100 000 aligned blocks live the
// table outgrows the caches, and the miss can overlap the stack's replay.
void prefetch(const void* pointer) noexcept;
// Without a lock: false when the table surely does not hold `pointer`, for a block allocated before this call
// by a thread that happens before it (the block being freed). Sampled mode asks it at every free of a block
// without a header tag (heap_sampler.hpp): nearly all of them, and nearly none is in the table. One counter
// per bucket of pointers says how many entries the bucket has: with 17 entries live, 0.1 % of those frees
// look further (a shard's emptiness, 64 shards, let 25 % through to a locked probe).
namespace detail {
constexpr int kFilterBits = 14;
extern std::atomic<std::uint64_t> g_entries;  // entries in all shards
// Entries per bucket, changed under the lock of the bucket's shard (the hash's top bits pick both); a count
// that reaches 255 stays there, so a bucket never reads empty while it holds an entry.
extern std::atomic<std::uint8_t> g_filter[std::size_t{1} << kFilterBits];
inline std::uint64_t mix(std::uintptr_t pointer) noexcept {
  std::uint64_t h = (static_cast<std::uint64_t>(pointer) >> 4) * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 29);
}
inline std::size_t bucket_of(std::uint64_t hash) noexcept {
  return static_cast<std::size_t>(hash >> (64 - kFilterBits));
}
}  // namespace detail
inline bool may_hold(const void* pointer) noexcept {
  using namespace detail;
  return g_entries.load(std::memory_order_relaxed) != 0 &&
         g_filter[bucket_of(mix(reinterpret_cast<std::uintptr_t>(pointer)))].load(
             std::memory_order_relaxed) != 0;
}

std::uint64_t live_blocks() noexcept;

// fork: lock_all in prepare, unlock_all in parent and child. The thread that holds every lock may still use
// the table (other prepare handlers allocate): it skips the locks it holds.
void lock_all() noexcept;
void unlock_all() noexcept;
// The fork child: entries stay (they say how to free the parent's blocks) but count for no site.
void forget_sites() noexcept;

}  // namespace prof::preload::memory::blocks
