#include "memory/pages.hpp"

#include <sys/mman.h>
#include <atomic>
#include <cstdint>

namespace prof::preload::memory::pages {

namespace {

std::atomic<std::int64_t> g_bytes{0};
// reserve_large's first bytes in small pages: a table that stays within them (a small program's) costs no
// more memory than it uses; one that grows past them pays a fault per 2 MiB from there. The point where a
// huge page's fault (90-180 us: zeroing 2 MiB) costs less than the small pages' it replaces (1.4-12 us each,
// by the machine) is 15-130 pages.
constexpr std::size_t kSmallHead = 256 << 10;

}  // namespace

void* map(std::size_t bytes) noexcept {
  void* address = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (address == MAP_FAILED) return nullptr;
  g_bytes.fetch_add(static_cast<std::int64_t>(bytes), std::memory_order_relaxed);
  return address;
}

void unmap(void* address, std::size_t bytes) noexcept {
  if (!address) return;
  ::munmap(address, bytes);
  g_bytes.fetch_sub(static_cast<std::int64_t>(bytes), std::memory_order_relaxed);
}

void* reserve(std::size_t bytes) noexcept {
  void* address =
      ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return address == MAP_FAILED ? nullptr : address;
}

void* reserve_large(std::size_t bytes) noexcept {
  constexpr std::uintptr_t kLarge = std::uintptr_t{2} << 20;
  bytes = (bytes + kLarge - 1) & ~(kLarge - 1);
  // [kSmallHead of small pages][huge pages from a 2 MiB boundary]: reserved with room to align.
  auto* room = static_cast<char*>(reserve(bytes + kLarge));
  if (!room) return nullptr;
  auto address = reinterpret_cast<std::uintptr_t>(room);
  std::uintptr_t boundary = (address + kSmallHead + kLarge - 1) & ~(kLarge - 1);
  char* table = room + (boundary - kSmallHead - address);
  std::size_t before = static_cast<std::size_t>(table - room);
  if (before) ::munmap(room, before);
  ::munmap(table + bytes, kLarge - before);
  // Advice: a kernel without transparent huge pages refuses or ignores it, and small pages serve as well.
  if (bytes > kSmallHead) ::madvise(table + kSmallHead, bytes - kSmallHead, MADV_HUGEPAGE);
  return table;
}

void note_touched(std::int64_t bytes) noexcept {
  g_bytes.fetch_add(bytes, std::memory_order_relaxed);
}

void discard(void* address, std::size_t bytes) noexcept {
  if (address) ::madvise(address, bytes, MADV_DONTNEED);
}

std::uint64_t tracer_bytes() noexcept {
  std::int64_t bytes = g_bytes.load(std::memory_order_relaxed);
  return bytes < 0 ? 0 : static_cast<std::uint64_t>(bytes);
}

void reset_count() noexcept {
  g_bytes.store(0, std::memory_order_relaxed);
}

}  // namespace prof::preload::memory::pages
