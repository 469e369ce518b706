#include "merge/samples_merge.hpp"

#include <algorithm>

#include "model/describe_frame.hpp"

namespace prof::viewer {

std::size_t SamplesMerge::function_of(const Snapshot& snapshot, std::uint32_t frame) {
  const Frame& f = snapshot.frames[frame];
  // Functions are matched by name across processes (ranks run the same program at different addresses).
  std::string name = f.function ? snapshot.string(f.function) : describe_frame(snapshot, frame);
  auto [it, added] = index_.try_emplace(name, functions_.size());
  if (added) functions_.push_back({.name = name, .file = snapshot.string(f.file)});
  return it->second;
}

std::size_t SamplesMerge::child_of(std::size_t node, std::size_t function) {
  const std::uint64_t key = (static_cast<std::uint64_t>(node) << 32) ^ function;
  auto [it, added] = child_index_.try_emplace(key, tree_.size());
  if (added) {
    tree_.push_back({.function = function, .total = 0, .self = 0, .children = {}});
    tree_[node].children.push_back(it->second);
  }
  return it->second;
}

void SamplesMerge::add(const Snapshot& snapshot) {
  if (!snapshot.samples) return;
  const Samples& samples = *snapshot.samples;
  ++processes_;
  if (processes_ == 1) hz_ = samples.hz;
  dropped_ += samples.dropped;
  std::vector<std::size_t> seen;  // functions already counted in this stack's total
  for (const auto& stack : samples.stacks) {
    const auto frames = snapshot.stacks[stack.stack];
    if (frames.empty() || stack.samples <= 0) continue;
    const double seconds = static_cast<double>(stack.samples) * samples.period_seconds;
    samples_ += stack.samples;
    seconds_ += seconds;
    seen.clear();
    std::size_t node = 0;
    tree_[0].total += stack.samples;
    for (std::size_t i = frames.size(); i-- > 0;) {
      node = child_of(node, function_of(snapshot, frames[i]));
      tree_[node].total += stack.samples;
      if (i == 0) tree_[node].self += stack.samples;
    }
    for (std::size_t i = 0; i < frames.size(); ++i) {
      std::size_t function = function_of(snapshot, frames[i]);
      if (i == 0) {
        functions_[function].self += stack.samples;
        functions_[function].self_seconds += seconds;
      }
      if (std::find(seen.begin(), seen.end(), function) != seen.end()) continue;
      seen.push_back(function);
      functions_[function].total += stack.samples;
      functions_[function].total_seconds += seconds;
    }
  }
}

}  // namespace prof::viewer
