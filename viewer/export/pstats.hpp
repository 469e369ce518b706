#pragma once
// The file Python's cProfile writes (Profile.dump_stats): pstats.Stats, snakeviz, gprof2dot and Hatchet's
// GraphFrame.from_cprofile read it, so C++ scopes open in the tools people keep for Python.
#include <ostream>

#include "export/export_data.hpp"

namespace prof::viewer {

// A marshalled dict {(file, line, name): (cc, nc, tt, ct, {caller: (nc, cc, tt, ct)})} over the merged scope
// tree: cc primitive calls, nc calls, tt own seconds, ct cumulative seconds (recursion counted once), the
// figures of `prof report --scopes`.
void write_pstats(const ExportData& data, std::ostream& out);

}  // namespace prof::viewer
