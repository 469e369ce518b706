#pragma once
// The time source of the recorder: the invariant TSC when the CPU has one (cheap to read, same rate on every
// core and in every power state), else CLOCK_MONOTONIC. The TSC rate is measured against CLOCK_MONOTONIC
// between start and snapshot, so no model-specific table is needed.

#include <cstdint>

namespace prof::core {

class JsonWriter;

namespace clock {

// Finds whether the TSC is invariant (CPUID, else /proc/cpuinfo) and takes the first calibration point.
// Called at process start and again in a fork child (the calibration baseline restarts with the process's own
// start).
void init() noexcept;

// Restarts the calibration baseline without re-reading /proc/cpuinfo (fork child: async-signal-safe).
void reset_baseline() noexcept;

// True when now_ticks() counts TSC cycles.
bool uses_tsc() noexcept;

// Current time in ticks: TSC cycles, or nanoseconds of CLOCK_MONOTONIC.
std::uint64_t now_ticks() noexcept;

// Ticks per second: calibrated TSC rate (spins until 1 ms has passed since init() if needed), or 1e9.
double ticks_per_second() noexcept;

// Whether CPUID leaf 0x80000007 sets EDX bit 8, the invariant TSC from which the kernel derives both flags
// below. Exposed for tests.
bool cpuid_has_invariant_tsc() noexcept;

// Whether a /proc/cpuinfo text advertises an invariant TSC (both constant_tsc and nonstop_tsc flags on the
// first "flags" line). Exposed for tests.
bool cpuinfo_has_invariant_tsc(const char* cpuinfo, unsigned long length) noexcept;

// Writes the meta.clock object.
void write_json(JsonWriter& out) noexcept;

}  // namespace clock
}  // namespace prof::core
