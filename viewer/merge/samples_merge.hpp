#pragma once
// The sampling profiler's counts folded across snapshots, per function: self (samples whose innermost frame
// is in it) and total (samples with it anywhere on the stack, once per stack however deep the recursion).
// Estimated seconds are samples times each process's sampling period: CPU time, not wall time.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/snapshot.hpp"

namespace prof::viewer {

struct SampledFunction {
  std::string name;  // the function, or module+0xOFFSET for a frame that could not be symbolised
  std::string file;  // where it is defined, when known
  std::int64_t self = 0, total = 0;
  double self_seconds = 0, total_seconds = 0;
};

// The call tree merged by call path (outermost frame at the root): a node's `total` is the samples with this
// path on the stack, `self` those that ended in it. Node 0 is the root (no function).
struct SampleNode {
  std::size_t function = 0;  // index into functions(); unused for the root
  std::int64_t total = 0, self = 0;
  std::vector<std::size_t> children;
};

class SamplesMerge {
 public:
  void add(const Snapshot& snapshot);

  bool present() const { return processes_ > 0; }
  std::int64_t processes() const { return processes_; }
  std::int64_t samples() const { return samples_; }
  std::int64_t dropped() const { return dropped_; }
  double seconds() const { return seconds_; }
  double hz() const { return hz_; }  // the first process's rate
  // In order of first appearance; the report sorts them.
  const std::vector<SampledFunction>& functions() const { return functions_; }
  const std::vector<SampleNode>& tree() const { return tree_; }

 private:
  std::size_t function_of(const Snapshot& snapshot, std::uint32_t frame);
  std::size_t child_of(std::size_t node, std::size_t function);

  std::int64_t processes_ = 0, samples_ = 0, dropped_ = 0;
  double seconds_ = 0, hz_ = 0;
  std::vector<SampledFunction> functions_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<SampleNode> tree_{SampleNode{}};
  std::unordered_map<std::uint64_t, std::size_t> child_index_;  // (parent, function) -> node
};

}  // namespace prof::viewer
