#pragma once
// `prof report --mem`: tracemalloc's statistics for native code: a summary, the top sites by line,
// function, file or traceback for one view (peak, leaks, allocations, temporary, total), the callers below
// each site (--tree) and the live heap over time (--timeline).
#include <string>
#include <vector>

#include "memory_grouping.hpp"
#include "report_table.hpp"
#include "snapshot.hpp"

namespace prof::viewer {

enum class MemoryView { peak, leaks, allocations, temporary, total };

struct MemoryReportOptions {
  MemoryKey by = MemoryKey::line;
  MemoryView view = MemoryView::peak;
  std::size_t top = 10;
  bool keep_system_frames = false;
  bool tree = false;
  bool timeline = false;
  bool text = true;  // text shows tracemalloc's lines; csv/json get every count as its own column
};

MemoryKey parse_memory_key(const std::string& name);    // throws UserError
MemoryView parse_memory_view(const std::string& name);  // throws UserError

// What a row shows for a view: its size, its count, and the bytes its average is taken over.
struct MemoryViewValues {
  std::int64_t size = 0, count = 0, average_of = 0, average_count = 0;
};
MemoryViewValues view_values(const MemoryCounts& counts, MemoryView view);

Section memory_report_section(const std::vector<Snapshot>& snapshots, const MemoryReportOptions& options);
// The same from a streamed merge made with the same options.
class MemoryMerge;
Section memory_report_section(const MemoryMerge& merge, const MemoryReportOptions& options);

// The live heap over time as lines of a text chart at most `width` columns wide.
std::vector<std::string> timeline_chart(const std::vector<MemoryPoint>& points, std::size_t width,
                                        std::size_t height);

}  // namespace prof::viewer
