#pragma once
// Chrome's trace event JSON ({"traceEvents": [...]}), which Perfetto's UI and chrome://tracing open.
#include <ostream>

#include "export/export_data.hpp"

namespace prof::viewer {

// Scopes are aggregated (a call tree, not a trace), so each thread's tree is laid out as a flame chart: a
// complete ("X") event per node lasting its total time, children one after another from their parent's start,
// heaviest first as in `prof report --tree`. One trace process per snapshot, numbered in the order read (pids
// repeat across hosts), named "rank N (host, pid P)" and sorted by rank; one thread per thread. The live heap
// is a counter ("C") per process, each MPI operation's totals an instant event ("i") of its rank.
void write_chrome(const ExportData& data, std::ostream& out);

}  // namespace prof::viewer
