// Call paths of the samples: a node of the merged tree is one path; its parent is the caller and its
// children the callees, so callers and callees are read from the tree without the stacks (already dropped).
#include "report/samples/samples_paths.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "error.hpp"

namespace prof::viewer {

namespace {

double percent(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

}  // namespace

Table samples_tree_table(const SamplesMerge& samples, double min_percent) {
  Table table{.key = "tree", .title = "", .columns = {}, .rows = {}, .total_rows = 0};
  table.columns = {{"total_percent", "total %", ""},
                   {"self_percent", "self %", ""},
                   {"samples", "samples", ""},
                   {"name", "call path", "", Align::left, true}};
  const auto& tree = samples.tree();
  const std::int64_t all = samples.samples();
  // Depth first, heaviest child first; a work list rather than recursion (stacks may be 64 deep, trees wide).
  std::vector<std::pair<std::size_t, std::size_t>> work;  // (node, depth), next last
  auto push_children = [&](std::size_t node, std::size_t depth) {
    std::vector<std::size_t> children = tree[node].children;
    std::stable_sort(children.begin(), children.end(),
                     [&](std::size_t a, std::size_t b) { return tree[a].total > tree[b].total; });
    for (auto it = children.rbegin(); it != children.rend(); ++it)
      if (percent(tree[*it].total, all) >= min_percent) work.emplace_back(*it, depth);
  };
  push_children(0, 0);
  while (!work.empty()) {
    auto [node, depth] = work.back();
    work.pop_back();
    const auto& n = tree[node];
    table.rows.push_back({Cell::number(percent(n.total, all)), Cell::number(percent(n.self, all)),
                          Cell::count(n.total),
                          Cell::string(std::string(2 * depth, ' ') + samples.functions()[n.function].name)});
    push_children(node, depth + 1);
  }
  table.total_rows = table.rows.size();
  return table;
}

std::size_t resolve_sampled_function(const SamplesMerge& samples, const std::string& name,
                                     const std::string& flag) {
  const auto& functions = samples.functions();
  std::vector<std::size_t> containing;
  for (std::size_t i = 0; i < functions.size(); ++i) {
    if (functions[i].name == name) return i;
    if (functions[i].name.find(name) != std::string::npos) containing.push_back(i);
  }
  if (containing.size() == 1) return containing.front();
  if (containing.empty())
    throw UserError(flag, fmt::format("no sampled function is named \"{}\" or has it in its name", name));
  std::set<std::string> names;
  for (auto i : containing)
    names.insert(functions[i].name);
  throw UserError(flag, fmt::format("\"{}\" is in {} sampled function names, give one exactly: {}", name,
                                    names.size(), fmt::join(names, ", ")));
}

Table samples_edges_table(const SamplesMerge& samples, std::size_t function, bool callers) {
  const auto& tree = samples.tree();
  const auto& functions = samples.functions();
  const std::string focus = functions[function].name;
  // Edge weights by the other function's name: "(top of stack)" for a path that starts in the function.
  std::map<std::string, std::int64_t> edges;
  for (std::size_t node = 1; node < tree.size(); ++node) {
    const auto& n = tree[node];
    if (n.function != function) continue;
    if (callers) {
      edges[n.parent == 0 ? std::string("(top of stack)") : functions[tree[n.parent].function].name] +=
          n.total;
    } else {
      if (n.self > 0) edges["(self)"] += n.self;
      for (std::size_t child : n.children)
        edges[functions[tree[child].function].name] += tree[child].total;
    }
  }
  std::vector<std::pair<std::string, std::int64_t>> rows(edges.begin(), edges.end());
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  Table table{.key = callers ? "callers" : "callees",
              .title = fmt::format("{} of {}", callers ? "callers" : "callees", focus),
              .columns = {},
              .rows = {},
              .total_rows = rows.size()};
  table.columns = {{"samples", "samples", ""},
                   {"function_percent", fmt::format("% of {}", callers ? "callee" : "caller"), ""},
                   {"total_percent", "total %", ""},
                   {"name", callers ? "caller" : "callee", "", Align::left, true}};
  const std::int64_t of_function = functions[function].total, all = samples.samples();
  for (const auto& [name, count] : rows)
    table.rows.push_back({Cell::count(count), Cell::number(percent(count, of_function)),
                          Cell::number(percent(count, all)), Cell::string(name)});
  return table;
}

}  // namespace prof::viewer
