#pragma once
// Memory for the tracer's own tables, straight from mmap: the tracer must never call the allocator it traces.
// Every byte mapped is counted, so the snapshot can report what the tracer itself costs.

#include <cstddef>
#include <cstdint>

namespace prof::preload::memory::pages {

// Zeroed, read-write pages; nullptr when the kernel refuses.
void* map(std::size_t bytes) noexcept;
void unmap(void* address, std::size_t bytes) noexcept;

// Address space for a table that grows in place: pages are only backed (and counted, via touch) when used.
void* reserve(std::size_t bytes) noexcept;
// The same, with the pages past its first 256 KiB in huge pages (from a 2 MiB boundary on): a table that
// outgrows them (100 000 distinct stacks) is then filled with a page fault per 2 MiB instead of one per 4 KiB
// and read through a few TLB entries, while a small program's tables stay in small pages. Counting stays by
// the bytes used (note_touched): a table past 256 KiB may hold up to 2 MiB more than it counts.
void* reserve_large(std::size_t bytes) noexcept;
void note_touched(std::int64_t bytes) noexcept;
// Returns reserved pages to the kernel; they read as zero afterwards.
void discard(void* address, std::size_t bytes) noexcept;

// Bytes the tracer holds: mapped tables plus the used part of reservations.
std::uint64_t tracer_bytes() noexcept;
void reset_count() noexcept;

}  // namespace prof::preload::memory::pages
