#pragma once
// The word the malloc family's entry reads first (preload/memory/hooks.cpp). Its two common cases, a shim
// that passes every call through and the sampled mode between samples, then cost one load and one compare, as
// a bare interposer's call does; every other value takes the full path. Each part of the shim owns its bits
// and changes them only with fetch_or and fetch_and, so a snapshot request raised by a signal handler is
// never lost to another bit's change on another thread.

#include <atomic>
#include <cstdint>

namespace prof::preload::entry_word {

// preload/process/on_demand: a snapshot was asked for (PROF_SNAPSHOT_SIGNAL, or the interval ran out); an
// interval is set (PROF_SNAPSHOT_INTERVAL: the clock must be looked at).
inline constexpr std::uint32_t kSnapshotAsked = 1u;
inline constexpr std::uint32_t kSnapshotTimed = 2u;
inline constexpr std::uint32_t kOnDemand = kSnapshotAsked | kSnapshotTimed;
// preload/memory/tracer: the real functions are known, and the tracer will not run (PROF_MEMORY=0, no room
// for its tables) / runs in sampled mode. Set once, never cleared: the tracer does not stop.
inline constexpr std::uint32_t kPassThrough = 1u << 8;
inline constexpr std::uint32_t kSampled = 1u << 9;

// C linkage: the malloc trampoline (memory/hooks.cpp) reads it by name. Hidden, as every symbol of the shim
// is: read at an offset from the code, not through the GOT.
extern "C" {
extern __attribute__((visibility("hidden"))) std::atomic<std::uint32_t> prof_entry_word;
}

// Acquire: a bit set after what it promises (the real functions found) is read before them. A plain load on
// x86-64.
inline std::uint32_t load() noexcept {
  return prof_entry_word.load(std::memory_order_acquire);
}

}  // namespace prof::preload::entry_word
