#pragma once
// The tree every flame graph is drawn from: one node per call path with its inclusive figure (time, bytes or
// a count), built from merge/'s accumulators so that a flame graph shows what `prof report` merged. Node 0
// is the root ("all"); a node's figure includes its children's, and what is left is its own.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace prof::viewer {

enum class FlameUnit { nanoseconds, bytes, count };

// A distinct (name, location) pair: call paths repeat the same frames, so a node names its frame by index.
struct FlameFrame {
  std::string name;      // scope or function
  std::string location;  // "file:line", or empty when unknown
};

struct FlameNode {
  std::uint32_t frame = 0;  // index into FlameTree::frames
  std::int64_t value = 0;
  std::int64_t before = 0;  // --diff: the figure in OLD (value is NEW's)
  std::int64_t parent = -1;
  std::vector<std::uint32_t> children;
};

struct FlameTree {
  std::string title;  // what the figures are, e.g. "cumulative time" or "bytes live at the peak"
  FlameUnit unit = FlameUnit::nanoseconds;
  bool diff = false;
  std::vector<FlameFrame> frames{FlameFrame{"all", ""}};
  std::vector<FlameNode> nodes{FlameNode{}};

  const std::string& name(const FlameNode& node) const { return frames[node.frame].name; }
  const std::string& location(const FlameNode& node) const { return frames[node.frame].location; }
  // The child of `parent` with this name and location, made when missing.
  std::uint32_t child(std::uint32_t parent, const std::string& name, const std::string& location);
  // Adds `value` to the path from the root down to `node` (a leaf's figure counted in its ancestors).
  void add_to_path(std::uint32_t node, std::int64_t value);
  // Heaviest child first, so every writer shows the same order.
  void sort_children();

 private:
  // (parent, frame) -> child: a node may have thousands of children, and a merged run hundreds of thousands
  // of nodes, whose keys must stay small.
  std::unordered_map<std::string, std::uint32_t> frame_ids_;
  std::unordered_map<std::uint64_t, std::uint32_t> child_index_;
};

// NEW's tree with each node's figure in OLD as `before`: the paths of OLD missing from NEW are kept with a
// value of 0, so what vanished can still be named.
FlameTree diff_trees(const FlameTree& old_tree, const FlameTree& new_tree);

// The figure for people: "1.50 ms", "2.00 MiB", "1 234".
std::string format_flame_value(std::int64_t value, FlameUnit unit);
const char* unit_name(FlameUnit unit);  // "ns", "bytes", "count": what the page and the SVG show

}  // namespace prof::viewer
