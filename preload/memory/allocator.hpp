#pragma once
// The allocator behind the shim's malloc family: the next definition of each function (dlsym RTLD_NEXT),
// looked up on first use. dlsym itself may call calloc before the lookup is done; those calls, and any made
// while it runs, are served from a small static arena whose blocks never reach the real free.

#include <cstddef>

namespace prof::preload::memory::allocator {

struct Functions {
  void* (*malloc)(std::size_t);
  void (*free)(void*);
  void* (*calloc)(std::size_t, std::size_t);
  void* (*realloc)(void*, std::size_t);
  void* (*reallocarray)(void*, std::size_t, std::size_t);
  int (*posix_memalign)(void**, std::size_t, std::size_t);
  void* (*aligned_alloc)(std::size_t, std::size_t);
  void* (*memalign)(std::size_t, std::size_t);
  void* (*valloc)(std::size_t);
  void* (*pvalloc)(std::size_t);
  std::size_t (*malloc_usable_size)(void*);
};

// The real functions, or nullptr while they are being looked up (the caller then uses the arena).
const Functions* real() noexcept;

// Bootstrap arena: 16-byte aligned blocks (alignment up to 4096 honoured), never freed.
void* arena_allocate(std::size_t size, std::size_t alignment = 16) noexcept;
bool in_arena(const void* block) noexcept;
std::size_t arena_size(const void* block) noexcept;

}  // namespace prof::preload::memory::allocator
