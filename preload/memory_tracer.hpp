#pragma once
// The memory tracer's entry points for the malloc family: what happens around each call to the real
// allocator. Everything here is skipped while the calling thread is already inside the tracer.

#include <cstddef>

namespace prof::preload::memory {

// Reads PROF_MEMORY and PROF_DEPTH, maps the tables, installs the fork handlers and the section writers.
void start() noexcept;
bool active() noexcept;

// Thread-local reentrancy guard: true while this thread runs tracer code (its allocations go untraced).
bool enter() noexcept;
void leave() noexcept;

void on_allocation(void* block, std::size_t size) noexcept;
// `realloc` frees are not temporary allocations: the data lives on in the new block.
void on_free(void* block, bool from_realloc) noexcept;

}  // namespace prof::preload::memory
