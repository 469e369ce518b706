#pragma once
// Who a process is in a merged report, and which members started others.
#include <cstdint>
#include <optional>
#include <vector>

#include "model/snapshot.hpp"

namespace prof::viewer {

// Who a process is in a merged report: its MPI rank when it has one, else its pid.
struct ProcessLabel {
  std::optional<std::int64_t> rank;
  std::int64_t pid = 0;
  std::int64_t ppid = 0;
};
ProcessLabel label_of(const Meta& meta);

// Which members started other members (fork pools, ranks with forked workers), for Spread::stats.
std::vector<bool> parents_of(const std::vector<ProcessLabel>& members);

}  // namespace prof::viewer
