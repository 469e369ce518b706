#pragma once
// Memory sites folded by their whole stack of functions, over processes: what flame graphs and sampled
// profiles draw (bytes per stack). The merge's groups key a site by one line of it; these keep the path.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "merge/memory_grouping.hpp"
#include "model/snapshot.hpp"

namespace prof::viewer {

struct StackFrame {
  std::string function, file;  // function: the frame in words when it has no name (module+0xOFFSET)
  std::int64_t line = 0;
  auto operator<=>(const StackFrame&) const = default;
};

class MemoryStacks {
 public:
  explicit MemoryStacks(bool keep_system_frames) : keep_system_frames_(keep_system_frames) {}
  void add(const Snapshot& snapshot);
  // Every frame met, once: 1024 ranks share their frames, and a stack names them by index (a run's stacks
  // spelt out in strings were ~100 MB).
  const std::vector<StackFrame>& frames() const { return frames_; }
  // Stack (indices into frames(), outermost first) -> its counts, summed over the sites and processes.
  const std::map<std::vector<std::uint32_t>, MemoryCounts>& stacks() const { return stacks_; }

 private:
  std::uint32_t frame_index(StackFrame frame);

  bool keep_system_frames_;
  std::vector<StackFrame> frames_;
  std::map<StackFrame, std::uint32_t> index_of_frame_;
  std::map<std::vector<std::uint32_t>, MemoryCounts> stacks_;
};

}  // namespace prof::viewer
