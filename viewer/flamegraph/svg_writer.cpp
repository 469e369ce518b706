#include "flamegraph/svg_writer.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "flamegraph/svg_script.hpp"

namespace prof::viewer {

namespace {

constexpr int kRow = 16, kPad = 10, kTop = 34;

std::string escape_xml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        // XML 1.0 has no place for most control characters, even escaped.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') out += c;
    }
  }
  return out;
}

// Deterministic warm colours by name (flamegraph.pl's "hot" palette), green for memory; red grew, blue
// shrank.
std::string colour(const FlameTree& tree, const FlameNode& node) {
  if (tree.diff) {
    auto delta = node.value - node.before;
    auto scale = std::max(node.value, node.before);
    if (scale == 0 || delta == 0) return "rgb(250,250,250)";
    auto c = static_cast<int>(std::lround(
        250 - 200 * std::min(1.0, std::abs(static_cast<double>(delta)) / static_cast<double>(scale))));
    return delta > 0 ? fmt::format("rgb(250,{},{})", c, c) : fmt::format("rgb({},{},250)", c, c);
  }
  std::uint32_t h = 2166136261u;
  for (unsigned char c : tree.name(node))
    h = (h ^ c) * 16777619u;
  double a = (h & 0xffff) / 65535.0, b = (h >> 16) / 65535.0;
  if (tree.unit == FlameUnit::nanoseconds)
    return fmt::format("rgb({},{},55)", 205 + static_cast<int>(50 * a), static_cast<int>(230 * b));
  return fmt::format("rgb({},{},{})", 50 + static_cast<int>(60 * a), 190 + static_cast<int>(50 * b),
                     50 + static_cast<int>(60 * a));
}

struct Box {
  std::int64_t node;  // -N: N frames merged
  double x, w;
  int depth;
};

}  // namespace

std::string svg_flame(const FlameTree& tree, int width) {
  const double graph = width - 2 * kPad;
  const auto total = tree.nodes[0].value;
  const double scale = total > 0 ? graph / static_cast<double>(total) : 0;
  std::vector<Box> boxes{{0, 0, graph, 0}};
  std::vector<std::size_t> work{0};
  int max_depth = 0;
  while (!work.empty()) {
    auto box = boxes[work.back()];
    work.pop_back();
    double x = box.x, merged_x = -1, merged_w = 0;
    std::int64_t merged_n = 0;
    for (auto c : tree.nodes[static_cast<std::size_t>(box.node)].children) {
      double w = static_cast<double>(tree.nodes[c].value) * scale;
      if (w <= 0) continue;
      if (w < 1) {
        if (merged_x < 0) merged_x = x;
        merged_w += w;
        ++merged_n;
      } else {
        boxes.push_back({c, x, w, box.depth + 1});
        work.push_back(boxes.size() - 1);
        max_depth = std::max(max_depth, box.depth + 1);
      }
      x += w;
    }
    if (merged_n > 0 && merged_w >= 0.5) {
      boxes.push_back({-merged_n, merged_x, merged_w, box.depth + 1});
      max_depth = std::max(max_depth, box.depth + 1);
    }
  }
  const int height = kTop + (max_depth + 1) * kRow + kPad;
  std::string out = fmt::format(
      "<?xml version=\"1.0\" standalone=\"no\"?>\n"
      "<svg version=\"1.1\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "xmlns=\"http://www.w3.org/2000/svg\">\n"
      "<style>text {{ font: 11px monospace; }} rect:hover {{ stroke: #000; stroke-width: 0.5; }}</style>\n"
      "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#fafafa\"/>\n"
      "<text x=\"{2}\" y=\"20\" style=\"font: 15px sans-serif\">Flame graph: {3}, {4}{5}</text>\n",
      width, height, kPad, escape_xml(tree.title), escape_xml(format_flame_value(total, tree.unit)),
      tree.diff ? " (red grew, blue shrank)" : "");
  for (const auto& box : boxes) {
    double y = height - kPad - (box.depth + 1) * kRow;
    if (box.node < 0) {
      out += fmt::format(
          "<g class=\"m\" data-d=\"{}\"><title>{} frames narrower than a pixel, merged</title><rect "
          "x=\"{:.2f}\" y=\"{:.0f}\" width=\"{:.2f}\" height=\"{}\" fill=\"#ccc\"/></g>\n",
          box.depth, -box.node, kPad + box.x, y, box.w, kRow - 1);
      continue;
    }
    const auto& node = tree.nodes[static_cast<std::size_t>(box.node)];
    auto share = total > 0 ? 100.0 * static_cast<double>(node.value) / static_cast<double>(total) : 0.0;
    std::string title = tree.name(node);
    if (!tree.location(node).empty()) title += "  " + tree.location(node);
    title += fmt::format("\n{}: {} ({:.2f} %)", tree.title, format_flame_value(node.value, tree.unit), share);
    if (tree.diff) title += fmt::format("\nbefore: {}", format_flame_value(node.before, tree.unit));
    out += fmt::format(
        "<g class=\"f\" data-d=\"{}\" data-v=\"{}\" data-n=\"{}\"><title>{}</title><rect x=\"{:.2f}\" "
        "y=\"{:.0f}\" width=\"{:.2f}\" height=\"{}\" fill=\"{}\" rx=\"1\"/>",
        box.depth, node.value, escape_xml(tree.name(node)), escape_xml(title), kPad + box.x, y, box.w,
        kRow - 1, colour(tree, node));
    // Roughly 7 px a character at 11 px monospace: the name is cut to what fits.
    auto fit = static_cast<std::size_t>(std::max(0.0, (box.w - 6) / 7));
    std::string label;
    if (fit >= 3) {
      label = tree.name(node);
      if (label.size() > fit) {
        // Cut at a character's first byte: half a UTF-8 sequence would make the file invalid XML.
        auto cut = fit - 2;
        while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80)
          --cut;
        label = label.substr(0, cut) + "..";
      }
    }
    // Every frame has its text, empty when it does not fit: the script relabels frames as a zoom widens them.
    out += fmt::format("<text x=\"{:.2f}\" y=\"{:.0f}\">{}</text></g>\n", kPad + box.x + 3, y + kRow - 4,
                       escape_xml(label));
  }
  out += fmt::format(
      "<text id=\"reset\" x=\"{}\" y=\"20\" text-anchor=\"end\" style=\"cursor: pointer\">Reset zoom</text>\n"
      "<text id=\"search\" x=\"{}\" y=\"20\" text-anchor=\"end\" style=\"cursor: pointer\">Search</text>\n"
      "<text id=\"matched\" x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#a0a\"></text>\n"
      "<text id=\"prof-state\" display=\"none\"></text>\n",
      width - kPad - 80, width - kPad, width - kPad, height - 1);
  out += "<script><![CDATA[\n";
  out += kSvgScript;
  out += "]]></script>\n</svg>\n";
  return out;
}

}  // namespace prof::viewer
