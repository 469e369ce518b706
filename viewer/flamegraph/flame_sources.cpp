#include "flamegraph/flame_sources.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include <fmt/format.h>

namespace prof::viewer {

FlameTree scope_flame_tree(const ScopeMerge& scopes) {
  FlameTree flame;
  flame.title = "cumulative time";
  flame.unit = FlameUnit::nanoseconds;
  const auto& tree = scopes.tree();
  // The scope tree is merged by path already: node for node, parents before children.
  std::vector<std::uint32_t> flame_of(tree.nodes.size());
  for (std::size_t i = 0; i < tree.nodes.size(); ++i) {
    const auto& node = tree.nodes[i];
    const auto& site = tree.sites[node.site];
    auto parent = node.parent < 0 ? 0u : flame_of[static_cast<std::size_t>(node.parent)];
    auto location = site.file.empty() ? std::string()
                    : site.line       ? fmt::format("{}:{}", site.file, site.line)
                                      : site.file;
    flame_of[i] = flame.child(parent, site.name, location);
    flame.nodes[flame_of[i]].value += node.total_ns;
  }
  flame.nodes[0].value = tree.root_total_ns();
  flame.sort_children();
  return flame;
}

FlameTree samples_flame_tree(const SamplesMerge& samples) {
  FlameTree flame;
  flame.title = "CPU samples";
  flame.unit = FlameUnit::count;
  const auto& tree = samples.tree();
  const auto& functions = samples.functions();
  // Merged by call path already, parents before children.
  std::vector<std::uint32_t> flame_of(tree.size(), 0);
  for (std::size_t i = 1; i < tree.size(); ++i) {
    const auto& node = tree[i];
    const auto& function = functions[node.function];
    flame_of[i] = flame.child(flame_of[node.parent], function.name, function.file);
    flame.nodes[flame_of[i]].value += node.total;
  }
  flame.nodes[0].value = tree.empty() ? 0 : tree[0].total;
  flame.sort_children();
  return flame;
}

FlameTree memory_flame_tree(const MemoryStacks& stacks, MemoryView view) {
  FlameTree flame;
  const bool by_count = view == MemoryView::allocations || view == MemoryView::temporary;
  flame.unit = by_count ? FlameUnit::count : FlameUnit::bytes;
  switch (view) {
    case MemoryView::peak:
      flame.title = "bytes live at the peak";
      break;
    case MemoryView::leaks:
      flame.title = "bytes leaked";
      break;
    case MemoryView::allocations:
      flame.title = "allocations";
      break;
    case MemoryView::temporary:
      flame.title = "temporary allocations";
      break;
    case MemoryView::total:
      flame.title = "bytes allocated";
      break;
  }
  std::vector<std::string> locations;  // per frame of `stacks`, "file:line"
  for (const auto& frame : stacks.frames())
    locations.push_back(frame.file.empty() ? std::string()
                        : frame.line       ? fmt::format("{}:{}", frame.file, frame.line)
                                           : frame.file);
  for (const auto& [frames, counts] : stacks.stacks()) {
    auto v = view_values(counts, view);
    auto value = by_count ? v.count : v.size;
    if (value <= 0) continue;
    std::uint32_t node = 0;
    for (auto frame : frames)  // outermost first: the root of the flame
      node = flame.child(node, stacks.frames()[frame].function, locations[frame]);
    flame.add_to_path(node, value);
  }
  flame.sort_children();
  return flame;
}

}  // namespace prof::viewer
