#pragma once
// Snapshots on demand for long runs: PROF_SNAPSHOT_SIGNAL (a signal whose handler only raises a flag) and
// PROF_SNAPSHOT_INTERVAL (seconds). The snapshot itself is written at the next safe point, by the thread that
// reaches it: safe_point() is called where the calling thread holds no lock of the shim (the malloc family's
// entry), and costs one load of the entry word (entry_word.hpp) while neither option is set.

#include "entry_word.hpp"

namespace prof::preload::on_demand {

// Its state is two bits of the malloc family's entry word: a snapshot was asked for, an interval is set.
inline constexpr std::uint32_t kSignalled = entry_word::kSnapshotAsked;
inline constexpr std::uint32_t kTimed = entry_word::kSnapshotTimed;

// Reads PROF_SNAPSHOT_SIGNAL and PROF_SNAPSHOT_INTERVAL (secure_getenv) and installs the signal handler; a
// value it cannot use is said once on stderr (preload/warning.hpp).
void start() noexcept;

// A fork child starts its own numbering and its own interval.
void reset_after_fork() noexcept;

// The slow path of safe_point(): counts down to a clock read, writes the numbered snapshot when one is due.
void check() noexcept;

inline void safe_point() noexcept {
  if (__builtin_expect((entry_word::load() & entry_word::kOnDemand) != 0, 0)) check();
}
// Whether safe_point() has anything to do: the malloc family's common case asks without a call.
inline bool due() noexcept {
  return (entry_word::load() & entry_word::kOnDemand) != 0;
}

// Parses a signal given by number ("12") or name ("SIGUSR2", "USR2", "SIGRTMIN+3"); 0 when it is not one, or
// not one the shim can take without changing the program (only USR1, USR2, WINCH, PWR and the realtime ones).
int parse_signal(const char* text) noexcept;

}  // namespace prof::preload::on_demand
