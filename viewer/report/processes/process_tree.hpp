#pragma once
// Who started whom among the processes of a report (a fork pool, a launcher and its children).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/snapshot.hpp"

namespace prof::viewer {

struct ProcessPlace {
  std::size_t index = 0;  // into the snapshots given
  std::size_t depth = 0;  // 0 for a process whose parent is not in the report
};

// Parents before their children, children in start order below their parent. Without any parent/child
// pair in the set: start order, all at depth 0.
std::vector<ProcessPlace> process_tree_order(const std::vector<Snapshot>& processes);

}  // namespace prof::viewer
