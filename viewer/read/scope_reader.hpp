#pragma once
// Reads the scope profiler's section (docs/SNAPSHOT.md, "scopes").
#include "model/snapshot.hpp"
#include "read/json_access.hpp"

namespace prof::viewer {

Scopes read_scopes(const json::element& value, const Snapshot& snapshot);

}  // namespace prof::viewer
