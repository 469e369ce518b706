#pragma once
// `prof report --timers`: one row per timing with its spread and interval, the comparisons as sentences.
#include <vector>

#include "model/snapshot.hpp"
#include "report/table.hpp"

namespace prof::viewer {

Section timers_section(const std::vector<Snapshot>& snapshots);

}  // namespace prof::viewer
