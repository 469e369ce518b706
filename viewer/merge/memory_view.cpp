#include "merge/memory_view.hpp"

#include <fmt/format.h>

#include "error.hpp"

namespace prof::viewer {

MemoryKey parse_memory_key(const std::string& name) {
  if (name == "line") return MemoryKey::line;
  if (name == "function") return MemoryKey::function;
  if (name == "file") return MemoryKey::file;
  if (name == "traceback") return MemoryKey::traceback;
  throw UserError("--by", fmt::format("unknown key \"{}\" (choose line, function, file or traceback)", name));
}

MemoryView parse_memory_view(const std::string& name) {
  if (name == "peak") return MemoryView::peak;
  if (name == "leaks") return MemoryView::leaks;
  if (name == "allocations") return MemoryView::allocations;
  if (name == "temporary") return MemoryView::temporary;
  if (name == "total") return MemoryView::total;
  throw UserError(
      "--view",
      fmt::format("unknown view \"{}\" (choose peak, leaks, allocations, temporary or total)", name));
}

MemoryViewValues view_values(const MemoryCounts& c, MemoryView view) {
  switch (view) {
    case MemoryView::peak:  // live at the high-water mark; the average is that of all its allocations
      return {c.peak_bytes, c.allocations, c.allocated_bytes, c.allocations};
    case MemoryView::leaks:
      return {c.leaked_bytes, c.leaked_allocations, c.leaked_bytes, c.leaked_allocations};
    case MemoryView::allocations:
    case MemoryView::total:
      return {c.allocated_bytes, c.allocations, c.allocated_bytes, c.allocations};
    case MemoryView::temporary:
      return {c.allocated_bytes, c.temporary_allocations, c.allocated_bytes, c.allocations};
  }
  return {};
}

}  // namespace prof::viewer
