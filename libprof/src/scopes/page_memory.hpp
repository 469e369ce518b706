#pragma once
// Memory for call trees comes straight from mmap: the program's malloc (and the memory tracer watching it)
// never sees the profiler's own storage, and it can be taken after fork or from a signal handler.

#include <cstddef>

namespace prof::scopes {

// Zeroed pages, or null when the system refuses.
void* map_pages(std::size_t bytes) noexcept;
void unmap_pages(void* pages, std::size_t bytes) noexcept;

}  // namespace prof::scopes
