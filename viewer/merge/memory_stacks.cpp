#include "merge/memory_stacks.hpp"

#include <functional>

#include "model/describe_frame.hpp"

namespace prof::viewer {

namespace {

constexpr std::uint32_t kUnknown = UINT32_MAX;
constexpr std::uint32_t kSkipped = UINT32_MAX - 1;

std::uint64_t mix(std::uint64_t hash, std::uint64_t value) {
  return (hash ^ value) * 1099511628211ull;  // FNV-1a's step, a word at a time
}

}  // namespace

std::size_t MemoryStacks::FrameHash::operator()(const FrameKey& frame) const noexcept {
  return static_cast<std::size_t>(mix(mix(mix(14695981039346656037ull, frame.function), frame.file),
                                      static_cast<std::uint64_t>(frame.line)));
}

std::size_t MemoryStacks::StackHash::operator()(const std::vector<std::uint32_t>& stack) const noexcept {
  std::uint64_t hash = 14695981039346656037ull;
  for (auto frame : stack)
    hash = mix(hash, frame);
  return static_cast<std::size_t>(hash);
}

std::uint32_t MemoryStacks::string_index(const std::string& text) {
  auto [it, added] = index_of_string_.try_emplace(text, static_cast<std::uint32_t>(strings_.size()));
  if (added) strings_.push_back(text);
  return it->second;
}

std::uint32_t MemoryStacks::frame_index(StackFrame frame) {
  FrameKey key{string_index(frame.function), string_index(frame.file), frame.line};
  auto [it, added] = index_of_frame_.try_emplace(key, static_cast<std::uint32_t>(frames_.size()));
  if (added) frames_.push_back(std::move(frame));
  return it->second;
}

// The snapshot's stack as one of ours: system frames left out (kept when they are all there is).
std::uint32_t MemoryStacks::stack_index(const Snapshot& snapshot, std::uint32_t stack) {
  auto frame_for = [&](std::uint32_t f, bool keep_anyway) {
    if (frame_of_[f] != kUnknown && (frame_of_[f] != kSkipped || !keep_anyway)) return frame_of_[f];
    const auto& frame = snapshot.frames[f];
    if (!keep_anyway && !keep_system_frames_ && is_system_frame(snapshot, frame))
      return frame_of_[f] = kSkipped;
    std::uint32_t index;
    if (!snapshot.string(frame.function).empty()) {
      // The common case: the key from the snapshot's strings, each translated once per snapshot.
      auto ours = [&](std::uint32_t s) {
        if (s >= string_of_.size()) return string_index(snapshot.string(s));  // "" as Snapshot::string says
        if (string_of_[s] == kUnknown) string_of_[s] = string_index(snapshot.string(s));
        return string_of_[s];
      };
      FrameKey key{ours(frame.function), ours(frame.file), frame.line};
      auto [it, added] = index_of_frame_.try_emplace(key, static_cast<std::uint32_t>(frames_.size()));
      if (added)
        frames_.push_back({snapshot.string(frame.function), snapshot.string(frame.file), frame.line});
      index = it->second;
    } else {
      StackFrame out{describe_frame(snapshot, f), snapshot.string(frame.file), frame.line};
      index = frame_index(std::move(out));
    }
    if (!keep_anyway) frame_of_[f] = index;
    return index;
  };
  auto frames = snapshot.stacks[stack];
  scratch_.clear();
  for (auto it = frames.rbegin(); it != frames.rend(); ++it)  // outermost first
    if (auto index = frame_for(*it, false); index != kSkipped) scratch_.push_back(index);
  // All system (an allocation made by the runtime itself): charged to where it happened, as prof report does.
  if (scratch_.empty() && !frames.empty()) scratch_.push_back(frame_for(frames[0], true));
  if (scratch_.empty()) scratch_.push_back(frame_index({"?", "", 0}));
  auto [it, added] = index_of_stack_.try_emplace(scratch_, static_cast<std::uint32_t>(stacks_.size()));
  if (added) stacks_.push_back({scratch_, {}});
  return it->second;
}

void MemoryStacks::add(const Snapshot& snapshot) {
  if (!snapshot.memory) return;
  frame_of_.assign(snapshot.frames.size(), kUnknown);
  string_of_.assign(snapshot.strings.size(), kUnknown);
  stack_of_.assign(snapshot.stacks.size(), kUnknown);
  for (const auto& site : snapshot.memory->sites) {
    auto& ours = stack_of_[site.stack];
    if (ours == kUnknown) ours = stack_index(snapshot, site.stack);
    stacks_[ours].counts.add(site);
  }
}

}  // namespace prof::viewer
