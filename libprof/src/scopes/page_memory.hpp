#pragma once
// Memory for call trees comes straight from mmap: the program's malloc (and the memory tracer watching it)
// never sees the profiler's own storage, and it can be taken after fork or from a signal handler.

#include <cstddef>

namespace prof::scopes {

// Zeroed pages, or null when the system refuses.
void* map_pages(std::size_t bytes) noexcept;
void unmap_pages(void* pages, std::size_t bytes) noexcept;

// Small records that live as long as the process (thread headers, ended threads' compact trees), packed into
// shared 1 MiB blocks so that 100 000 threads do not cost 100 000 mappings; 16-byte aligned, zeroed.
// Thread-safe (a spin lock: never called where a signal handler could interrupt its own thread's call).
void* arena_allocate(std::size_t bytes) noexcept;
// After fork, in the child: the lock may have been held by a thread that does not exist there.
void arena_reset_in_child() noexcept;

}  // namespace prof::scopes
