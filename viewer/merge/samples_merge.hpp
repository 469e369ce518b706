#pragma once
// The sampling profiler's counts folded across snapshots, one at a time: per group of frames (function,
// source line, file or module, all four kept so the report can choose), per thread, per process for the
// across table, and the call tree by function. Self is the samples whose innermost frame is in the group,
// total those with the group anywhere on the stack (once per stack, however deep the recursion). Estimated
// seconds are samples times each process's sampling period: CPU time on the cpu clock, thread time (running
// or waiting) on the wall clock.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "merge/process_label.hpp"
#include "merge/spread.hpp"
#include "model/snapshot.hpp"

namespace prof::viewer {

// What `prof report --samples --by` groups frames by.
enum class SampleKey { function = 0, line = 1, file = 2, module = 3 };
constexpr std::size_t kSampleKeys = 4;
// "function", "line", "file" or "module"; throws UserError naming --by otherwise.
SampleKey parse_sample_key(const std::string& name);
const char* sample_key_name(SampleKey key);

struct SampleGroup {
  std::string name;  // the function, "file:line", the file or the module; module+0xOFFSET when unknown
  std::string file;  // where it is defined, when known (function and line)
  std::int64_t self = 0, total = 0;
  std::int64_t waiting_self = 0, waiting_total = 0;  // of those, on the wall clock, while not running
  double self_seconds = 0, total_seconds = 0;
};

using SampledFunction = SampleGroup;  // the function key's groups

// One key's groups, in order of first appearance (the report sorts them).
struct SampleGroups {
  std::vector<SampleGroup> rows;
  std::unordered_map<std::string, std::size_t> index;
  std::size_t of(const std::string& name, const std::string& file);
};

// A thread of a process: its samples, by every key.
struct SampledThreadSummary {
  std::optional<std::int64_t> rank;  // the process's MPI rank, when it has one
  std::int64_t pid = 0;
  std::string program;
  std::int64_t tid = 0;  // 0: a snapshot written before threads were recorded
  std::string name;
  std::int64_t samples = 0, waiting = 0;
  std::array<SampleGroups, kSampleKeys> groups;
};

// The call tree merged by call path (outermost frame at the root): a node's `total` is the samples with this
// path on the stack, `self` those that ended in it. Node 0 is the root (no function).
struct SampleNode {
  std::size_t function = 0;  // index into groups(SampleKey::function); unused for the root
  std::size_t parent = 0;
  std::int64_t total = 0, self = 0;
  std::vector<std::size_t> children;
};

// A call path's self samples in one process: exports that keep ranks apart (pprof's label `rank`) write
// one sample per path and process, as the memory samples are.
struct ProcessSelf {
  std::size_t node = 0;     // index into tree()
  std::size_t process = 0;  // index into members()
  std::int64_t self = 0;
};

class SamplesMerge {
 public:
  void add(const Snapshot& snapshot);

  bool present() const { return !members_.empty(); }
  std::int64_t processes() const { return static_cast<std::int64_t>(members_.size()); }
  std::int64_t samples() const { return samples_; }
  std::int64_t waiting() const { return waiting_; }
  std::int64_t dropped() const { return dropped_; }
  double seconds() const { return seconds_; }
  double hz() const { return hz_; }  // the first process's rate
  // "cpu", "wall", or "mixed" when the processes merged used both.
  const std::string& clock() const { return clock_; }
  const SampleGroups& groups(SampleKey key) const { return groups_[static_cast<std::size_t>(key)]; }
  // Shorthand for groups(SampleKey::function).rows.
  const std::vector<SampleGroup>& functions() const { return groups(SampleKey::function).rows; }
  const std::vector<SampleNode>& tree() const { return tree_; }
  // The tree's self counts split by process, process by process (a node's entries sum to its self).
  const std::vector<ProcessSelf>& self_by_process() const { return self_by_process_; }
  // In order of first appearance, process by process.
  const std::vector<SampledThreadSummary>& threads() const { return threads_; }
  // Each group's total seconds per process (index as groups(key).rows), for the across table.
  const std::vector<Spread>& spreads(SampleKey key) const { return spreads_[static_cast<std::size_t>(key)]; }
  const std::vector<ProcessLabel>& members() const { return members_; }

 private:
  struct FrameKeys {
    std::array<std::string, kSampleKeys> name;
    std::string file;
    bool shim = false;  // in libprof_preload.so: the sampler's wrappers of blocking calls, not the program
  };
  FrameKeys keys_of(const Snapshot& snapshot, std::uint32_t frame) const;
  std::size_t child_of(std::size_t node, std::size_t function);

  std::int64_t samples_ = 0, waiting_ = 0, dropped_ = 0;
  double seconds_ = 0, hz_ = 0;
  std::string clock_;
  std::array<SampleGroups, kSampleKeys> groups_;
  std::array<std::vector<Spread>, kSampleKeys> spreads_;
  std::vector<ProcessLabel> members_;
  std::vector<SampledThreadSummary> threads_;
  std::vector<SampleNode> tree_{SampleNode{}};
  std::vector<ProcessSelf> self_by_process_;
  std::unordered_map<std::uint64_t, std::size_t> child_index_;  // (parent, function) -> node
};

}  // namespace prof::viewer
