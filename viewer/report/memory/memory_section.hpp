#pragma once
// `prof report --mem`: tracemalloc's statistics for native code: a summary, the top sites by line,
// function, file or traceback for one view (peak, leaks, allocations, temporary, total), the callers below
// each site (--tree) and the live heap over time (--timeline).
#include <string>
#include <vector>

#include "merge/memory_view.hpp"
#include "model/snapshot.hpp"
#include "report/table.hpp"

namespace prof::viewer {

Section memory_section(const std::vector<Snapshot>& snapshots, const MemoryReportOptions& options);
// The same from a streamed merge made with the same options.
class MemoryMerge;
Section memory_section(const MemoryMerge& merge, const MemoryReportOptions& options);

// The live heap over time as lines of a text chart at most `width` columns wide.
std::vector<std::string> timeline_chart(const std::vector<MemoryPoint>& points, std::size_t width,
                                        std::size_t height);

}  // namespace prof::viewer
