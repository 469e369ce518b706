#pragma once
// The sampler's per-stack counts: one entry per distinct stack (and thread, and state), its count bumped by
// every sample that lands on it (counts, not a trace: memory stays bounded by the number of distinct stacks,
// not by the run time). Filled from a signal handler on any thread at once, so it is lock-free and never
// allocates: its pages are reserved once at start-up (pages::reserve) and only touched as entries are
// claimed.

#include <cstdint>

namespace prof::preload::sampling::table {

constexpr std::uint32_t kMaxDepth = 64;
constexpr std::uint32_t kMaxStacks = 1u << 15;

// Reserves the table; false when the kernel refused the address space.
bool init() noexcept;

// What a sample is counted under besides its stack: the thread (its id) and, on the wall clock, whether the
// thread was running or waiting (its CPU time had not advanced since its previous sample).
enum class State : std::uint32_t { running = 0, waiting = 1 };
struct Key {
  std::int32_t tid;
  State state;
};

// Counts `weight` samples of `frames` (innermost first) under `key`. Async-signal-safe, lock-free. Returns
// the entry, or -1 when the table is full (the sample is counted as dropped instead).
std::int64_t add(const std::uintptr_t* frames, std::uint32_t depth, Key key, std::uint64_t weight) noexcept;
// More samples of an entry add() returned.
void add_to(std::int64_t entry, std::uint64_t weight) noexcept;
void note_dropped(std::uint64_t weight) noexcept;

// Entries claimed so far, in order of first appearance, their depths fixed from now on: an entry still being
// written reads as an empty stack with no samples (the snapshot's tables are sized from these depths).
std::uint32_t freeze() noexcept;
const std::uintptr_t* frames(std::uint32_t entry, std::uint32_t& depth) noexcept;
std::uint64_t samples(std::uint32_t entry) noexcept;
// Entries claimed so far, without freezing (an entry still being written reads as depth 0), and an entry's
// frames to rewrite in place: at dlclose, addresses in the closed module are tagged (unloaded_modules.hpp).
std::uint32_t claimed() noexcept;
std::uintptr_t* frames_to_retag(std::uint32_t entry, std::uint32_t& depth) noexcept;
Key key(std::uint32_t entry) noexcept;
std::uint64_t dropped() noexcept;

// In a fork child: the parent's counts are not the child's.
void reset() noexcept;

}  // namespace prof::preload::sampling::table
