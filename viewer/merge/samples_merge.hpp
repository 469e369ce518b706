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

 private:
  std::size_t function_of(const Snapshot& snapshot, std::uint32_t frame);

  std::int64_t processes_ = 0, samples_ = 0, dropped_ = 0;
  double seconds_ = 0, hz_ = 0;
  std::vector<SampledFunction> functions_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace prof::viewer
