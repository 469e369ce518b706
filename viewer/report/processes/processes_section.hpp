#pragma once
// The processes of a report: what ran, where, how long, with which exit; a fork pool as a tree.
#include <vector>

#include "model/snapshot.hpp"
#include "report/table.hpp"

namespace prof::viewer {

Section processes_section(const std::vector<Snapshot>& snapshots);

}  // namespace prof::viewer
