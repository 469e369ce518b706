#pragma once
// Shared by the pprof and massif tests: the planted snapshots folded as prof export folds them, and the
// lines of a tool's output.
#include <sstream>
#include <string>
#include <vector>

#include "export/pprof_stacks.hpp"
#include "merge/report_merge.hpp"
#include "model/snapshot.hpp"
#include "read/snapshot_reader.hpp"

namespace prof::test {

// The first line of `text` that contains `needle`, or "" when none does.
inline std::string line_with(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.find(needle) != std::string::npos) return line;
  return "";
}

// The first word of that line: pprof -top's flat column.
inline std::string first_word(const std::string& line) {
  std::istringstream in(line);
  std::string word;
  in >> word;
  return word;
}

// A planted snapshot, given a rank when `rank` >= 0 (as one rank of an MPI run would be).
inline viewer::Snapshot planted(const std::string& path, long rank = -1) {
  auto snapshot = viewer::read_snapshot_file(path);
  if (rank >= 0) snapshot.meta.rank = rank;
  return snapshot;
}

}  // namespace prof::test
