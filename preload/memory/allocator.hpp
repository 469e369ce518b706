#pragma once
// The allocator behind the shim's malloc family: the next definition of each function (dlsym RTLD_NEXT),
// looked up on first use. dlsym itself may call calloc before the lookup is done; those calls, and any made
// while it runs, are served from a small static arena whose blocks never reach the real free.

#include <atomic>
#include <cstddef>
#include <cstdint>

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
  // Whether malloc_usable_size is the same allocator's as malloc and the aligned functions (one object
  // defines them all): only then may the tracer keep books at the end of a block's usable size.
  bool usable_size_matches;
};

// Inline below: every call of the malloc family asks both, so they cost a load and a compare, not a call.
namespace detail {
constexpr int kResolved = 2;
constexpr std::size_t kArenaBytes = 256 * 1024;
extern std::atomic<int> g_state;
extern Functions g_real;
// g_real.malloc again, with C linkage: the malloc trampoline (hooks.cpp) jumps through it by name.
extern "C" {
extern __attribute__((visibility("hidden"))) void* (*prof_real_malloc)(std::size_t);
}
extern __attribute__((visibility("hidden"))) char g_arena[kArenaBytes];  // read without the GOT: in_arena
const Functions* resolve_real() noexcept;
}  // namespace detail

// The real functions, or nullptr while they are being looked up (the caller then uses the arena).
inline const Functions* real() noexcept {
  if (detail::g_state.load(std::memory_order_acquire) == detail::kResolved) return &detail::g_real;
  return detail::resolve_real();
}

// Whether real() answers without a call.
inline bool resolved() noexcept {
  return detail::g_state.load(std::memory_order_acquire) == detail::kResolved;
}

// Bootstrap arena: 16-byte aligned blocks (alignment up to 4096 honoured), never freed.
void* arena_allocate(std::size_t size, std::size_t alignment = 16) noexcept;
inline bool in_arena(const void* block) noexcept {
  auto address = reinterpret_cast<std::uintptr_t>(block);
  auto begin = reinterpret_cast<std::uintptr_t>(detail::g_arena);
  return address - begin < detail::kArenaBytes;
}
std::size_t arena_size(const void* block) noexcept;

}  // namespace prof::preload::memory::allocator
