#include "memory/pages.hpp"

#include <sys/mman.h>
#include <atomic>
#include <cstdint>

namespace prof::preload::memory::pages {

namespace {

std::atomic<std::int64_t> g_bytes{0};

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
  auto* room = static_cast<char*>(reserve(bytes + kLarge));
  if (!room) return nullptr;
  auto address = reinterpret_cast<std::uintptr_t>(room);
  std::size_t head = ((address + kLarge - 1) & ~(kLarge - 1)) - address;
  if (head) ::munmap(room, head);
  ::munmap(room + head + bytes, kLarge - head);
  // Advice: a kernel without transparent huge pages refuses or ignores it, and small pages serve as well.
  if (bytes > kLarge) ::madvise(room + head + kLarge, bytes - kLarge, MADV_HUGEPAGE);
  return room + head;
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
