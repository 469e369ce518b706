#include "export/memory_stacks.hpp"

#include "model/describe_frame.hpp"

namespace prof::viewer {

std::uint32_t MemoryStacks::frame_index(StackFrame frame) {
  auto [it, added] =
      index_of_frame_.try_emplace(std::move(frame), static_cast<std::uint32_t>(frames_.size()));
  if (added) frames_.push_back(it->first);
  return it->second;
}

void MemoryStacks::add(const Snapshot& snapshot) {
  if (!snapshot.memory) return;
  // Per frame of this snapshot, worked out once on first use: thousands of sites share a few thousand frames.
  constexpr std::uint32_t kUnknown = UINT32_MAX;
  constexpr std::uint32_t kSkipped = UINT32_MAX - 1;
  std::vector<std::uint32_t> index_of(snapshot.frames.size(), kUnknown);
  auto index_for = [&](std::uint32_t f, bool keep_anyway) {
    if (index_of[f] != kUnknown && (index_of[f] != kSkipped || !keep_anyway)) return index_of[f];
    const auto& frame = snapshot.frames[f];
    if (!keep_anyway && !keep_system_frames_ && is_system_frame(snapshot, frame))
      return index_of[f] = kSkipped;
    StackFrame out{snapshot.string(frame.function), snapshot.string(frame.file), frame.line};
    if (out.function.empty()) out.function = describe_frame(snapshot, f);
    auto index = frame_index(std::move(out));
    if (!keep_anyway) index_of[f] = index;
    return index;
  };
  std::vector<std::uint32_t> stack;
  for (const auto& site : snapshot.memory->sites) {
    auto frames = snapshot.stacks[site.stack];
    stack.clear();
    for (auto it = frames.rbegin(); it != frames.rend(); ++it)  // outermost first
      if (auto index = index_for(*it, false); index != kSkipped) stack.push_back(index);
    // All system (an allocation made by the runtime itself): charged to where it happened, as prof report
    // does.
    if (stack.empty() && !frames.empty()) stack.push_back(index_for(frames[0], true));
    if (stack.empty()) stack.push_back(frame_index({"?", "", 0}));
    stacks_[stack].add(site);
  }
}

}  // namespace prof::viewer
