#pragma once
// Who shared a host at the same time, and whether they asked it for more threads than it had cores.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/snapshot.hpp"

namespace prof::viewer {

// The threads a process ran or was told to run: threads_seen, and OMP_NUM_THREADS, OPENBLAS_NUM_THREADS
// and MKL_NUM_THREADS from its environment, whichever is largest.
std::int64_t threads_wanted(const Meta& meta);

// One sentence per problem: a host whose processes running at the same time had more threads than it had
// cores, and a host shared by several ranks of which some ran several threads. None when all is fine.
std::vector<std::string> oversubscription_warnings(const std::vector<Snapshot>& processes);

}  // namespace prof::viewer
