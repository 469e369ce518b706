#pragma once
// The mpi sections: per operation, calls, bytes and time summed, and the time across ranks.
#include <vector>

#include "model/snapshot.hpp"
#include "report/table.hpp"

namespace prof::viewer {

Section mpi_section(const std::vector<Snapshot>& snapshots);

}  // namespace prof::viewer
