#pragma once
// The memory tracer's entry points for the malloc family: what happens around each call to the real
// allocator. Everything here is skipped while the calling thread is already inside the tracer.

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "memory/stack_cache.hpp"

namespace prof::preload::memory {

// Reads PROF_MEMORY and PROF_DEPTH, maps the tables, installs the fork handlers and the section writers.
void start() noexcept;
// From the shim's wrapper of main, just before main: the frames under the wrapper, which end every stack of
// the main thread from then on (root_frames.hpp).
void learn_main_tail() noexcept;
namespace detail {
extern std::atomic<bool> g_active;
}
// Inline: every call of the malloc family asks.
inline bool active() noexcept {
  return detail::g_active.load(std::memory_order_relaxed);
}

// errno: the entry points below leave it as they found it. They save it only around the calls that may
// change it (an unwind, a new site's tables, a thread's first stack bounds), not on every event: reading
// errno is a call into libc.

// Thread-local reentrancy guard: true while this thread runs tracer code (its allocations go untraced).
// Inline: twice on every event.
namespace detail {
extern constinit thread_local bool tl_busy __attribute__((tls_model("initial-exec")));
// The block this thread allocated last, kept when it is freed: where the thread's recent blocks are
// (free_queue.hpp).
extern constinit thread_local void* tl_recent __attribute__((tls_model("initial-exec")));
}  // namespace detail
inline bool enter() noexcept {
  if (detail::tl_busy || !active()) return false;
  detail::tl_busy = true;
  return true;
}
inline void leave() noexcept {
  detail::tl_busy = false;
}

// `caller`: the interposed function's return address and CFA, which interposed function it is, and the
// caller's rbp where known (stack_cache.hpp). Returns the site to keep in the block's books (headers.hpp):
// kNoSite when the block is counted nowhere. `in_place`: the block's books go into the block alone, its tail
// or header (headers.hpp), which may then say sites::kUnmatched until the site is found.
std::uint32_t on_allocation(void* block, std::size_t size, const stack_cache::Caller& caller,
                            bool in_place = false) noexcept;
// A block with the books `size` and `site` leaves. `realloc` frees are not temporary allocations: the data
// lives on in the new block. realloc takes the old block out before the real call (once the allocator frees
// it, another thread may get it back) and puts it back when the call fails.
void on_free(void* block, std::uint64_t size, std::uint32_t site, bool from_realloc) noexcept;
// A free the free queue counts late (free_queue.hpp), of a block that was not the last one allocated when the
// program freed it: not a temporary allocation.
void on_late_free(void* block, std::uint64_t size, std::uint32_t site) noexcept;
// A realloc that failed left the block live and unchanged: it goes back to its site with its size, neither a
// new allocation nor a free.
void on_realloc_failed(std::uint64_t size, std::uint32_t site) noexcept;

// Runtime pools: live blocks the shim's own code allocated and never freed, such as the emergency exception
// pool (71 KiB) the libstdc++ linked into the shim made while its exception machinery was linked in (none is
// now: the shim makes no block of its own, tests/preload "...land where they land..."). They are counted as
// allocations and in the peak like any block (heaptrack and valgrind count them too), but they are not the
// program's leaks: those tools free such pools at exit (__gnu_cxx::__freeres) before counting; the shim,
// whose snapshot may be written in a signal handler, cannot free, so it sets them apart instead.
struct RuntimePool {
  std::uint64_t blocks = 0;
  std::uint64_t bytes = 0;
};
// The runtime pools' live blocks charged to `site`, or to every site when `site` is kAllSites.
constexpr std::uint32_t kAllSites = ~0u;
RuntimePool runtime_pools(std::uint32_t site = kAllSites) noexcept;

}  // namespace prof::preload::memory
