#pragma once
// Which frames of a memory stack the report may charge: the user's filters (heaptrack's and tracemalloc's:
// --exclude-function, --include-file, --exclude-module) and the known one-time allocations of the C
// runtime that heaptrack suppresses from its leaks.
#include <string>
#include <string_view>
#include <vector>

#include "model/snapshot.hpp"

namespace prof::viewer {

struct MemoryFrameFilters {
  std::vector<std::string> exclude_functions;  // globs on the function (with or without its arguments)
  std::vector<std::string> include_files;      // globs on the file (whole path or base name)
  std::vector<std::string> exclude_modules;    // globs on the module (whole path or base name)
  bool empty() const { return exclude_functions.empty() && include_files.empty() && exclude_modules.empty(); }
};

// True when a filter says the frame is not the user's: it is skipped like a system frame, so the
// allocation goes to its caller (an allocator wrapper excluded charges the code that called it).
bool filtered_out(const Snapshot& snapshot, const Frame& frame, const MemoryFrameFilters& filters);

// A function that allocates once per process and keeps it on purpose (glibc's NSS modules, iconv
// configuration, time zone, atexit list, dlopen): heaptrack's built-in suppressions. A leak whose stack
// holds one is the runtime's, not the program's.
bool is_runtime_leak_function(std::string_view function);

}  // namespace prof::viewer
