#include "scopes/page_memory.hpp"

#include <sys/mman.h>

#include <cstdint>

#include "scopes/spin_lock.hpp"

namespace prof::scopes {

void* map_pages(std::size_t bytes) noexcept {
  void* pages = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return pages == MAP_FAILED ? nullptr : pages;
}

void unmap_pages(void* pages, std::size_t bytes) noexcept {
  if (pages) ::munmap(pages, bytes);
}

void* map_large_pages(std::size_t bytes) noexcept {
  if (bytes < kLargePageBytes) return map_pages(bytes);
  // Mapped with room to spare, then trimmed to a 2 MiB boundary on both sides.
  auto* pages = static_cast<char*>(map_pages(bytes + kLargePageBytes));
  if (!pages) return nullptr;
  auto address = reinterpret_cast<std::uintptr_t>(pages);
  std::size_t head = ((address + kLargePageBytes - 1) & ~(kLargePageBytes - 1)) - address;
  if (head) ::munmap(pages, head);
  if (std::size_t tail = kLargePageBytes - head) ::munmap(pages + head + bytes, tail);
  ::madvise(pages + head, bytes, MADV_HUGEPAGE);  // advice: refused or ignored, plain pages serve as well
  return pages + head;
}

void unmap_large_pages(void* pages, std::size_t bytes) noexcept {
  unmap_pages(pages, bytes);
}

namespace {
constexpr std::size_t kBlockBytes = std::size_t{1} << 20;
SpinLock g_arena_lock;
char* g_block = nullptr;
std::size_t g_block_used = kBlockBytes;
}  // namespace

void* arena_allocate(std::size_t bytes) noexcept {
  bytes = (bytes + 15) & ~std::size_t{15};
  // A record of more than a quarter block gets its own mapping: the block's rest stays for the small ones.
  if (bytes > kBlockBytes / 4) return map_pages(bytes);
  g_arena_lock.lock();
  if (g_block_used + bytes > kBlockBytes) {
    char* block = static_cast<char*>(map_pages(kBlockBytes));
    if (!block) {
      g_arena_lock.unlock();
      return nullptr;
    }
    g_block = block;
    g_block_used = 0;
  }
  void* record = g_block + g_block_used;
  g_block_used += bytes;
  g_arena_lock.unlock();
  return record;
}

void arena_reset_in_child() noexcept {
  g_arena_lock.reset_in_child();
}

}  // namespace prof::scopes
