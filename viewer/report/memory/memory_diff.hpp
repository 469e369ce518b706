#pragma once
// `prof diff OLD NEW --mem`: tracemalloc's compare_to: each site's size and count in NEW with their
// differences from OLD, biggest change of size first.
#include "merge/memory_merge.hpp"
#include "report/memory/memory_section.hpp"

namespace prof::viewer {

// From the two runs' merges, made with these options (the grouping key, system frames). `per_process`:
// compare per-process means (runs of different process counts), said in the headers.
Section memory_diff_section(const MemoryMerge& old_run, const MemoryMerge& new_run,
                            const MemoryReportOptions& options, bool per_process);

}  // namespace prof::viewer
