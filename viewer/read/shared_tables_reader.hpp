#pragma once
// The tables every instrument refers to (modules, frames, stacks), each index checked against the tables
// read before it.
#include "model/snapshot.hpp"
#include "read/json_access.hpp"

namespace prof::viewer {

void read_modules(const json::element& value, Snapshot& snapshot);
void read_frames(const json::element& value, Snapshot& snapshot);
void read_stacks(const json::element& value, Snapshot& snapshot);

}  // namespace prof::viewer
