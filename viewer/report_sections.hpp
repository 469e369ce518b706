#pragma once
// Builds the sections of `prof report` from loaded snapshots. Tables come sorted by their default key and
// untrimmed; the command applies --sort and --top.
#include <vector>

#include "report_table.hpp"
#include "snapshot.hpp"

namespace prof::viewer {

Section meta_section(const std::vector<Snapshot>& snapshots);
Section scopes_section(const std::vector<Snapshot>& snapshots);
Section timers_section(const std::vector<Snapshot>& snapshots);

}  // namespace prof::viewer
