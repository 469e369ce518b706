#pragma once
// Builds the sections of `prof report` from loaded snapshots. Tables come sorted by their default key and
// untrimmed; the command applies --sort and --top.
#include <vector>

#include "report_table.hpp"
#include "snapshot.hpp"

namespace prof::viewer {

Section meta_section(const std::vector<Snapshot>& snapshots);
Section scopes_section(const std::vector<Snapshot>& snapshots);
Section timers_section(const std::vector<Snapshot>& snapshots);
// --by-rank: one row per rank (or process): host, pid, wall, cpu, peak heap, peak rss, MPI time.
Section ranks_section(const std::vector<Snapshot>& snapshots);
// The mpi sections: per operation, calls, bytes and time summed, and the time across ranks.
Section mpi_section(const std::vector<Snapshot>& snapshots);

}  // namespace prof::viewer
