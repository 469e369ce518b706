#pragma once
// Per-thread memory of recent allocating stacks, so that an allocation from a call path seen before costs a
// few loads instead of a full unwind. The key is what the interposed function knows for free: its return
// address and its CFA (the caller's stack pointer). A hit is exact, not a guess: an entry is only kept when
// every outer frame computes its CFA as "stack pointer + constant" with the return address at CFA - 8
// (checked against .eh_frame), so from the same caller and stack pointer the walk reads the same stack slots;
// on every hit those slots are re-read and must still hold the stored return addresses, which makes the walk
// the same as the full unwind that created the entry, frame for frame.

#include <cstdint>

namespace prof::preload::memory::stack_cache {

// The interposed function's view of its caller. `entry` tells the interposed functions apart: the shim frames
// above the caller, and so the unwinder's depth limit, differ between them.
struct Caller {
  std::uintptr_t return_address;
  std::uintptr_t cfa;
  std::uint32_t entry;
};

// The site of the caller's stack when it is known and still valid; sites::kNoSite otherwise.
std::uint32_t find(const Caller& caller) noexcept;

// After a full unwind gave `frames[0..depth)` (frames[0] must be the caller's return address) for `site`.
// `cut` tells that the unwind stopped at PROF_DEPTH frames rather than at the outermost frame.
void remember(const Caller& caller, std::uint32_t site, const std::uintptr_t* frames, int depth,
              bool cut) noexcept;

// Makes the thread-exit hook that gives each thread's cache back (called once, before any thread uses it).
void init() noexcept;

// Forgets this thread's entries (the sites they name are gone, e.g. in a fork child).
void clear() noexcept;

// Makes every thread forget its entries and frame rules before its next lookup: after dlclose the code at a
// cached return address may be another module's (one relaxed load per lookup checks for it).
void invalidate_all() noexcept;

}  // namespace prof::preload::memory::stack_cache
