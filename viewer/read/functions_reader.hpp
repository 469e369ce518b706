#pragma once
// Reads the optional `functions` section (docs/SNAPSHOT.md, "functions"): which scope sites are functions
// recorded by -finstrument-functions, and where their code is. Needs the `scopes` section read first.
#include "model/snapshot.hpp"
#include "read/json_access.hpp"

namespace prof::viewer {

void read_functions(const json::element& value, Snapshot& snapshot);

}  // namespace prof::viewer
