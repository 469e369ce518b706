#include "export/flame_layout.hpp"

#include <algorithm>
#include <cstdint>

namespace prof::viewer {

std::vector<FlameSpan> flame_layout(const ScopeTree& tree) {
  std::vector<FlameSpan> spans;
  spans.reserve(tree.nodes.size() * 2);
  auto heaviest_first = [&](std::vector<std::uint32_t> nodes) {
    std::stable_sort(nodes.begin(), nodes.end(),
                     [&](auto a, auto b) { return tree.nodes[a].total_ns > tree.nodes[b].total_ns; });
    return nodes;
  };
  // Iterative, so a deep tree from an untrusted file cannot overflow the stack. Work items in reverse order.
  std::vector<FlameSpan> work;
  auto push_children = [&](const std::vector<std::uint32_t>& children, std::int64_t from,
                           std::int64_t limit) {
    std::vector<FlameSpan> placed;
    std::int64_t at = from;
    for (auto child : heaviest_first(children)) {
      auto length = std::max<std::int64_t>(tree.nodes[child].total_ns, 0);
      auto end = length > limit - at ? limit : at + length;
      placed.push_back({child, at, end, true});
      at = end;
    }
    for (auto it = placed.rbegin(); it != placed.rend(); ++it)
      work.push_back(*it);
  };
  push_children(tree.roots, 0, INT64_MAX);
  while (!work.empty()) {
    auto span = work.back();
    work.pop_back();
    spans.push_back(span);
    if (!span.open) continue;
    work.push_back({span.node, span.start_ns, span.end_ns, false});
    push_children(tree.nodes[span.node].children, span.start_ns, span.end_ns);
  }
  return spans;
}

}  // namespace prof::viewer
