#pragma once
// `prof diff OLD NEW --timers`: each timer present in both runs, its old and new median, and a verdict from
// the Mann-Whitney U test on the samples with a practical threshold (timers_statistics.hpp).
#include <vector>

#include "model/snapshot.hpp"
#include "report/table.hpp"

namespace prof::viewer {

inline constexpr double kDefaultDiffThreshold = 0.05;

// Each run's processes: prof diff passes the summaries its streamed merges keep (timers are kept whole).
// `threshold` is the smallest change (a fraction, 0.05 = 5 %) called a regression or an improvement.
Section timers_diff_section(const std::vector<Snapshot>& old_run, const std::vector<Snapshot>& new_run,
                            double threshold);

}  // namespace prof::viewer
