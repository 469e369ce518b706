#pragma once
// Reads the optional `mpi` section (docs/SNAPSHOT.md, "mpi").
#include "model/snapshot.hpp"
#include "read/json_access.hpp"

namespace prof::viewer {

Mpi read_mpi(const json::element& value);

}  // namespace prof::viewer
