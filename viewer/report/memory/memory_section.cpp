#include "report/memory/memory_section.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "error.hpp"
#include "merge/memory_merge.hpp"
#include "report/across_table.hpp"
#include "units.hpp"

namespace prof::viewer {

namespace {

// allocations and temporary rank by count (churn); the others by bytes.
bool ranks_by_count(MemoryView view) {
  return view == MemoryView::allocations || view == MemoryView::temporary;
}

std::string site_text(const MemoryGroup& group, MemoryKey by) {
  return by == MemoryKey::function && !group.file.empty() ? group.key : group.key;
}

std::string average_text(const MemoryViewValues& v) {
  if (v.average_count == 0) return "average=-";
  return "average=" + format_bytes(static_cast<double>(v.average_of) / static_cast<double>(v.average_count));
}

// Figures of a sampled run are estimates: "~" before them in text, an `estimated` column in csv and json.
std::string estimate_mark(bool estimated) {
  return estimated ? "~" : "";
}

// tracemalloc's columns only: with the function as well a row would not fit 80 columns (csv has it).
Table text_table(const std::vector<MemoryGroup>& groups, const MemoryReportOptions& options, bool estimated) {
  Table table{.key = "sites", .title = "", .columns = {}, .rows = {}, .total_rows = groups.size()};
  table.columns = {{"site", "site", "", Align::left},
                   {"size", "size", "bytes"},
                   {"count", "count", ""},
                   {"average", "average", "", Align::left}};
  for (const auto& group : groups) {
    auto v = view_values(group.counts, options.view);
    std::vector<Cell> row{
        Cell::string(site_text(group, options.by) + ":"),
        {"size=" + estimate_mark(estimated) + format_bytes(static_cast<double>(v.size)) + ",", v.size},
        {fmt::format("count={}{},", estimate_mark(estimated), v.count), v.count},
        Cell::string(average_text(v))};
    table.rows.push_back(std::move(row));
  }
  return table;
}

Table data_table(const std::vector<MemoryGroup>& groups, const MemoryReportOptions& options, bool estimated) {
  Table table{.key = "sites", .title = "", .columns = {}, .rows = {}, .total_rows = groups.size()};
  table.columns = {{"file", "file", "", Align::left},
                   {"line", "line", ""},
                   {"function", "function", "", Align::left},
                   {"allocations", "allocations", ""},
                   {"allocated", "allocated", "bytes"},
                   {"peak", "peak", "bytes"},
                   {"leaked_allocations", "leaked_allocations", ""},
                   {"leaked", "leaked", "bytes"},
                   {"temporary_allocations", "temporary_allocations", ""}};
  if (options.by == MemoryKey::traceback)
    table.columns.push_back({"traceback", "traceback", "", Align::left});
  if (estimated) table.columns.push_back({"estimated", "estimated", ""});
  for (const auto& group : groups) {
    const auto& c = group.counts;
    std::vector<Cell> row{Cell::string(group.file),
                          Cell::count(group.line),
                          Cell::string(group.function),
                          Cell::count(c.allocations),
                          Cell::bytes(c.allocated_bytes),
                          Cell::bytes(c.peak_bytes),
                          Cell::count(c.leaked_allocations),
                          Cell::bytes(c.leaked_bytes),
                          Cell::count(c.temporary_allocations)};
    if (options.by == MemoryKey::traceback) row.push_back(Cell::string(group.traceback));
    if (estimated) row.push_back({"yes", true});
    table.rows.push_back(std::move(row));
  }
  return table;
}

// The callers of one site as an indented tree: children below their parent, heaviest first.
Table caller_tree(const MemoryGroup& group, const MemoryReportOptions& options) {
  // Nodes in one vector, children by index: a tree 40 000 deep is neither built, walked nor destroyed by
  // recursion (nested vectors of nodes overflowed the stack in their destructors).
  struct Node {
    std::string name;
    MemoryCounts counts;
    std::vector<std::size_t> children;
  };
  std::vector<Node> nodes{{group.key, {}, {}}};
  for (const auto& [chain, counts] : group.callers) {
    std::size_t at = 0;
    nodes[at].counts.add(counts);
    for (const auto& name : chain) {
      const auto& children = nodes[at].children;
      auto it = std::find_if(children.begin(), children.end(),
                             [&](std::size_t child) { return nodes[child].name == name; });
      std::size_t next = 0;
      if (it == children.end()) {
        next = nodes.size();
        nodes.push_back({name, {}, {}});
        nodes[at].children.push_back(next);
      } else {
        next = *it;
      }
      at = next;
      nodes[at].counts.add(counts);
    }
  }
  Table table{
      .key = "tree", .title = "stacks below " + group.key, .columns = {}, .rows = {}, .total_rows = 0};
  table.columns = {
      {"size", "size", "bytes"}, {"count", "count", ""}, {"caller", "called from", "", Align::left, true}};
  auto size_of = [&](std::size_t n) { return view_values(nodes[n].counts, options.view).size; };
  // Past kDrawnLevels the depth is written instead of drawn, as in the scopes' --tree: a crafted stack 40 000
  // deep drew 2 x depth spaces per row (quadratic: 500 MB for a 160 KB file). Walked with an explicit stack
  // of work, so the depth of a stack is not the depth of recursion.
  static constexpr std::size_t kDrawnLevels = 13;
  auto indent = [](std::size_t depth) {
    std::string prefix(2 * std::min(depth, kDrawnLevels), ' ');
    if (depth > kDrawnLevels) prefix += fmt::format("[{}] ", depth);
    return prefix;
  };
  std::vector<std::pair<std::size_t, std::size_t>> work;  // (node, depth) to visit, last first
  auto push_children = [&](std::size_t node, std::size_t depth) {
    auto& children = nodes[node].children;
    std::stable_sort(children.begin(), children.end(),
                     [&](std::size_t a, std::size_t b) { return size_of(a) > size_of(b); });
    for (auto it = children.rbegin(); it != children.rend(); ++it)
      work.emplace_back(*it, depth);
  };
  push_children(0, 0);
  while (!work.empty()) {
    auto [node, depth] = work.back();
    work.pop_back();
    auto v = view_values(nodes[node].counts, options.view);
    table.rows.push_back(
        {Cell::bytes(v.size), Cell::count(v.count), Cell::string(indent(depth) + nodes[node].name)});
    push_children(node, depth + 1);
  }
  table.total_rows = table.rows.size();
  return table;
}

// Each shown group's figure across the processes, in the order of the sites table.
Table across_sites(const MemoryMerge& merge, const std::vector<std::size_t>& shown,
                   const MemoryReportOptions& options) {
  std::vector<AcrossRow> rows;
  const auto parent = parents_of(merge.members());
  for (auto index : shown) {
    const auto& group = merge.groups()[index];
    // In text the sites table above gives the whole path; this column is narrow and the file name tells
    // enough.
    const bool by_line =
        options.text && options.by == MemoryKey::line && !group.file.empty() && group.line > 0;
    const auto slash = group.file.rfind('/');
    rows.push_back(
        {.name = by_line ? fmt::format("{}:{}", group.file.substr(slash + 1), group.line) : group.key,
         .lead = {Cell::string(group.file), Cell::count(group.line), Cell::string(group.function)},
         .stats = merge.spreads()[index].stats(parent)});
  }
  return across_table({.key = "across",
                       .name_title = "site",
                       .lead_columns = {{"file", "file", "", Align::left},
                                        {"line", "line", ""},
                                        {"function", "function", "", Align::left}},
                       .unit = ranks_by_count(options.view) ? AcrossUnit::count : AcrossUnit::bytes},
                      rows, merge.members());
}

}  // namespace

std::vector<std::string> timeline_chart(const std::vector<MemoryPoint>& points, std::size_t width,
                                        std::size_t height) {
  std::vector<std::string> lines;
  if (points.empty() || width < 20 || height < 2) return lines;
  const std::size_t label = 10;  // "  9.42 MiB |"
  const std::size_t columns = width - label - 4;
  double end = 0;
  std::int64_t top = 0;
  for (const auto& p : points) {
    end = std::max(end, p.wall_seconds);
    top = std::max(top, p.live_bytes);
  }
  // The highest live heap within each column's time slice.
  std::vector<std::int64_t> column_max(columns, -1);
  for (const auto& p : points) {
    auto c = end > 0 ? static_cast<std::size_t>(p.wall_seconds / end * static_cast<double>(columns - 1)) : 0;
    column_max[std::min(c, columns - 1)] = std::max(column_max[std::min(c, columns - 1)], p.live_bytes);
  }
  std::int64_t last = 0;
  for (auto& value : column_max) {  // a column without a point keeps the level before it
    if (value < 0) value = last;
    last = value;
  }
  for (std::size_t row = height; row >= 1; --row) {
    double threshold =
        static_cast<double>(top) * (static_cast<double>(row) - 0.5) / static_cast<double>(height);
    std::string text = row == height ? fmt::format("{:>{}}", format_bytes(static_cast<double>(top)), label)
                                     : std::string(label, ' ');
    text += " |";
    for (auto value : column_max)
      text += static_cast<double>(value) >= threshold && top > 0 ? '#' : ' ';
    lines.push_back(text);
  }
  lines.push_back(fmt::format("{:>{}} +{}", "0 B", label, std::string(columns, '-')));
  auto right = format_seconds(end);
  lines.push_back(std::string(label + 2, ' ') + "0 s" +
                  std::string(columns > right.size() + 3 ? columns - right.size() - 3 : 1, ' ') + right);
  return lines;
}

Section memory_section(const std::vector<Snapshot>& snapshots, const MemoryReportOptions& options) {
  MemoryMerge merge(options);
  for (const auto& snapshot : snapshots)
    merge.add(snapshot);
  return memory_section(merge, options);
}

Section memory_section(const MemoryMerge& merge, const MemoryReportOptions& options) {
  Section section{.key = "memory",
                  .title = "Memory",
                  .present = true,
                  .absent_note = {},
                  .facts = {},
                  .tables = {},
                  .warnings = {}};
  const auto processes = merge.processes();
  if (processes == 0) {
    section.present = false;
    section.absent_note = "no memory section (no memory tracer data) in these snapshots";
    return section;
  }
  const auto& s = merge.summary();
  // Sampled mode: the figures are estimates, and the report says so before any of them.
  const bool estimated = merge.sampled_processes() > 0;
  if (estimated) {
    auto interval = format_bytes(static_cast<double>(merge.sample_interval_bytes().value_or(0)));
    auto text =
        merge.sampled_processes() == processes
            ? fmt::format("sampled, one sample per {} allocated on average: figures are estimates", interval)
            : fmt::format("mixed: {} of {} processes sampled (one per {}): figures are estimates",
                          merge.sampled_processes(), processes, interval);
    section.facts.push_back(
        {"mode", "mode", {text, std::string(merge.sampled_processes() == processes ? "sampled" : "mixed")}});
    section.facts.push_back(
        {"sample_interval_bytes", "sample interval", Cell::bytes(merge.sample_interval_bytes().value_or(0))});
    if (s.samples) section.facts.push_back({"samples", "samples", Cell::count(*s.samples)});
  } else {
    section.facts.push_back({"mode", "mode", {"exact: every allocation counted", std::string("exact")}});
  }
  auto estimate = [estimated](std::string label) { return estimated ? label + " (estimated)" : label; };
  std::string peak_label = estimate(processes > 1 ? "peak (sum of processes)" : "peak");
  std::optional<double> peak_when;
  if (processes == 1) peak_when = merge.peak_wall_seconds();
  section.facts.push_back({"allocations", estimate("allocations"), Cell::count(s.allocations)});
  section.facts.push_back({"allocated_bytes", estimate("allocated"), Cell::bytes(s.allocated_bytes)});
  section.facts.push_back({"peak_bytes", peak_label, Cell::bytes(s.peak_bytes)});
  if (peak_when) section.facts.push_back({"peak_wall_seconds", "peak at", Cell::seconds(*peak_when)});
  section.facts.push_back(
      {"leaked_allocations", estimate("leaked allocations"), Cell::count(s.leaked_allocations)});
  section.facts.push_back({"leaked_bytes", estimate("leaked"), Cell::bytes(s.leaked_bytes)});
  if (s.temporary_allocations)
    section.facts.push_back(
        {"temporary_allocations", estimate("temporary allocations"), Cell::count(*s.temporary_allocations)});
  // heaptrack's suppressed leaks: the C runtime's one-time allocations, live at exit on purpose.
  const auto& suppressed = merge.suppressed();
  if (suppressed.leaked_allocations > 0) {
    section.facts.push_back({"suppressed_leaked_allocations", "suppressed leak allocations",
                             Cell::count(suppressed.leaked_allocations)});
    section.facts.push_back(
        {"suppressed_leaked_bytes", "suppressed leaks (runtime)", Cell::bytes(suppressed.leaked_bytes)});
  }
  if (s.runtime_pool_bytes && *s.runtime_pool_bytes > 0) {
    section.facts.push_back({"runtime_pool_allocations", "runtime pool allocations",
                             Cell::count(s.runtime_pool_allocations.value_or(0))});
    section.facts.push_back(
        {"runtime_pool_bytes", "runtime pools (not leaks)", Cell::bytes(*s.runtime_pool_bytes)});
  }
  if (s.tracer_bytes)
    section.facts.push_back({"tracer_bytes", "tracer's own memory", Cell::bytes(*s.tracer_bytes)});
  if (processes > 1)
    section.facts.push_back({"processes", "processes", Cell::count(static_cast<std::int64_t>(processes))});

  const auto& all = merge.groups();
  // A view shows the sites that have something in it.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < all.size(); ++i) {
    auto v = view_values(all[i].counts, options.view);
    if (ranks_by_count(options.view) ? v.count == 0 : v.size == 0 && v.count == 0) continue;
    order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    auto va = view_values(all[a].counts, options.view), vb = view_values(all[b].counts, options.view);
    if (ranks_by_count(options.view)) return va.count != vb.count ? va.count > vb.count : va.size > vb.size;
    return va.size != vb.size ? va.size > vb.size : va.count > vb.count;
  });
  const auto total = order.size();
  if (order.size() > options.top) order.resize(options.top);
  std::vector<MemoryGroup> groups;
  for (auto index : order)
    groups.push_back(all[index]);
  auto table = options.text ? text_table(groups, options, estimated) : data_table(groups, options, estimated);
  table.total_rows = total;
  if (options.neighbours != MemoryReportOptions::Neighbours::none)
    table.title = fmt::format(
        "{} of {}", options.neighbours == MemoryReportOptions::Neighbours::callers ? "callers" : "callees",
        options.function);
  else if (options.cumulative)
    table.title = "cumulative: each row holds the bytes of the stacks it is on";
  section.tables.push_back(std::move(table));
  if (processes > 1 && !options.tree) {
    auto across = across_sites(merge, order, options);
    across.total_rows = total;
    section.tables.push_back(std::move(across));
  }
  if (options.tree)
    for (const auto& group : groups)
      section.tables.push_back(caller_tree(group, options));
  if (options.timeline) {
    const auto& points = merge.timeline();
    Table chart{.key = "timeline", .title = "", .columns = {}, .rows = {}, .total_rows = 0};
    if (options.text) {
      chart.columns = {{"chart", "live heap over time", "", Align::left}};
      for (auto& line : timeline_chart(points, 76, 12))
        chart.rows.push_back({Cell::string(line)});
    } else {
      chart.columns = {{"wall", "wall", "seconds"}, {"live", "live", "bytes"}};
      for (const auto& p : points)
        chart.rows.push_back({Cell::seconds(p.wall_seconds), Cell::bytes(p.live_bytes)});
    }
    chart.total_rows = chart.rows.size();
    section.tables.push_back(std::move(chart));
  }
  return section;
}

}  // namespace prof::viewer
