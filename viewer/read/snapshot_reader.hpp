#pragma once
// Reads snapshots (docs/SNAPSHOT.md) into the model. Anything wrong with the input throws UserError naming
// the path and the problem; nothing the input can contain makes the reader crash.
#include <string>
#include <string_view>
#include <vector>

#include "model/snapshot.hpp"

namespace prof::viewer {

// Parses a snapshot held in memory; `path` only names it in error messages.
Snapshot parse_snapshot(std::string_view json, const std::string& path);

Snapshot read_snapshot_file(const std::string& path);

// Each PATH is a snapshot file or a directory, which stands for all its *.prof.json (sorted by name).
std::vector<Snapshot> load_snapshots(const std::vector<std::string>& paths);

}  // namespace prof::viewer
