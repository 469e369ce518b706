#include "flamegraph/text_flame.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace prof::viewer {

namespace {

// A bar of `fraction` of `width` cells in eighths of a cell, padded with spaces so the columns stay aligned.
std::string bar(double fraction, int width) {
  static const char* const kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  auto eighths = static_cast<long>(std::lround(std::clamp(fraction, 0.0, 1.0) * width * 8));
  std::string out;
  for (long i = 0; i < eighths / 8; ++i)
    out += "█";
  long used = eighths / 8;
  if (eighths % 8) {
    out += kEighths[eighths % 8];
    ++used;
  }
  out.append(static_cast<std::size_t>(width - used), ' ');
  return out;
}

std::string change(const FlameNode& node, FlameUnit unit) {
  auto delta = node.value - node.before;
  if (delta == 0) return "  (=)";
  auto sign = delta > 0 ? "+" : "-";
  return fmt::format("  ({}{})", sign, format_flame_value(delta > 0 ? delta : -delta, unit));
}

}  // namespace

std::string text_flame(const FlameTree& tree, const TextFlameOptions& options) {
  std::string out = fmt::format("{}: {}\n", tree.title, format_flame_value(tree.nodes[0].value, tree.unit));
  const auto whole = static_cast<double>(tree.nodes[0].value);
  // Iterative, depth first: a deep tree from an untrusted file cannot overflow the stack.
  std::vector<std::pair<std::uint32_t, int>> work{{0, 0}};
  while (!work.empty()) {
    auto [index, depth] = work.back();
    work.pop_back();
    const auto& node = tree.nodes[index];
    auto share = whole > 0 ? static_cast<double>(node.value) / whole : 0.0;
    out += fmt::format("{} {:5.1f}% {:>10}  {:{}}{}", bar(share, options.bar_width), share * 100,
                       format_flame_value(node.value, tree.unit), "", depth * 2, tree.name(node));
    if (!tree.location(node).empty()) out += "  " + tree.location(node);
    if (tree.diff) out += change(node, tree.unit);
    out += '\n';
    for (auto it = node.children.rbegin(); it != node.children.rend(); ++it) {
      auto child_share = whole > 0 ? static_cast<double>(tree.nodes[*it].value) / whole : 0.0;
      if (child_share * 100 >= options.min_percent && tree.nodes[*it].value > 0)
        work.emplace_back(*it, depth + 1);
    }
  }
  return out;
}

}  // namespace prof::viewer
