#pragma once
// --by-rank: one row per rank (or process): host, pid, wall, cpu, peak heap, peak rss, MPI time.
#include <vector>

#include "model/snapshot.hpp"
#include "report/table.hpp"

namespace prof::viewer {

Section ranks_section(const std::vector<Snapshot>& snapshots);

}  // namespace prof::viewer
