#pragma once
// Memory sites grouped the way tracemalloc's statistics() groups traces: by the line, function or file of
// the innermost frame in the user's own code, or by the whole traceback. Merged over processes.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/snapshot.hpp"

namespace prof::viewer {

enum class MemoryKey { line, function, file, traceback };

struct MemoryCounts {
  std::int64_t allocations = 0, allocated_bytes = 0, peak_bytes = 0, leaked_allocations = 0, leaked_bytes = 0,
               temporary_allocations = 0;
  void add(const MemorySite& site);
  void add(const MemoryCounts& other);
};

struct MemoryGroup {
  std::string key;  // what the rows are told apart by
  std::string file, function;
  std::int64_t line = 0;
  std::string traceback;  // for MemoryKey::traceback: the frames joined, innermost first
  MemoryCounts counts;
  // --tree: the callers' chains (outward from the site's frame) with their counts.
  std::map<std::vector<std::string>, MemoryCounts> callers;
};

// libc, libstdc++, libunwind, the shim, ld.so, /usr/include and "./" or "../" paths that do not open from the
// current directory (another package's debug info): not the user's code.
bool is_system_frame(const Snapshot& snapshot, const Frame& frame);

}  // namespace prof::viewer
