#include "export/massif.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>

#include <fmt/format.h>

#include "error.hpp"

namespace prof::viewer {

namespace {

// Massif's own default: callers holding less than 1 % of the peak are summed into one line.
constexpr double kThresholdPercent = 1.0;

struct TreeNode {
  std::uint32_t location = 0;
  std::int64_t bytes = 0;
  std::map<std::uint32_t, std::size_t> children;  // location -> node
};

// The sites' bytes at the peak as massif's tree: the allocating frame below the root, its callers below it.
std::vector<TreeNode> peak_tree(const PprofStacks& stacks, std::int64_t pid) {
  std::vector<TreeNode> nodes(1);
  for (const auto& sample : stacks.samples()) {
    const auto& counts = sample.counts;
    if (stacks.processes()[sample.process].pid != pid || counts.peak_bytes <= 0) continue;
    std::size_t at = 0;
    nodes[0].bytes += counts.peak_bytes;
    for (auto location : stacks.stacks()[sample.stack]) {  // innermost first
      auto [it, fresh] = nodes[at].children.try_emplace(location, nodes.size());
      if (fresh) nodes.push_back({location, 0, {}});
      at = it->second;
      nodes[at].bytes += counts.peak_bytes;
    }
  }
  return nodes;
}

std::string describe(const PprofStacks& stacks, std::uint32_t index) {
  const auto& at = stacks.locations()[index];
  std::string text = fmt::format("0x{:X}: ", at.address);
  std::string module = at.mapping >= 0 ? stacks.mappings()[static_cast<std::size_t>(at.mapping)].path : "";
  if (at.lines.empty() || stacks.lines()[at.lines.front()].function.empty())
    return text + (module.empty() ? "???" : fmt::format("??? (in {})", module));
  // The innermost function at this address, as massif names an inlined call.
  const auto& line = stacks.lines()[at.lines.front()];
  if (!line.file.empty()) return text + fmt::format("{} ({}:{})", line.function, line.file, line.line);
  return text + (module.empty() ? line.function : fmt::format("{} (in {})", line.function, module));
}

void write_tree(const PprofStacks& stacks, const std::vector<TreeNode>& nodes, std::int64_t total,
                std::ostream& out) {
  // Iterative, children largest first; a deep stack from an untrusted file cannot overflow ours.
  struct Item {
    std::size_t node;
    int depth;
    std::int64_t below_bytes = 0;  // > 0: the "in N places" line of a parent's small children
    std::size_t below_count = 0;
  };
  std::vector<Item> work{{0, 0}};
  while (!work.empty()) {
    auto item = work.back();
    work.pop_back();
    std::string indent(static_cast<std::size_t>(item.depth), ' ');
    if (item.below_count > 0) {
      out << indent
          << fmt::format("n0: {} in {} place{}, all below massif's threshold ({:.2f}%)\n", item.below_bytes,
                         item.below_count, item.below_count == 1 ? "" : "s", kThresholdPercent);
      continue;
    }
    const auto& node = nodes[item.node];
    std::vector<std::size_t> shown;
    Item below{0, item.depth + 1};
    for (const auto& [location, child] : node.children) {
      if (total > 0 &&
          static_cast<double>(nodes[child].bytes) * 100.0 < kThresholdPercent * static_cast<double>(total)) {
        below.below_bytes += nodes[child].bytes;
        ++below.below_count;
      } else {
        shown.push_back(child);
      }
    }
    std::sort(shown.begin(), shown.end(),
              [&](std::size_t a, std::size_t b) { return nodes[a].bytes > nodes[b].bytes; });
    std::size_t children = shown.size() + (below.below_count > 0 ? 1 : 0);
    if (item.node == 0)
      out << fmt::format("n{}: {} (heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n",
                         children, node.bytes);
    else
      out << indent << fmt::format("n{}: {} {}\n", children, node.bytes, describe(stacks, node.location));
    // Pushed in reverse so that the largest child is written first, the small ones' line last.
    if (below.below_count > 0) work.push_back(below);
    for (auto it = shown.rbegin(); it != shown.rend(); ++it)
      work.push_back({*it, item.depth + 1});
  }
}

std::int64_t peak_of(const std::vector<MemoryPoint>& points) {
  std::int64_t peak = 0;
  for (const auto& point : points)
    peak = std::max(peak, point.live_bytes);
  return peak;
}

}  // namespace

void write_massif_file(const PprofStacks& stacks, const std::vector<ProcessTimeline>& timelines,
                       const std::vector<Snapshot>& processes, std::ostream& out) {
  // The process with the largest peak, by its summary (exact) or else its timeline.
  const Snapshot* chosen = nullptr;
  std::int64_t chosen_peak = -1;
  std::size_t with_memory = 0;
  for (const auto& process : processes) {
    std::int64_t peak = -1;
    if (process.memory && process.memory->summary) peak = process.memory->summary->peak_bytes;
    for (const auto& timeline : timelines)
      if (timeline.pid == process.meta.pid) peak = std::max(peak, peak_of(timeline.points));
    if (peak < 0) continue;
    ++with_memory;
    if (peak > chosen_peak) chosen = &process, chosen_peak = peak;
  }
  if (chosen == nullptr)
    throw UserError("massif", "no process of these runs has a memory section (run it with prof run)");
  const auto& meta = chosen->meta;

  std::vector<MemoryPoint> points;
  for (const auto& timeline : timelines)
    if (timeline.pid == meta.pid) points = timeline.points;
  // The timeline is coarsened as a run grows and may miss the exact peak: the summary has it.
  if (chosen->memory && chosen->memory->summary) {
    const auto& summary = *chosen->memory->summary;
    if (summary.peak_bytes > peak_of(points)) {
      MemoryPoint peak{summary.peak_wall_seconds.value_or(points.empty() ? 0.0 : points.back().wall_seconds),
                       summary.peak_bytes};
      auto at = std::upper_bound(points.begin(), points.end(), peak.wall_seconds,
                                 [](double t, const MemoryPoint& p) { return t < p.wall_seconds; });
      points.insert(at, peak);
    }
  }
  if (points.empty()) points.push_back({0.0, 0});

  std::string who =
      meta.rank ? fmt::format("rank {} (pid {})", *meta.rank, meta.pid) : fmt::format("pid {}", meta.pid);
  out << fmt::format("desc: libprof (prof export): {}", who);
  if (with_memory > 1) out << fmt::format(", the largest peak of {} processes", with_memory);
  out << "\n";
  std::string cmd = meta.argv.empty() ? meta.program : "";
  for (const auto& arg : meta.argv)
    cmd += (cmd.empty() ? "" : " ") + arg;
  // A newline in an argument would end the line early: massif.out has no quoting.
  std::replace(cmd.begin(), cmd.end(), '\n', ' ');
  out << "cmd: " << cmd << "\ntime_unit: ms\n";

  auto peak_at = static_cast<std::size_t>(std::max_element(points.begin(), points.end(),
                                                           [](const MemoryPoint& a, const MemoryPoint& b) {
                                                             return a.live_bytes < b.live_bytes;
                                                           }) -
                                          points.begin());
  for (std::size_t i = 0; i < points.size(); ++i) {
    out << fmt::format("#-----------\nsnapshot={}\n#-----------\n", i);
    out << fmt::format("time={}\nmem_heap_B={}\nmem_heap_extra_B=0\nmem_stacks_B=0\n",
                       std::llround(points[i].wall_seconds * 1000.0),
                       std::max<std::int64_t>(points[i].live_bytes, 0));
    if (i != peak_at) {
      out << "heap_tree=empty\n";
      continue;
    }
    out << "heap_tree=peak\n";
    auto tree = peak_tree(stacks, meta.pid);
    write_tree(stacks, tree, tree[0].bytes, out);
  }
}

void write_massif(const ExportData& data, std::ostream& out) {
  write_massif_file(data.pprof_stacks(), data.timelines(), data.merge().processes(), out);
}

}  // namespace prof::viewer
