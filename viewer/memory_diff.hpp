#pragma once
// `prof diff OLD NEW --mem`: tracemalloc's compare_to: each site's size and count in NEW with their
// differences from OLD, biggest change of size first.
#include <vector>

#include "memory_report.hpp"

namespace prof::viewer {

Section memory_diff_section(const std::vector<Snapshot>& old_run, const std::vector<Snapshot>& new_run,
                            const MemoryReportOptions& options);

}  // namespace prof::viewer
