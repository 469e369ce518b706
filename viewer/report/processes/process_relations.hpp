#pragma once
// How the processes of a report relate: who started whom (a fork pool, a launcher and its children) and
// who shared a host at the same time (oversubscription).
#include <cstddef>
#include <string>
#include <vector>

#include "snapshot.hpp"

namespace prof::viewer {

struct ProcessPlace {
  std::size_t index = 0;  // into the snapshots given
  std::size_t depth = 0;  // 0 for a process whose parent is not in the report
};

// Parents before their children, children in start order below their parent. Without any parent/child
// pair in the set: start order, all at depth 0.
std::vector<ProcessPlace> process_tree_order(const std::vector<Snapshot>& processes);

// The threads a process ran or was told to run: threads_seen, and OMP_NUM_THREADS, OPENBLAS_NUM_THREADS
// and MKL_NUM_THREADS from its environment, whichever is largest.
std::int64_t threads_wanted(const Meta& meta);

// One sentence per problem: a host whose processes running at the same time had more threads than it had
// cores, and a host shared by several ranks of which some ran several threads. None when all is fine.
std::vector<std::string> oversubscription_warnings(const std::vector<Snapshot>& processes);

}  // namespace prof::viewer
