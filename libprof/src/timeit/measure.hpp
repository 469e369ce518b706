#pragma once
// The measuring steps shared by timeit and compare: choosing a loop count, the loop's own cost, the clock's
// granularity.

#include <cstdint>
#include <functional>

#include <prof/timeit.hpp>

namespace prof::timeit_internal {

double now_seconds();

// Grows the loop count until one run lasts at least `min_seconds` (setup, untimed, before every probe) and
// returns it. The last probe is a full-length run, so it also serves as the warm-up. `last_elapsed`, when
// given, receives that probe's length.
std::uint64_t autorange(const detail::Loop& loop, double min_seconds, const std::function<void()>& setup,
                        double* last_elapsed = nullptr);

// Seconds per iteration of the timing loop around an empty callable: what every sample has to lose.
double loop_overhead_per_call();

// Smallest step the clock shows between two reads (its resolution or the cost of a read, whichever is
// larger).
double clock_granularity();

// Seconds per call of one run of `loops` calls, the loop's cost subtracted (never below 0).
double per_call(double elapsed, std::uint64_t loops, double overhead_per_call);

}  // namespace prof::timeit_internal
