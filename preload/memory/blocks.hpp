#pragma once
// Live blocks: pointer -> (size, site), 16 bytes per entry in 64 shards of open addressing with linear
// probing, each shard behind its own lock. Tables grow by half when 80 % full, so a live allocation costs
// at most 30 bytes of table.

#include <cstdint>

namespace prof::preload::memory::blocks {

struct Block {
  std::uint64_t size;
  std::uint32_t site;
};

// Replaces an entry with the same pointer (a block whose free the tracer missed). False when out of memory.
bool insert(const void* pointer, std::uint64_t size, std::uint32_t site) noexcept;
// Removes the block and returns it; false when the tracer never saw it.
bool remove(const void* pointer, Block& block) noexcept;

std::uint64_t live_blocks() noexcept;

void lock_all() noexcept;
void unlock_all() noexcept;
void reset() noexcept;

}  // namespace prof::preload::memory::blocks
