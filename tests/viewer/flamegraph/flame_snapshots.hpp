#pragma once
// Crafted snapshots for the flame graph's tests: scope trees and memory stacks with planted figures, written
// in the snapshot format (docs/SNAPSHOT.md) so that `prof flamegraph` reads them as it reads real runs.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace prof::test {

struct FlameScope {
  int parent;  // index of an earlier FlameScope, -1 for a root
  std::string name;
  std::int64_t total_ns;
};

struct FlameSite {
  std::vector<std::string> stack;  // functions, innermost first
  std::int64_t peak_bytes = 0, allocated_bytes = 0, leaked_bytes = 0;
};

inline std::string flame_meta(int pid, int rank) {
  std::string rank_fields = rank >= 0 ? fmt::format(R"(, "rank": {}, "size": 4)", rank) : "";
  return fmt::format(
      R"({{"program": "solver", "argv": ["solver"], "pid": {}, "ppid": 1, "host": "node1",
    "start_time": "2026-01-01T00:00:00Z", "wall_seconds": 10, "user_seconds": 1, "system_seconds": 0,
    "max_rss_bytes": 1000, "exit": {{"status": "exited", "code": 0}}, "libprof_version": "0.1.0",
    "writer": "preload", "clock": {{"source": "clock_gettime", "clock": "CLOCK_MONOTONIC"}},
    "threads_seen": 1, "cores_online": 8{}}})",
      pid, rank_fields);
}

// One thread's scopes: each name is a site (app.cpp, line 10 + its index); self time is what the children
// leave of the total.
inline std::string scope_snapshot(int pid, const std::vector<FlameScope>& scopes, int rank = -1) {
  std::vector<std::string> strings{"", "app.cpp"};
  std::map<std::string, std::size_t> site_of;
  std::string sites, nodes;
  std::vector<std::int64_t> self(scopes.size());
  for (std::size_t i = 0; i < scopes.size(); ++i) {
    self[i] += scopes[i].total_ns;
    if (scopes[i].parent >= 0) self[static_cast<std::size_t>(scopes[i].parent)] -= scopes[i].total_ns;
  }
  for (std::size_t i = 0; i < scopes.size(); ++i) {
    auto [it, added] = site_of.try_emplace(scopes[i].name, site_of.size());
    if (added) {
      strings.push_back(scopes[i].name);
      sites += fmt::format("{}[{}, 1, {}]", sites.empty() ? "" : ",", strings.size() - 1, 10 + it->second);
    }
    nodes += fmt::format("{}[{}, {}, 1, 1, {}, {}]", i ? "," : "", scopes[i].parent, it->second,
                         scopes[i].total_ns, self[i]);
  }
  std::string string_list;
  for (std::size_t i = 0; i < strings.size(); ++i)
    string_list += fmt::format("{}\"{}\"", i ? "," : "", strings[i]);
  return fmt::format(
      R"({{"format": "libprof-snapshot", "version": 1, "meta": {}, "strings": [{}],
  "modules": [], "frames": {{"columns": ["function", "file", "line", "module", "offset", "inlined"], "rows": []}},
  "stacks": [], "symbolised": true,
  "scopes": {{"sites": {{"columns": ["name", "file", "line"], "rows": [{}]}},
             "threads": [{{"id": 0, "nodes": {{"columns": ["parent", "site", "calls", "primitive_calls",
               "total_ns", "self_ns"], "rows": [{}]}}}}]}}}})",
      flame_meta(pid, rank), string_list, sites, nodes);
}

// Memory sites with their stacks; each function is a frame of /src/app/solver.cpp (line 100 + its index).
inline std::string memory_snapshot(int pid, const std::vector<FlameSite>& sites) {
  std::vector<std::string> strings{"", "/src/app/solver.cpp"};
  std::map<std::string, std::size_t> frame_of;
  std::string frames, stacks, rows;
  std::int64_t peak = 0, allocated = 0, leaked = 0;
  for (std::size_t s = 0; s < sites.size(); ++s) {
    std::string stack;
    for (const auto& function : sites[s].stack) {
      auto [it, added] = frame_of.try_emplace(function, frame_of.size());
      if (added) {
        strings.push_back(function);
        frames += fmt::format("{}[{}, 1, {}, 0, {}, false]", frames.empty() ? "" : ",", strings.size() - 1,
                              100 + it->second, 16 * (it->second + 1));
      }
      stack += fmt::format("{}{}", stack.empty() ? "" : ",", it->second);
    }
    stacks += fmt::format("{}[{}]", s ? "," : "", stack);
    rows += fmt::format("{}[{}, 1, {}, {}, {}, {}]", s ? "," : "", s, sites[s].allocated_bytes,
                        sites[s].peak_bytes, sites[s].leaked_bytes ? 1 : 0, sites[s].leaked_bytes);
    peak += sites[s].peak_bytes;
    allocated += sites[s].allocated_bytes;
    leaked += sites[s].leaked_bytes;
  }
  std::string string_list;
  for (std::size_t i = 0; i < strings.size(); ++i)
    string_list += fmt::format("{}\"{}\"", i ? "," : "", strings[i]);
  return fmt::format(
      R"({{"format": "libprof-snapshot", "version": 1, "meta": {}, "strings": [{}],
  "modules": [{{"path": "/app/solver", "build_id": "aa", "base": 4096, "size": 65536, "unloaded": false}}],
  "frames": {{"columns": ["function", "file", "line", "module", "offset", "inlined"], "rows": [{}]}},
  "stacks": [{}], "symbolised": true,
  "memory": {{"summary": {{"allocations": {}, "allocated_bytes": {}, "peak_bytes": {}, "leaked_allocations": 0,
    "leaked_bytes": {}}}, "sites": {{"columns": ["stack", "allocations", "allocated_bytes", "peak_bytes",
    "leaked_allocations", "leaked_bytes"], "rows": [{}]}}}}}})",
      flame_meta(pid, -1), string_list, frames, stacks, sites.size(), allocated, peak, leaked, rows);
}

// main (1 s) -> hot (75 %) -> inner (50 %: two thirds of hot); main -> cold (25 %).
inline std::vector<FlameScope> planted_scopes(std::int64_t hot_ns = 750'000'000) {
  return {{-1, "main", 250'000'000 + hot_ns},
          {0, "hot", hot_ns},
          {1, "inner", hot_ns * 2 / 3},
          {0, "cold", 250'000'000}};
}

}  // namespace prof::test
