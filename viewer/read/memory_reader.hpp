#pragma once
// Reads the memory tracer's section (docs/SNAPSHOT.md, "memory"); its stacks index the shared tables.
#include "model/snapshot.hpp"
#include "read/json_access.hpp"

namespace prof::viewer {

Memory read_memory(const json::element& value, const Snapshot& snapshot);

}  // namespace prof::viewer
