#pragma once
// What a run's processes add up to: the longest wall time, CPU time, the largest RSS.
#include <cstdint>
#include <string>
#include <vector>

#include "model/snapshot.hpp"

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

}  // namespace prof::viewer
