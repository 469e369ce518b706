#pragma once
// What the memory report shows (--view) and how it groups sites (--by): the merge folds by them too.
#include <cstddef>
#include <cstdint>
#include <string>

#include "merge/memory_filters.hpp"
#include "merge/memory_grouping.hpp"
#include "model/snapshot.hpp"

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
  MemoryFrameFilters filters = {};  // --exclude-function, --include-file, --exclude-module
  // --cumulative (tracemalloc's statistics(key, cumulative=True)): every distinct key on a stack gets the
  // site's counts once, so a function's row holds the bytes of everything it called.
  bool cumulative = false;
  // --callers F / --callees F with --mem: rows are the functions next to F on the stacks that hold it.
  enum class Neighbours { none, callers, callees };
  Neighbours neighbours = Neighbours::none;
  std::string function = {};  // F: the exact function, or a part of its name
};

MemoryKey parse_memory_key(const std::string& name);    // throws UserError
MemoryView parse_memory_view(const std::string& name);  // throws UserError

// What a row shows for a view: its size, its count, and the bytes its average is taken over.
struct MemoryViewValues {
  std::int64_t size = 0, count = 0, average_of = 0, average_count = 0;
};
MemoryViewValues view_values(const MemoryCounts& counts, MemoryView view);

}  // namespace prof::viewer
