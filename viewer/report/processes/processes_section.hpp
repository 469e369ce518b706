#pragma once
// The processes of a report: what ran, where, how long, with which exit; a fork pool as a tree.
#include <vector>

#include "model/snapshot.hpp"
#include "report/table.hpp"

namespace prof::viewer {

// whole_job: as for ranks_section, the ranks of the job present and missing are counted.
Section processes_section(const std::vector<Snapshot>& snapshots, bool whole_job = true);

}  // namespace prof::viewer
