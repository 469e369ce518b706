#pragma once
// Memory sites as pprof wants them: each stack as locations (an address in a mapping, with the lines inlined
// there), per process so a merged run keeps its ranks apart as labels. Folded one snapshot at a time; nothing
// here points into a snapshot.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "merge/memory_grouping.hpp"
#include "model/snapshot.hpp"

namespace prof::viewer {

// A loaded object: pprof's Mapping. Keyed by path and build id; its start is the first process's base, so
// the same code has the same address in every rank.
struct PprofMapping {
  std::string path, build_id;
  std::uint64_t start = 0, limit = 0;
};

struct PprofLine {
  std::string function, file;
  std::int64_t line = 0;
  auto operator<=>(const PprofLine&) const = default;
};

// One return address and the functions at it, innermost (inlined) first, the caller they sit in last.
struct PprofLocation {
  std::int64_t mapping = -1;  // index into mappings(), -1 for none
  std::uint64_t address = 0;
  std::vector<PprofLine> lines;
  auto operator<=>(const PprofLocation&) const = default;
};

// Who a sample belongs to when several processes are merged: "rank" N, or the pid without a rank.
struct PprofProcess {
  std::optional<std::int64_t> rank;
  std::int64_t pid = 0;
  auto operator<=>(const PprofProcess&) const = default;
};

class PprofStacks {
 public:
  explicit PprofStacks(bool keep_system_frames) : keep_system_frames_(keep_system_frames) {}
  void add(const Snapshot& snapshot);

  const std::vector<PprofMapping>& mappings() const { return mappings_; }
  const std::vector<PprofLocation>& locations() const { return locations_; }
  // (locations innermost first as indices into locations(), process) -> counts.
  const std::map<std::pair<std::vector<std::uint32_t>, PprofProcess>, MemoryCounts>& samples() const {
    return samples_;
  }
  std::size_t processes() const { return processes_.size(); }

 private:
  std::int64_t mapping_index(const Module& module);
  std::uint32_t location_index(PprofLocation location);

  bool keep_system_frames_;
  std::vector<PprofMapping> mappings_;
  std::map<std::pair<std::string, std::string>, std::size_t> mapping_of_;
  std::vector<PprofLocation> locations_;
  std::map<PprofLocation, std::uint32_t> location_of_;
  std::map<std::pair<std::vector<std::uint32_t>, PprofProcess>, MemoryCounts> samples_;
  std::vector<PprofProcess> processes_;
};

}  // namespace prof::viewer
