// The malloc family as the program sees it: each function calls the real allocator and tells the tracer.
// Blocks come from the real allocator unchanged (no headers), so malloc_usable_size and foreign frees work.
// errno is what the real function left; the tracer's own work never shows in it.

#include <malloc.h>
#include <stdlib.h>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "export.hpp"
#include "memory/allocator.hpp"
#include "memory/tracer.hpp"
#include "process/on_demand.hpp"

namespace mem = prof::preload::memory;
namespace alloc = prof::preload::memory::allocator;

namespace {

// What the stack cache keys on: this interposed function's return address and CFA, read where the function
// itself runs (never in a helper, where inlining would change what they mean), and which function it is.
struct Caller {
  std::uintptr_t return_address;
  std::uintptr_t cfa;
  std::uint32_t entry;
};
#define PROF_CALLER(entry)                                               \
  Caller {                                                               \
    reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)),       \
        reinterpret_cast<std::uintptr_t>(__builtin_dwarf_cfa()), (entry) \
  }

void record(void* block, std::size_t size, const Caller& caller) noexcept {
  if (mem::enter()) {
    int saved = errno;
    mem::on_allocation(block, size, caller.return_address, caller.cfa, caller.entry);
    errno = saved;
    mem::leave();
  }
}

// Calls `call` on the real functions (or `fallback` while they are unknown), then records the result when
// this thread is not already inside the tracer.
template <typename Call, typename Fallback>
void* allocate(const Caller& caller, std::size_t size, Call call, Fallback fallback) noexcept {
  prof::preload::on_demand::safe_point();  // PROF_SNAPSHOT_SIGNAL / _INTERVAL: one relaxed load when unset
  const alloc::Functions* real = alloc::real();
  if (!real) return fallback();
  void* block = call(*real);
  if (block) record(block, size, caller);
  return block;
}

void release(void* block, bool from_realloc, mem::Released* released = nullptr) noexcept {
  if (!block || alloc::in_arena(block)) return;
  if (mem::enter()) {
    int saved = errno;
    mem::on_free(block, from_realloc, released);
    errno = saved;
    mem::leave();
  }
}

void* arena_realloc(void* block, std::size_t size) noexcept {
  void* moved = malloc(size);
  if (moved && block) {
    std::size_t old = alloc::arena_size(block);
    std::memcpy(moved, block, old < size ? old : size);
  }
  return moved;
}

}  // namespace

PROF_SHIM_EXPORT void* malloc(std::size_t size) noexcept {
  return allocate(
      PROF_CALLER(1), size, [&](const alloc::Functions& f) { return f.malloc(size); },
      [&] { return alloc::arena_allocate(size); });
}

PROF_SHIM_EXPORT void free(void* block) noexcept {
  if (!block || alloc::in_arena(block)) return;
  release(block, false);
  if (const alloc::Functions* real = alloc::real()) real->free(block);
}

PROF_SHIM_EXPORT void* calloc(std::size_t count, std::size_t size) noexcept {
  std::size_t bytes = 0;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  // Arena memory is static and never reused, so it is already zero.
  return allocate(
      PROF_CALLER(2), bytes, [&](const alloc::Functions& f) { return f.calloc(count, size); },
      [&] { return alloc::arena_allocate(bytes); });
}

PROF_SHIM_EXPORT void* realloc(void* block, std::size_t size) noexcept {
  if (!block) return malloc(size);
  if (alloc::in_arena(block)) return arena_realloc(block, size);
  const alloc::Functions* real = alloc::real();
  if (!real) return nullptr;
  // The old block leaves the map before the real call: once realloc frees it, another thread may get it back.
  mem::Released released;
  release(block, true, &released);
  void* moved = allocate(
      PROF_CALLER(3), size, [&](const alloc::Functions& f) { return f.realloc(block, size); },
      [] { return nullptr; });
  // realloc(p, 0) frees p and returns null; any other null is a failure that left p live and unchanged.
  if (!moved && size != 0 && mem::enter()) {
    int saved = errno;
    mem::on_realloc_failed(block, released);
    errno = saved;
    mem::leave();
  }
  return moved;
}

PROF_SHIM_EXPORT void* reallocarray(void* block, std::size_t count, std::size_t size) noexcept {
  std::size_t bytes = 0;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(block, bytes);
}

PROF_SHIM_EXPORT int posix_memalign(void** out, std::size_t alignment, std::size_t size) noexcept {
  const alloc::Functions* real = alloc::real();
  if (!real) {
    void* block = alloc::arena_allocate(size, alignment);
    if (!block) return ENOMEM;
    *out = block;
    return 0;
  }
  int rc = real->posix_memalign(out, alignment, size);
  if (rc == 0) record(*out, size, PROF_CALLER(5));
  return rc;
}

PROF_SHIM_EXPORT void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
  return allocate(
      PROF_CALLER(6), size, [&](const alloc::Functions& f) { return f.aligned_alloc(alignment, size); },
      [&] { return alloc::arena_allocate(size, alignment); });
}

PROF_SHIM_EXPORT void* memalign(std::size_t alignment, std::size_t size) noexcept {
  return allocate(
      PROF_CALLER(7), size, [&](const alloc::Functions& f) { return f.memalign(alignment, size); },
      [&] { return alloc::arena_allocate(size, alignment); });
}

PROF_SHIM_EXPORT void* valloc(std::size_t size) noexcept {
  return allocate(
      PROF_CALLER(8), size, [&](const alloc::Functions& f) { return f.valloc(size); },
      [&] { return alloc::arena_allocate(size, 4096); });
}

PROF_SHIM_EXPORT void* pvalloc(std::size_t size) noexcept {
  return allocate(
      PROF_CALLER(9), size, [&](const alloc::Functions& f) { return f.pvalloc(size); },
      [&] { return alloc::arena_allocate((size + 4095) & ~std::size_t{4095}, 4096); });
}

PROF_SHIM_EXPORT std::size_t malloc_usable_size(void* block) noexcept {
  if (!block) return 0;
  if (alloc::in_arena(block)) return alloc::arena_size(block);
  const alloc::Functions* real = alloc::real();
  return real && real->malloc_usable_size ? real->malloc_usable_size(block) : 0;
}
