#pragma once
// `prof diff OLD NEW --samples`: each function's share of its run's samples in OLD and NEW and the change in
// percentage points, biggest change first (pprof -diff_base in shares: runs of different lengths compare).
#include "merge/samples_merge.hpp"
#include "report/table.hpp"

namespace prof::viewer {

Section samples_diff_section(const SamplesMerge& old_samples, const SamplesMerge& new_samples, SampleKey by);

}  // namespace prof::viewer
