#pragma once
// Keeps every Timing and Comparison of the process for the `timers` section of its snapshot. Records are
// copied into memory allocated here, when they are made, and never freed, so the section writer (which runs
// at exit or in a fatal-signal handler) only reads.

#include <prof/timeit.hpp>

namespace prof::core {
class JsonWriter;
}

namespace prof::timeit_internal {

void record(const Timing& timing);
void record(const Comparison& comparison);

// Writes the `timers` object (docs/SNAPSHOT.md) from what was recorded so far. Allocation-free.
void write_timers_section(core::JsonWriter& out, void* context) noexcept;

// Whether anything was recorded yet (the section is registered with the first record).
bool has_records() noexcept;

}  // namespace prof::timeit_internal
