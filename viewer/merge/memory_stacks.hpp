#pragma once
// Memory sites folded by their whole stack of functions, over processes: what flame graphs and sampled
// profiles draw (bytes per stack). The merge's groups key a site by one line of it; these keep the path.
// Folded one snapshot at a time: each snapshot's frames and stacks are translated once into ours, so a
// site costs an array lookup and an addition (1024 ranks x 10 000 sites in about a second).
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "merge/memory_grouping.hpp"
#include "model/snapshot.hpp"

namespace prof::viewer {

struct StackFrame {
  std::string function, file;  // function: the frame in words when it has no name (module+0xOFFSET)
  std::int64_t line = 0;
  bool operator==(const StackFrame&) const = default;
};

// A distinct stack (indices into MemoryStacks::frames(), outermost first) and its counts, summed over the
// sites and processes.
struct FoldedStack {
  std::vector<std::uint32_t> frames;
  MemoryCounts counts;
};

class MemoryStacks {
 public:
  explicit MemoryStacks(bool keep_system_frames) : keep_system_frames_(keep_system_frames) {}
  void add(const Snapshot& snapshot);
  // Every frame met, once: 1024 ranks share their frames, and a stack names them by index (a run's stacks
  // spelt out in strings were ~100 MB).
  const std::vector<StackFrame>& frames() const { return frames_; }
  // In the order first met.
  const std::vector<FoldedStack>& stacks() const { return stacks_; }

 private:
  // A frame by the indices of its strings in strings_: each snapshot's strings are hashed once, not once per
  // frame that names them.
  struct FrameKey {
    std::uint32_t function = 0, file = 0;
    std::int64_t line = 0;
    bool operator==(const FrameKey&) const = default;
  };
  struct FrameHash {
    std::size_t operator()(const FrameKey& frame) const noexcept;
  };
  struct StackHash {
    std::size_t operator()(const std::vector<std::uint32_t>& stack) const noexcept;
  };
  std::uint32_t frame_index(StackFrame frame);
  std::uint32_t string_index(const std::string& text);
  std::uint32_t stack_index(const Snapshot& snapshot, std::uint32_t stack);

  bool keep_system_frames_;
  std::vector<StackFrame> frames_;
  std::vector<std::string> strings_;
  std::unordered_map<std::string, std::uint32_t> index_of_string_;
  std::unordered_map<FrameKey, std::uint32_t, FrameHash> index_of_frame_;
  std::vector<FoldedStack> stacks_;
  std::unordered_map<std::vector<std::uint32_t>, std::uint32_t, StackHash> index_of_stack_;
  // While a snapshot is added: its frames and stacks as ours (kUnknown: not yet translated).
  std::vector<std::uint32_t> frame_of_, stack_of_, string_of_;
  std::vector<std::uint32_t> scratch_;
};

}  // namespace prof::viewer
