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

MemoryReportOptions memory_flame_options(MemoryView view, bool keep_system_frames) {
  MemoryReportOptions options;
  options.by = MemoryKey::line;
  options.view = view;
  options.tree = true;
  options.keep_system_frames = keep_system_frames;
  return options;
}

namespace {

// describe_frame's "function file:line" split back into its name and its location: the location is the last
// word when it looks like one (a path, or ends in :LINE).
std::pair<std::string, std::string> split_description(const std::string& text) {
  auto space = text.rfind(' ');
  if (space == std::string::npos) return {text, ""};
  auto tail = text.substr(space + 1);
  auto colon = tail.rfind(':');
  bool has_line = colon != std::string::npos && colon + 1 < tail.size() &&
                  std::all_of(tail.begin() + static_cast<std::ptrdiff_t>(colon) + 1, tail.end(),
                              [](unsigned char c) { return std::isdigit(c) != 0; });
  if (has_line || tail.starts_with('/')) return {text.substr(0, space), tail};
  return {text, ""};
}

}  // namespace

FlameTree memory_flame_tree(const MemoryMerge& memory, MemoryView view) {
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
  for (const auto& group : memory.groups()) {
    auto leaf_location = group.file.empty() ? std::string()
                         : group.line       ? fmt::format("{}:{}", group.file, group.line)
                                            : group.file;
    auto leaf_name = group.function.empty() ? (leaf_location.empty() ? group.key : "?") : group.function;
    for (const auto& [chain, counts] : group.callers) {
      auto v = view_values(counts, view);
      auto value = by_count ? v.count : v.size;
      if (value <= 0) continue;
      // The chain runs outward from the site: the root of the flame is its last frame.
      std::uint32_t node = 0;
      for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        auto [name, location] = split_description(*it);
        node = flame.child(node, name, location);
      }
      node = flame.child(node, leaf_name, leaf_location);
      flame.add_to_path(node, value);
    }
  }
  flame.sort_children();
  return flame;
}

}  // namespace prof::viewer
