#include "flamegraph/flame_tree.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "units.hpp"

namespace prof::viewer {

std::uint32_t FlameTree::child(std::uint32_t parent, const std::string& name, const std::string& location) {
  auto frame_key = name;
  frame_key += '\n';
  frame_key += location;
  auto [frame_it, new_frame] =
      frame_ids_.try_emplace(std::move(frame_key), static_cast<std::uint32_t>(frames.size()));
  if (new_frame) frames.push_back(FlameFrame{name, location});
  auto key = (static_cast<std::uint64_t>(parent) << 32) | frame_it->second;
  auto [it, added] = child_index_.try_emplace(key, static_cast<std::uint32_t>(nodes.size()));
  if (!added) return it->second;
  FlameNode node;
  node.frame = frame_it->second;
  node.parent = parent;
  nodes.push_back(std::move(node));
  nodes[parent].children.push_back(it->second);
  return it->second;
}

void FlameTree::add_to_path(std::uint32_t node, std::int64_t value) {
  for (auto n = static_cast<std::int64_t>(node); n >= 0; n = nodes[static_cast<std::size_t>(n)].parent) {
    auto& v = nodes[static_cast<std::size_t>(n)].value;
    v = add_saturating(v, value);
  }
}

void FlameTree::sort_children() {
  for (auto& node : nodes)
    std::stable_sort(node.children.begin(), node.children.end(),
                     [this](std::uint32_t a, std::uint32_t b) { return nodes[a].value > nodes[b].value; });
}

namespace {

void fold(FlameTree& out, const FlameTree& in, bool as_before) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> work{{0, 0}};  // (node of in, node of out)
  while (!work.empty()) {
    auto [from, to] = work.back();
    work.pop_back();
    auto& target = out.nodes[to];
    (as_before ? target.before : target.value) += in.nodes[from].value;
    for (auto c : in.nodes[from].children) {
      const auto& node = in.nodes[c];
      work.emplace_back(c, out.child(to, in.name(node), in.location(node)));
    }
  }
}

}  // namespace

FlameTree diff_trees(const FlameTree& old_tree, const FlameTree& new_tree) {
  FlameTree out;
  out.title = new_tree.title;
  out.unit = new_tree.unit;
  out.diff = true;
  fold(out, new_tree, false);
  fold(out, old_tree, true);
  out.sort_children();
  return out;
}

std::string format_flame_value(std::int64_t value, FlameUnit unit) {
  switch (unit) {
    case FlameUnit::nanoseconds:
      return format_seconds(static_cast<double>(value) / 1e9);
    case FlameUnit::bytes:
      return format_bytes(static_cast<double>(value));
    case FlameUnit::count:
      break;
  }
  return fmt::format("{}", value);
}

const char* unit_name(FlameUnit unit) {
  switch (unit) {
    case FlameUnit::nanoseconds:
      return "ns";
    case FlameUnit::bytes:
      return "bytes";
    case FlameUnit::count:
      break;
  }
  return "count";
}

}  // namespace prof::viewer
