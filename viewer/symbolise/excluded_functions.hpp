#pragma once
// PROF_INSTRUMENT_EXCLUDE: instrumented functions left out of a profile after the run. The process cannot
// tell functions apart by name (it never looks a symbol up), so the variable, set when the program runs, is
// only recorded there (meta.env) and applied here once the sites are named: each function whose name the
// regular expression finds (ECMAScript, searched anywhere in the name), or, for "@FILE", whose name is a line
// of FILE (read when the report is made; '#' starts a comment), disappears from the call tree, its
// children move up to its caller and its own time becomes its caller's. The calls were still paid for: to
// save their cost, leave them out at compile time (prof_instrument's EXCLUDE_FUNCTIONS, EXCLUDE_FILES).
#include <cstdint>
#include <vector>

#include "model/snapshot.hpp"

namespace prof::viewer {

// Removes the nodes of the sites in `function_sites` whose names match the snapshot's PROF_INSTRUMENT_EXCLUDE
// (nothing when it is not set). Throws UserError when it is not a regular expression or its file cannot be
// read.
void drop_excluded_functions(Snapshot& snapshot, const std::vector<std::uint32_t>& function_sites);

}  // namespace prof::viewer
