#include "export/memory_stacks.hpp"

#include "model/describe_frame.hpp"

namespace prof::viewer {

void MemoryStacks::add(const Snapshot& snapshot) {
  if (!snapshot.memory) return;
  // Per frame of this snapshot, worked out once: thousands of sites share a few thousand frames.
  std::vector<char> skip(snapshot.frames.size(), 0);
  if (!keep_system_frames_)
    for (std::size_t f = 0; f < snapshot.frames.size(); ++f)
      skip[f] = is_system_frame(snapshot, snapshot.frames[f]) ? 1 : 0;
  std::vector<StackFrame> stack;
  for (const auto& site : snapshot.memory->sites) {
    auto frames = snapshot.stacks[site.stack];
    stack.clear();
    for (auto it = frames.rbegin(); it != frames.rend(); ++it) {  // outermost first
      if (skip[*it]) continue;
      const auto& frame = snapshot.frames[*it];
      StackFrame out{snapshot.string(frame.function), snapshot.string(frame.file), frame.line};
      if (out.function.empty()) out.function = describe_frame(snapshot, *it);
      stack.push_back(std::move(out));
    }
    // All system (an allocation made by the runtime itself): charged to where it happened, as prof report
    // does.
    if (stack.empty() && !frames.empty()) {
      const auto& frame = snapshot.frames[frames[0]];
      stack.push_back({describe_frame(snapshot, frames[0]), snapshot.string(frame.file), frame.line});
    }
    if (stack.empty()) stack.push_back({"?", "", 0});
    stacks_[stack].add(site);
  }
}

}  // namespace prof::viewer
