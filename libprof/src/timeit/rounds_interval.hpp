#pragma once
// The confidence interval of the centre of a series of rounds measured one after the other (the log ratios of
// prof::compare's interleaved rounds, or of `prof timeit`'s commands). Consecutive rounds are not
// independent: the machine drifts (clock ramps, other processes, caches), so neighbours share an error, and
// an interval that treats them as independent (the sign test of statistics.hpp) is too narrow: a function
// compared with itself came out "significant" in 28 % of runs at a stated 95 %. Here the rounds are cut into
// blocks of consecutive rounds; the blocks' medians are close to independent once a block is longer than the
// drift's memory, and a t interval over them has its stated coverage (the batch-means method of simulation
// output analysis, with medians so one disturbed round moves its block little). Part of `prof_statistics`.

#include <cstddef>
#include <span>

#include "timeit/statistics.hpp"

namespace prof::stats {

// Fewest rounds for an interval: six blocks of one round; with fewer, the t interval over so few values is
// too wide to say anything (and callers say "too few runs to compare").
inline constexpr std::size_t kFewestRounds = 6;

// Blocks for n rounds: sqrt(n), so both the number of blocks and their length grow with n (the consistent
// choice for batch means), and at least kFewestRounds blocks.
std::size_t rounds_blocks(std::size_t n);

// Interval of the centre of `rounds` (in measurement order) at `confidence`: mean of the block medians +- t *
// their standard error, corrected for what correlation is left between neighbouring blocks, with t from
// Student's distribution on the effective number of blocks - 1 degrees of freedom. `confidence` of
// the result is the level asked for; below kFewestRounds rounds the interval is NaN with confidence 0.
Interval rounds_interval(std::span<const double> rounds, double confidence = 0.95);

}  // namespace prof::stats
