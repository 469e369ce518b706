#pragma once
// Reads the optional `samples` section (docs/SNAPSHOT.md, "samples"): the sampling profiler's counts per
// stack, each stack an index into the snapshot's shared "stacks" table (read before it).
#include "model/snapshot.hpp"
#include "read/json_access.hpp"

namespace prof::viewer {

Samples read_samples(const json::element& value, const Snapshot& snapshot);

}  // namespace prof::viewer
