#pragma once
// Which snapshot files a report reads, decided from their `meta` alone: a directory stands for its
// *.prof.json, of which each process's final snapshot is kept (its on-demand ones are left out). The metas
// are read from the head of each file, so choosing among 1024 files costs little more than listing them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/snapshot.hpp"

namespace prof::viewer {

struct SnapshotFile {
  std::string path;
  Meta meta;
};

// Each PATH is a snapshot file or a directory (sorted by name). Throws UserError as load_snapshots does.
std::vector<SnapshotFile> list_snapshot_files(const std::vector<std::string>& paths);

// --rank R / --pid P: only the files of that process. Throws UserError naming the flag when none is left in
// `where` (what was searched, for the message).
std::vector<SnapshotFile> only_process(std::vector<SnapshotFile> files, std::optional<std::int64_t> rank,
                                       std::optional<std::int64_t> pid,
                                       const std::string& where = "these paths");

// The meta of a snapshot file, from its first bytes when `meta` is there (as libprof writes it), else from
// the whole document. Throws UserError for a file that is not a readable snapshot.
Meta read_snapshot_meta(const std::string& path);

// The text of the top-level "meta" value in the start of a JSON document; empty when it is not complete
// within `head` (or the head is not the start of an object).
std::string_view find_meta_text(std::string_view head);

}  // namespace prof::viewer
