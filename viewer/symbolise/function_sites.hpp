#pragma once
// Names the scope sites of functions recorded by -finstrument-functions (docs/SNAPSHOT.md, "functions"): the
// process only knew each one's address, so here its module's symbols (libdwfl, as for raw frames) give the
// function as PROF_FUNCTION() would name it (qualified, without parameters), its file and the line of its
// entry. A function whose module cannot be read keeps a name that says where it is: "module+0x1f40".
#include <string>
#include <vector>

#include "model/snapshot.hpp"

namespace prof::viewer {

struct FunctionNaming {
  std::vector<std::string> warnings;  // one per module whose build id differs from the recorded one
  bool named = false;                 // some site got its name now: the file is worth saving
};

// Renames the sites still named by their address ("0x...": a saved snapshot's are named already) in place,
// appending to snapshot.strings, then applies PROF_INSTRUMENT_EXCLUDE and empties the list of functions.
FunctionNaming name_function_sites(Snapshot& snapshot);

// "ns::Solver::step(int) const" -> "ns::Solver::step", as PROF_FUNCTION() names a site.
std::string readable_function_name(const std::string& demangled);

}  // namespace prof::viewer
