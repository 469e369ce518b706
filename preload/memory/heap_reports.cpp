// glibc's reports on its own heap (mallinfo, mallinfo2, malloc_stats, malloc_info) and malloc_trim, as the
// program calls them: the frees the tracer still holds (free_queue.hpp) reach glibc first, so that the
// program's own view of its heap is what it would be without the shim. Each call then goes on to the next
// definition (glibc's, or the program's allocator's), looked up at its first call.

#include <malloc.h>
#include <atomic>
#include <cstdio>

#include "export.hpp"
#include "memory/free_queue.hpp"
#include "real_functions.hpp"

namespace {

// The next definition (real::lookup, errno kept), once the waiting frees have reached glibc.
template <typename Fn>
Fn next(std::atomic<Fn>& slot, const char* name) noexcept {
  Fn function = prof::preload::real::lookup(slot, name);
  prof::preload::memory::free_queue::flush();
  return function;
}

using MallinfoFn = struct mallinfo (*)();
using Mallinfo2Fn = struct mallinfo2 (*)();
using MallocStatsFn = void (*)();
using MallocInfoFn = int (*)(int, FILE*);
using MallocTrimFn = int (*)(std::size_t);
std::atomic<MallinfoFn> g_mallinfo{nullptr};
std::atomic<Mallinfo2Fn> g_mallinfo2{nullptr};
std::atomic<MallocStatsFn> g_malloc_stats{nullptr};
std::atomic<MallocInfoFn> g_malloc_info{nullptr};
std::atomic<MallocTrimFn> g_malloc_trim{nullptr};

}  // namespace

PROF_SHIM_EXPORT struct mallinfo mallinfo() noexcept {
  MallinfoFn real = next(g_mallinfo, "mallinfo");
  struct mallinfo none {};
  return real ? real() : none;
}

PROF_SHIM_EXPORT struct mallinfo2 mallinfo2() noexcept {
  Mallinfo2Fn real = next(g_mallinfo2, "mallinfo2");
  struct mallinfo2 none {};
  return real ? real() : none;
}

PROF_SHIM_EXPORT void malloc_stats() noexcept {
  if (MallocStatsFn real = next(g_malloc_stats, "malloc_stats")) real();
}

PROF_SHIM_EXPORT int malloc_info(int options, FILE* stream) noexcept {
  MallocInfoFn real = next(g_malloc_info, "malloc_info");
  return real ? real(options, stream) : -1;
}

PROF_SHIM_EXPORT int malloc_trim(std::size_t pad) noexcept {
  MallocTrimFn real = next(g_malloc_trim, "malloc_trim");
  return real ? real(pad) : 0;
}
