#pragma once
// A merged call tree laid out as a flame chart, for the formats that want a timeline (Chrome traces,
// speedscope's evented profiles): scopes are aggregated, so there is no real order in time to keep.
#include <cstdint>
#include <vector>

#include "merge/scope_tree.hpp"

namespace prof::viewer {

struct FlameSpan {
  std::uint32_t node = 0;
  std::int64_t start_ns = 0, end_ns = 0;
  bool open = true;  // false: the span's end, after all its children's
};

// Each node lasts its total time; roots one after another from 0, children one after another from their
// parent's start, heaviest first (as `prof report --tree`). A child is cut at its parent's end (compensated
// times of children can add up to a little more than their parent's), so spans always nest. In depth-first
// order: each node's open, its children's spans, its close; the ends never run backwards.
std::vector<FlameSpan> flame_layout(const ScopeTree& tree);

}  // namespace prof::viewer
