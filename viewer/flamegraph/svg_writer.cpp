#include "flamegraph/svg_writer.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

#include <fmt/format.h>

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

// flamegraph.pl's interactions in the SVG itself: a click zooms on a frame (its ancestors stay full width
// above it), "Search" highlights the frames whose name has the text and sums them (a match inside a match
// counted once), "Reset zoom" goes back. #zoom=NAME&search=TEXT in the URL does the same at load, and the
// state is kept in <text id="prof-state"> as JSON, which tests/viewer/flamegraph reads with chromium.
constexpr std::string_view kSvgScript = R"JS("use strict";
(function () {
  const svg = document.documentElement, PAD = 10;
  const W = +svg.getAttribute("width") - 2 * PAD;
  const frames = Array.from(document.querySelectorAll("g.f, g.m")).map(g => {
    const r = g.querySelector("rect");
    return { g, r, t: g.querySelector("text"), x: +r.getAttribute("x") - PAD, w: +r.getAttribute("width"),
             d: +g.getAttribute("data-d"), v: +(g.getAttribute("data-v") || 0), n: g.getAttribute("data-n"),
             fill: r.getAttribute("fill"), cw: 0 };
  });
  let zoomed = null, search = null;
  const eps = 1e-6;
  function label(f) {
    if (!f.t) return;
    const fit = Math.floor((f.cw - 6) / 7);
    f.t.textContent = fit < 3 ? "" : f.n.length <= fit ? f.n : f.n.slice(0, fit - 2) + "..";
  }
  function zoom(z) {
    zoomed = z;
    for (const f of frames) {
      let x = f.x, w = f.w, show = true;
      if (z && f.d < z.d) {
        show = f.x <= z.x + eps && f.x + f.w >= z.x + z.w - eps;
        x = 0; w = W;
      } else if (z) {
        show = f.x >= z.x - eps && f.x + f.w <= z.x + z.w + eps;
        x = (f.x - z.x) / z.w * W; w = f.w / z.w * W;
      }
      f.g.style.display = show ? "" : "none";
      f.r.setAttribute("x", PAD + x);
      f.r.setAttribute("width", w);
      if (f.t) f.t.setAttribute("x", PAD + x + 3);
      f.cx = x; f.cw = show ? w : 0;
      label(f);
    }
    state();
  }
  function find(text) {
    const t = text.toLowerCase();
    const hits = frames.filter(f => f.n !== null && f.n.toLowerCase().includes(t));
    for (const f of frames) if (f.n !== null) f.r.setAttribute("fill", hits.includes(f) ? "rgb(230,0,230)" : f.fill);
    // Sorted by start, outer first: a match inside the one before it is already in its figure.
    hits.sort((a, b) => a.x - b.x || a.d - b.d);
    let sum = 0, end = -1;
    for (const f of hits) if (f.x >= end - eps) { sum += f.v; end = f.x + f.w; }
    const all = frames.find(f => f.d === 0);
    const percent = all && all.v > 0 ? 100 * sum / all.v : 0;
    document.getElementById("matched").textContent = `Matched ${hits.length}: ${percent.toFixed(2)} %`;
    search = { text, frames: hits.length, value: sum, percent };
    state();
  }
  function state() {
    const shown = frames.filter(f => f.n !== null && f.cw > 0)
      .map(f => ({ name: f.n, depth: f.d, share: f.cw / W, x: f.cx / W }));
    document.getElementById("prof-state").textContent =
      JSON.stringify({ zoom: zoomed ? zoomed.n : "all", frames: shown, search });
  }
  for (const f of frames) if (f.n !== null) f.g.addEventListener("click", () => zoom(f));
  document.getElementById("reset").addEventListener("click", () => zoom(null));
  document.getElementById("search").addEventListener("click", () => {
    const text = prompt("Search frames whose name has:", search ? search.text : "");
    if (text) find(text);
  });
  zoom(null);
  const asked = new URLSearchParams(location.hash.slice(1));
  if (asked.get("zoom")) zoom(frames.find(f => f.n === asked.get("zoom")) || null);
  if (asked.get("search")) find(asked.get("search"));
})();
)JS";

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
