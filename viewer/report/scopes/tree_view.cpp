// `--tree`: the merged call tree, indented, with each node's share of the whole, pruned below --min-percent.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/scopes/cells.hpp"
#include "report/scopes/tree_view.hpp"

namespace prof::viewer {

namespace {

constexpr std::size_t kTextWidth = 80;
constexpr std::size_t kTableIndent = 2;  // render_text's left margin

struct ShownNode {
  std::uint32_t node = 0;
  std::int64_t parent_row = -1;
  std::size_t depth = 0;
  double percent = NAN;
};

double percent_of(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : NAN;
}

// Depth first, the heaviest child first; a node under the threshold is hidden with everything below it.
std::vector<ShownNode> visible_nodes(const ScopeTree& tree, double min_percent, std::size_t& hidden) {
  const auto whole = tree.root_total_ns();
  auto heaviest_first = [&](std::vector<std::uint32_t> nodes) {
    std::stable_sort(nodes.begin(), nodes.end(), [&](std::uint32_t a, std::uint32_t b) {
      return tree.nodes[a].total_ns > tree.nodes[b].total_ns;
    });
    return nodes;
  };
  auto subtree_size = [&](std::uint32_t root) {
    std::size_t count = 0;
    std::vector<std::uint32_t> work{root};
    while (!work.empty()) {
      auto node = work.back();
      work.pop_back();
      ++count;
      for (auto child : tree.nodes[node].children)
        work.push_back(child);
    }
    return count;
  };
  std::vector<ShownNode> shown;
  std::vector<ShownNode> work;  // to visit, last first
  auto push_children = [&](const std::vector<std::uint32_t>& children, std::int64_t parent_row,
                           std::size_t depth) {
    auto sorted = heaviest_first(children);
    for (auto it = sorted.rbegin(); it != sorted.rend(); ++it)
      work.push_back({*it, parent_row, depth, percent_of(tree.nodes[*it].total_ns, whole)});
  };
  push_children(tree.roots, -1, 0);
  while (!work.empty()) {
    auto next = work.back();
    work.pop_back();
    if (next.percent < min_percent) {  // NaN (nothing measured) is never pruned
      hidden += subtree_size(next.node);
      continue;
    }
    shown.push_back(next);
    push_children(tree.nodes[next.node].children, static_cast<std::int64_t>(shown.size() - 1),
                  next.depth + 1);
  }
  return shown;
}

// Keeps the end of a name: the method of "ns::Solver::step" says more than its namespace.
std::string keep_end(const std::string& text, std::size_t width) {
  if (text.size() <= width) return text;
  if (width <= 3) return text.substr(text.size() - width);
  return "..." + text.substr(text.size() - (width - 3));
}

// An indented name that fits `width`; past a third of the width, the depth is written instead of drawn.
std::string tree_label(const ScopeSiteKey& site, std::size_t depth, std::size_t width) {
  const std::size_t max_levels = std::max<std::size_t>(1, width / 3 / 2);
  std::string prefix(2 * std::min(depth, max_levels), ' ');
  if (depth > max_levels) prefix += fmt::format("[{}] ", depth);
  auto room = width > prefix.size() ? width - prefix.size() : 0;
  auto label = scope_label(site);
  if (label.size() > room) label = keep_end(site.name, room);
  return prefix + label;
}

}  // namespace

std::vector<Table> tree_tables(const ScopeTree& tree, const ScopeReportOptions& options) {
  std::size_t hidden = 0;
  auto shown = visible_nodes(tree, options.min_percent, hidden);
  Table table{.key = "tree", .title = "", .columns = {}, .rows = {}, .total_rows = shown.size()};
  if (hidden > 0)
    table.title = fmt::format("call tree ({} node{} under {} % not shown, see --min-percent)", hidden,
                              hidden == 1 ? "" : "s", options.min_percent);
  if (options.text) {
    table.columns = {{"percent", "total", ""},
                     {"calls", "ncalls", ""},
                     {"self", "tottime", "seconds"},
                     {"total", "cumtime", "seconds"},
                     {"name", "scope", "", Align::left}};
  } else {
    table.columns = {{"row", "row", ""},
                     {"parent_row", "parent_row", ""},
                     {"depth", "depth", ""},
                     {"name", "name", "", Align::left},
                     {"file", "file", "", Align::left},
                     {"line", "line", ""},
                     {"calls", "calls", ""},
                     {"primitive_calls", "primitive_calls", ""},
                     {"self", "self", "seconds"},
                     {"total", "total", "seconds"},
                     {"percent", "percent", ""}};
  }
  for (std::size_t row = 0; row < shown.size(); ++row) {
    const auto& item = shown[row];
    const auto& node = tree.nodes[item.node];
    const auto& site = tree.sites[node.site];
    Cell percent{std::isnan(item.percent) ? "-" : fmt::format("{:.1f}%", item.percent),
                 std::isnan(item.percent) ? RawValue{} : RawValue{item.percent}};
    if (options.text) {
      table.rows.push_back({percent, ncalls_cell(node.calls, node.primitive_calls, node.open_calls),
                            ns_cell(node.self_ns), ns_cell(node.total_ns), Cell::string(site.name)});
    } else {
      table.rows.push_back({Cell::count(static_cast<std::int64_t>(row)), Cell::count(item.parent_row),
                            Cell::count(static_cast<std::int64_t>(item.depth)), Cell::string(site.name),
                            Cell::string(site.file), Cell::count(site.line), Cell::count(node.calls),
                            Cell::count(node.primitive_calls), ns_cell(node.self_ns), ns_cell(node.total_ns),
                            percent});
    }
  }
  if (options.text) {
    // The name column gets what the figures leave of 80 columns.
    std::size_t used = kTableIndent;
    for (std::size_t c = 0; c + 1 < table.columns.size(); ++c) {
      std::size_t width = table.columns[c].title.size();
      for (const auto& row : table.rows)
        width = std::max(width, row[c].text.size());
      used += width + 2;
    }
    const auto room = kTextWidth > used + 20 ? kTextWidth - used : 20;
    for (std::size_t row = 0; row < shown.size(); ++row)
      table.rows[row].back().text =
          tree_label(tree.sites[tree.nodes[shown[row].node].site], shown[row].depth, room);
  }
  return {std::move(table)};
}

}  // namespace prof::viewer
