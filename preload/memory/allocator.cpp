#include "memory/allocator.hpp"

#include <dlfcn.h>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <initializer_list>

namespace prof::preload::memory::allocator {

namespace detail {

std::atomic<int> g_state{0};
Functions g_real{};
extern "C" {
void* (*prof_real_malloc)(std::size_t) = nullptr;
}
// dlsym's own needs are a few hundred bytes; the rest is room for other early callers.
alignas(4096) char g_arena[kArenaBytes];

}  // namespace detail

namespace {

using detail::g_arena;
using detail::g_real;
using detail::g_state;
using detail::kArenaBytes;

enum State : int { kUnresolved, kResolving, kResolved };
static_assert(kResolved == detail::kResolved);

std::atomic<std::size_t> g_arena_used{0};

// Each arena block is preceded by its size, so realloc and malloc_usable_size work on it.
struct ArenaHeader {
  std::size_t size;
  std::size_t pad;
};

template <typename Fn>
void lookup(Fn& slot, const char* name) noexcept {
  slot = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

// The start of the loaded object that holds `function`, or nullptr. _dl_find_object (glibc 2.35) looks the
// object up by address; dladdr also scans the object's symbols for the nearest one, about 8 us for libc on
// this machine, paid at every process start for each function asked about.
const void* object_of(void* function) noexcept {
  if (!function) return nullptr;
#if defined(__GLIBC_PREREQ) && __GLIBC_PREREQ(2, 35)
  dl_find_object found{};
  if (_dl_find_object(function, &found) == 0) return found.dlfo_map_start;
#endif
  Dl_info info{};
  return dladdr(function, &info) ? info.dli_fbase : nullptr;
}

// An allocator library that defines malloc but not malloc_usable_size would pair its blocks with glibc's
// answer for them.
bool one_object(std::initializer_list<void*> functions) noexcept {
  const void* base = nullptr;
  for (void* function : functions) {
    const void* object = object_of(function);
    if (!object || (base && object != base)) return false;
    base = object;
  }
  return true;
}

void resolve() noexcept {
  int saved = errno;
  lookup(g_real.malloc, "malloc");
  lookup(g_real.free, "free");
  lookup(g_real.calloc, "calloc");
  lookup(g_real.realloc, "realloc");
  lookup(g_real.reallocarray, "reallocarray");
  lookup(g_real.posix_memalign, "posix_memalign");
  lookup(g_real.aligned_alloc, "aligned_alloc");
  lookup(g_real.memalign, "memalign");
  lookup(g_real.valloc, "valloc");
  lookup(g_real.pvalloc, "pvalloc");
  lookup(g_real.malloc_usable_size, "malloc_usable_size");
  detail::prof_real_malloc = g_real.malloc;
  g_real.usable_size_matches =
      one_object({reinterpret_cast<void*>(g_real.malloc), reinterpret_cast<void*>(g_real.malloc_usable_size),
                  reinterpret_cast<void*>(g_real.posix_memalign),
                  reinterpret_cast<void*>(g_real.aligned_alloc), reinterpret_cast<void*>(g_real.memalign),
                  reinterpret_cast<void*>(g_real.valloc), reinterpret_cast<void*>(g_real.pvalloc)});
  errno = saved;
}

}  // namespace

const Functions* detail::resolve_real() noexcept {
  int state = g_state.load(std::memory_order_acquire);
  if (state == kResolved) return &g_real;
  int expected = kUnresolved;
  if (state == kUnresolved && g_state.compare_exchange_strong(expected, kResolving)) {
    resolve();
    // Without a real malloc there is nothing to hand the program; the arena keeps serving until it is full.
    if (!g_real.malloc || !g_real.free) {
      g_state.store(kUnresolved, std::memory_order_release);
      return nullptr;
    }
    g_state.store(kResolved, std::memory_order_release);
    return &g_real;
  }
  return nullptr;
}

void* arena_allocate(std::size_t size, std::size_t alignment) noexcept {
  if (alignment < 16) alignment = 16;
  if (alignment > 4096 || size > kArenaBytes) {
    errno = ENOMEM;
    return nullptr;
  }
  std::size_t used = g_arena_used.load(std::memory_order_relaxed);
  for (;;) {
    std::size_t start = (used + sizeof(ArenaHeader) + alignment - 1) & ~(alignment - 1);
    std::size_t end = (start + size + 15) & ~std::size_t{15};
    if (end > kArenaBytes) {
      errno = ENOMEM;
      return nullptr;
    }
    if (g_arena_used.compare_exchange_weak(used, end, std::memory_order_relaxed)) {
      auto* header = reinterpret_cast<ArenaHeader*>(g_arena + start - sizeof(ArenaHeader));
      header->size = size;
      return g_arena + start;
    }
  }
}

std::size_t arena_size(const void* block) noexcept {
  return reinterpret_cast<const ArenaHeader*>(static_cast<const char*>(block) - sizeof(ArenaHeader))->size;
}

}  // namespace prof::preload::memory::allocator
