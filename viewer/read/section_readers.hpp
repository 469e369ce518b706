#pragma once
// The readers of the snapshot's parts, shared by snapshot_reader.cpp; each fills its part of the model and
// checks indices against the tables read before it (strings, modules, frames, stacks).
#include "json_access.hpp"
#include "snapshot.hpp"

namespace prof::viewer {

Meta read_meta(const json::element& value);
void read_frames(const json::element& value, Snapshot& snapshot);
void read_stacks(const json::element& value, Snapshot& snapshot);
void read_modules(const json::element& value, Snapshot& snapshot);
Scopes read_scopes(const json::element& value, const Snapshot& snapshot);
Memory read_memory(const json::element& value, const Snapshot& snapshot);
Timers read_timers(const json::element& value);
Mpi read_mpi(const json::element& value);

}  // namespace prof::viewer
