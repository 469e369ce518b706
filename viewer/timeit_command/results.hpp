#pragma once
// What `prof timeit` concludes from its runs: per command the statistics of a timing (docs/SNAPSHOT.md,
// "timers", source "command"), the runs flagged as outliers by MAD, and for each command after the first its
// comparison with the first, from the paired rounds.
#include <string>
#include <vector>

#include "model/snapshot.hpp"

namespace prof::viewer {

struct CommandTiming {
  Timing timing;                      // loops 1, samples = wall seconds per run, statistics filled in
  std::vector<std::size_t> outliers;  // indices of runs further than kOutlierScore robust deviations
};

// Modified z-score (Iglewicz and Hoaglin): 0.6745 * |x - median| / MAD; above 3.5 is an outlier.
inline constexpr double kOutlierScore = 3.5;
// Coefficient of variation above which a timing is called noisy (as prof::timeit does).
inline constexpr double kNoisyVariation = 0.05;
// Ratios closer to 1 than this are "no significant difference" even when the interval excludes 1.
inline constexpr double kCommandThreshold = 0.01;

CommandTiming summarize_command(const std::string& command, const std::vector<double>& wall,
                                const std::vector<double>& user, const std::vector<double>& system);

std::vector<std::size_t> mad_outliers(const std::vector<double>& samples);

// `a` against `b` from their walls in the same rounds (a_wall[i] and b_wall[i] ran back to back): the
// ratio (centre of its interval: mean of the blocks' median ratios) with prof::compare's interval
// (timeit/rounds_interval.hpp: blocks of consecutive rounds, so drift between rounds does not make it too
// narrow). Below 6 rounds there is no interval: confidence 0, never significant.
Comparison compare_commands(const CommandTiming& a, const CommandTiming& b);

// "'sleep 0.1' is 2.00x slower than 'sleep 0.05' (1.98-2.02, 95 % CI)", or "... faster ...", or "no
// significant difference between ...", or "too few runs to compare ...".
std::string comparison_sentence(const Comparison& comparison);

}  // namespace prof::viewer
