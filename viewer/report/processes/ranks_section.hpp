#pragma once
// --by-rank: one row per rank (or process): host, pid, wall, cpu, peak heap, peak rss, MPI time.
#include <vector>

#include "model/snapshot.hpp"
#include "report/table.hpp"

namespace prof::viewer {

// whole_job: the snapshots are all the job left (not narrowed by --rank/--pid): ranks the metas count but
// that are not there get a row saying so, and an "ended" column says how each rank ended.
Section ranks_section(const std::vector<Snapshot>& snapshots, bool whole_job = true);

}  // namespace prof::viewer
