#pragma once
// Per-thread memory of recent allocating stacks, so that an allocation from a call path seen before costs a
// few loads instead of a full unwind, and a fast walk of the frame rules for the stacks it has not seen.
//
// Replay: a stack (a site) may be replayed when every frame but the last computes its CFA as "stack pointer +
// constant" or "rbp + constant" with the return address at CFA - 8 (checked against .eh_frame,
// frame_rules.hpp), and the last is the outermost or the walk was cut at PROF_DEPTH. From a caller whose
// return address is the stack's first frame, such a walk reads the same stack slots at the same offsets from
// the caller's CFA whatever the CFA is, as long as each rbp frame's rbp lies where it did (an alloca moves
// it): the offsets are kept once per site (sites::slots), with, for each rbp frame, where its rbp was read
// and what it was, as offsets from the caller's CFA (sites::bases). A hit re-reads those slots, inner frames
// first, and requires the site's return addresses and rbp values there. That makes the walk the same as the
// full unwind, frame for frame. The per-thread entries (key: the interposed function's return address and
// CFA, and which function it is) only say which site to try: a wrong guess is refused by the check.

#include <cstdint>

#include "memory/sites.hpp"

namespace prof::preload::memory::stack_cache {

// The interposed function's view of its caller. `entry` tells the interposed functions apart. `rbp` is the
// caller's rbp when the interposed function read it at its first instruction (`rbp_known`, hooks.cpp);
// otherwise a stack with frames that compute their CFA from rbp finds it by walking the shim's own frames
// out.
struct Caller {
  std::uintptr_t return_address;
  std::uintptr_t cfa;
  std::uint32_t entry;
  bool rbp_known = false;
  std::uintptr_t rbp = 0;
};

// The site of the caller's stack when it is known and still valid; sites::kNoSite otherwise.
std::uint32_t find(const Caller& caller) noexcept;

// Where a walk read each frame after the first: offsets[j - 1] is frames[j]'s stack slot, as an offset from
// the caller's CFA. `usable` when every frame computed its CFA from the stack pointer: the slots are then
// what remember() would read the stack again to find.
struct Offsets {
  std::uint32_t offsets[sites::kMaxDepth];
  bool usable = false;
};

// The caller's stack from the frame rules alone, without libunwind: frames[0..depth) with frames[0] the
// caller's return address; `cut` when it stopped at `max_depth` frames rather than at the outermost frame.
// -1 when a frame's rule is neither "stack pointer + constant" nor "rbp + constant" with rbp known (or the
// stack's bounds are unknown): the caller then unwinds with libunwind. Every read lies on the thread's own
// stack. `max_depth` is at most sites::kMaxDepth.
int walk(const Caller& caller, int max_depth, std::uintptr_t* frames, bool& cut, Offsets& where) noexcept;

// After an unwind gave `frames[0..depth)` (frames[0] must be the caller's return address) for `site`, read
// from the current stack. `cut` tells that the unwind stopped at PROF_DEPTH frames rather than at the
// outermost frame. `where`: the walk's offsets when the frames came from walk(), nullptr otherwise.
void remember(const Caller& caller, std::uint32_t site, const std::uintptr_t* frames, int depth, bool cut,
              const Offsets* where) noexcept;

// Whether remember() is worth its work for the caller's key: not for a key whose entries have missed many
// times in a row (reached by more stacks than it has ways), but for one of its new sites in kRetry.
bool worth_remembering(const Caller& caller) noexcept;

// Makes the thread-exit hook that gives each thread's cache back (called once, before any thread uses it).
void init() noexcept;

// Forgets this thread's entries (the sites they name are gone, e.g. in a fork child).
void clear() noexcept;

// Makes every thread forget its entries and frame rules before its next lookup, and every site's slots: after
// dlclose the code at a cached return address may be another module's (one relaxed load per lookup checks).
void invalidate_all() noexcept;

}  // namespace prof::preload::memory::stack_cache
