#pragma once
// `prof report --samples`: where the CPU time went, from the sampling profiler (flat, by function).
#include "merge/samples_merge.hpp"
#include "report/table.hpp"

namespace prof::viewer {

Section samples_section(const SamplesMerge& samples);

}  // namespace prof::viewer
