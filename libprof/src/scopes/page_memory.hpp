#pragma once
// Memory for call trees comes straight from mmap: the program's malloc (and the memory tracer watching it)
// never sees the profiler's own storage, and it can be taken after fork or from a signal handler.

#include <cstddef>

namespace prof::scopes {

// Zeroed pages, or null when the system refuses.
void* map_pages(std::size_t bytes) noexcept;
void unmap_pages(void* pages, std::size_t bytes) noexcept;

// Zeroed pages for a large table that is read at random (a wide tree's nodes and child index): from 2 MiB
// on, 2 MiB-aligned and advised to be huge pages (one TLB entry instead of 512, where Linux has transparent
// huge pages in `madvise` mode or always); below, plain pages. Freed with unmap_large_pages(same size).
void* map_large_pages(std::size_t bytes) noexcept;
void unmap_large_pages(void* pages, std::size_t bytes) noexcept;
inline constexpr std::size_t kLargePageBytes = std::size_t{2} << 20;

// Small records that live as long as the process (thread headers, ended threads' compact trees), packed into
// shared 1 MiB blocks so that 100 000 threads do not cost 100 000 mappings; 16-byte aligned, zeroed.
// Thread-safe (a spin lock: never called where a signal handler could interrupt its own thread's call).
void* arena_allocate(std::size_t bytes) noexcept;
// After fork, in the child: the lock may have been held by a thread that does not exist there.
void arena_reset_in_child() noexcept;

}  // namespace prof::scopes
