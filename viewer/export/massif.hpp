#pragma once
// valgrind's massif.out format, which ms_print and massif-visualizer read: the live heap over time (one
// snapshot per point of the process's timeline) and, at the peak, the detailed tree of who holds the bytes
// ("nN: BYTES 0xADDR: fn (file:line)", callers indented below the allocating frame). Massif profiles one
// process: of a merged run, the one with the largest peak is written, and `desc:` says which.
#include <ostream>
#include <vector>

#include "export/export_data.hpp"
#include "export/pprof_stacks.hpp"
#include "model/snapshot.hpp"

namespace prof::viewer {

// `stacks`: the sites by stack per process; `timelines`: each process's live heap; `processes`: their metas
// and memory summaries. Throws UserError when no process has memory.
void write_massif_file(const PprofStacks& stacks, const std::vector<ProcessTimeline>& timelines,
                       const std::vector<Snapshot>& processes, std::ostream& out);

void write_massif(const ExportData& data, std::ostream& out);

}  // namespace prof::viewer
