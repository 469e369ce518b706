#pragma once
// `prof report --samples`: where the CPU time went, from the sampling profiler (flat, by function).
#include "merge/samples_merge.hpp"
#include "report/table.hpp"

namespace prof::viewer {

// `tree`: the call tree (inclusive %, heaviest child first, paths under `min_percent` left out) instead of
// the flat table.
Section samples_section(const SamplesMerge& samples, bool tree = false, double min_percent = 0.5);

}  // namespace prof::viewer
