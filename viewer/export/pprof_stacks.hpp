#pragma once
// Memory sites as pprof and massif want them: each stack as locations (an address in a mapping, with the
// lines inlined there), per process so a merged run keeps its ranks apart. Folded one snapshot at a time into
// interned tables (strings, lines, locations and stacks are stored once however many ranks share them);
// nothing here points into a snapshot. ExportData fills it only for the formats that ask (it costs a sample
// per stack and process).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
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
};

// One return address and the functions at it: indices into lines(), innermost (inlined) first, the caller
// they sit in last.
struct PprofLocation {
  std::int64_t mapping = -1;  // index into mappings(), -1 for none
  std::uint64_t address = 0;
  std::vector<std::uint32_t> lines;
};

// Who a sample belongs to when several processes are merged: "rank" N, or the pid without a rank.
struct PprofProcess {
  std::optional<std::int64_t> rank;
  std::int64_t pid = 0;
  bool operator==(const PprofProcess&) const = default;
};

struct PprofSample {
  std::uint32_t stack = 0;    // index into stacks()
  std::uint32_t process = 0;  // index into processes()
  MemoryCounts counts;
};

class PprofStacks {
 public:
  explicit PprofStacks(bool keep_system_frames) : keep_system_frames_(keep_system_frames) {}
  void add(const Snapshot& snapshot) { add(snapshot, samples_); }
  // The snapshot's samples appended to `samples` instead of kept (pprof encodes them as they come); its
  // strings, mappings, locations and stacks are interned here as by add().
  void add(const Snapshot& snapshot, std::vector<PprofSample>& samples);

  const std::vector<PprofMapping>& mappings() const { return mappings_; }
  const std::vector<PprofLine>& lines() const { return lines_; }
  const std::vector<PprofLocation>& locations() const { return locations_; }
  // Indices into locations(), innermost first.
  const StackTable& stacks() const { return stacks_; }
  const std::vector<PprofProcess>& processes() const { return processes_; }
  const std::vector<PprofSample>& samples() const { return samples_; }

 private:
  std::uint32_t intern_string(const std::string& text);
  // Into locations_scratch_, which it returns.
  const std::vector<std::uint32_t>& stack_locations(const Snapshot& snapshot, std::uint32_t stack);

  bool keep_system_frames_;
  std::vector<std::string> strings_;
  std::unordered_map<std::string, std::uint32_t> string_of_;
  std::vector<PprofMapping> mappings_;
  std::map<std::pair<std::string, std::string>, std::size_t> mapping_of_;
  std::vector<PprofLine> lines_;
  // Hashed, not ordered: each rank's frames are looked up again (5 million lookups for 1024 ranks).
  // Not noexcept on purpose: libstdc++ then keeps each key's hash in its node, and a lookup compares hashes
  // instead of hashing again every key it passes in the bucket's chain.
  struct VectorHash {
    template <typename T>
    std::size_t operator()(const std::vector<T>& values) const {
      std::uint64_t hash = 14695981039346656037ull;  // FNV-1a, a value at a time
      for (auto value : values)
        hash = (hash ^ static_cast<std::uint64_t>(value)) * 1099511628211ull;
      return static_cast<std::size_t>(hash);
    }
  };
  std::unordered_map<std::vector<std::int64_t>, std::uint32_t, VectorHash> line_of_;  // function, file, line
  std::vector<PprofLocation> locations_;
  // (mapping + 1, address, lines...)
  std::unordered_map<std::vector<std::uint64_t>, std::uint32_t, VectorHash> location_of_;
  // The stacks, flat, and an open-addressing index over them: each rank's stacks are looked up (ten million
  // lookups for 1024 ranks), and a map of vectors cost three cache misses a lookup (bucket, node, the
  // vector's frames) where a slot holding the hash and the flat table cost two.
  std::uint32_t intern_stack(const std::vector<std::uint32_t>& locations);
  struct StackSlot {
    std::uint32_t stack_plus_one = 0;  // 0: empty
    std::uint32_t hash = 0;
  };
  StackTable stacks_;
  std::vector<StackSlot> stack_slots_;
  std::vector<PprofProcess> processes_;
  std::vector<PprofSample> samples_;
  // Per snapshot, while it is added: its strings, modules and frames as ours (-1: not yet seen).
  std::vector<std::int64_t> string_id_, mapping_id_, line_id_, location_id_;
  std::vector<signed char> system_;
  std::vector<std::uint32_t> locations_scratch_;
  // Keys built for the lookups above, reused: a new vector per frame was an allocation per lookup.
  std::vector<std::int64_t> line_key_;
  std::vector<std::uint64_t> location_key_;
  std::vector<std::uint32_t> lines_scratch_;
};

}  // namespace prof::viewer
