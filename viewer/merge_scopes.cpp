#include <map>
#include <tuple>

#include "aggregate.hpp"
#include "units.hpp"

namespace prof::viewer {

namespace {

// For each node: is its site already on the path from the root to it? Then its total is inside an outer
// call's total and must not be added again. Iterative, so deep trees cannot overflow the stack.
std::vector<bool> nested_in_same_site(const std::vector<ScopeNode>& nodes, std::size_t sites) {
  std::vector<std::vector<std::uint32_t>> children(nodes.size());
  std::vector<std::uint32_t> roots;
  for (std::uint32_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].parent < 0)
      roots.push_back(i);
    else
      children[static_cast<std::size_t>(nodes[i].parent)].push_back(i);
  }
  std::vector<bool> nested(nodes.size());
  std::vector<std::uint32_t> active(sites);
  std::vector<std::pair<std::uint32_t, bool>> work;  // node, leaving
  for (auto root : roots)
    work.emplace_back(root, false);
  while (!work.empty()) {
    auto [node, leaving] = work.back();
    work.pop_back();
    auto site = nodes[node].site;
    if (leaving) {
      --active[site];
      continue;
    }
    nested[node] = active[site] > 0;
    ++active[site];
    work.emplace_back(node, true);
    for (auto child : children[node])
      work.emplace_back(child, false);
  }
  return nested;
}

}  // namespace

std::vector<FlatScope> merge_scopes(const std::vector<Snapshot>& snapshots) {
  std::vector<FlatScope> rows;
  std::map<std::tuple<std::string, std::string, std::int64_t>, std::size_t> row_of;
  for (const auto& snapshot : snapshots) {
    if (!snapshot.scopes) continue;
    const auto& scopes = *snapshot.scopes;
    std::vector<std::size_t> site_row;
    for (const auto& site : scopes.sites) {
      auto key = std::make_tuple(snapshot.string(site.name), snapshot.string(site.file), site.line);
      auto [it, added] = row_of.emplace(key, rows.size());
      if (added) rows.push_back({std::get<0>(key), std::get<1>(key), site.line});
      site_row.push_back(it->second);
    }
    for (const auto& thread : scopes.threads) {
      auto nested = nested_in_same_site(thread.nodes, scopes.sites.size());
      for (std::size_t i = 0; i < thread.nodes.size(); ++i) {
        const auto& node = thread.nodes[i];
        auto& row = rows[site_row[node.site]];
        row.calls = add_saturating(row.calls, node.calls);
        row.self_ns = add_saturating(row.self_ns, node.self_ns);
        if (!nested[i]) row.total_ns = add_saturating(row.total_ns, node.total_ns);
      }
    }
  }
  return rows;
}

}  // namespace prof::viewer
