#pragma once
// Numbers merged over several snapshots (processes): what report and diff show.
#include <cstdint>
#include <string>
#include <vector>

#include "scope_tree.hpp"
#include "snapshot.hpp"

namespace prof::viewer {

struct RunTotals {
  std::size_t processes = 0;
  // The longest process: for a launcher and its children, or MPI ranks, that is the run's wall time, and
  // unlike first-start-to-last-end it stays meaningful when unrelated runs are merged.
  double wall_seconds = 0;
  double user_seconds = 0;
  double system_seconds = 0;
  std::int64_t max_rss_bytes = 0;  // the largest process
};
RunTotals run_totals(const std::vector<Snapshot>& snapshots);

// Seconds since the epoch of an ISO 8601 UTC time ("2026-11-24T21:58:06.123456Z"); NaN when it does not
// parse.
double parse_utc_time(const std::string& text);

// One row per scope (same name, file and line), over all threads and processes.
struct FlatScope {
  std::string name, file;
  std::int64_t line = 0;
  std::int64_t calls = 0;
  std::int64_t primitive_calls = 0;  // calls not inside another call of the same scope
  std::int64_t self_ns = 0;
  std::int64_t total_ns = 0;  // recursive calls are counted once, at their outermost node
};
std::vector<FlatScope> merge_scopes(const std::vector<Snapshot>& snapshots,
                                    ScopeTimes times = ScopeTimes::compensated);

// "function file:line", "file:line", or "module+0xOFFSET" for a frame not yet symbolised.
std::string describe_frame(const Snapshot& snapshot, std::uint32_t frame);

}  // namespace prof::viewer
