#include "merge/scope_tree.hpp"

#include <map>

#include "units.hpp"

namespace prof::viewer {

void ScopeTreeBuilder::add_thread(const Snapshot& snapshot, const ScopeThread& thread) {
  const auto& sites = snapshot.scopes->sites;
  std::vector<std::uint32_t> site_of(sites.size());
  for (std::size_t i = 0; i < sites.size(); ++i)
    site_of[i] = site_index({snapshot.string(sites[i].name), snapshot.string(sites[i].file), sites[i].line});
  std::vector<std::uint32_t> merged(thread.nodes.size());
  for (std::size_t i = 0; i < thread.nodes.size(); ++i) {
    const auto& node = thread.nodes[i];
    // The reader checked that a parent comes before its children.
    auto parent =
        node.parent < 0 ? -1 : static_cast<std::int64_t>(merged[static_cast<std::size_t>(node.parent)]);
    auto index = node_index(parent, site_of[node.site]);
    auto& into = tree_.nodes[index];
    const bool raw = times_ == ScopeTimes::raw;
    into.calls = add_saturating(into.calls, node.calls);
    into.primitive_calls = add_saturating(into.primitive_calls, node.primitive_calls);
    into.total_ns = add_saturating(into.total_ns, raw ? node.raw_total_ns : node.total_ns);
    into.self_ns = add_saturating(into.self_ns, raw ? node.raw_self_ns : node.self_ns);
    into.open_calls = add_saturating(into.open_calls, node.open_calls);
    merged[i] = index;
  }
}

std::uint32_t ScopeTreeBuilder::site_index(ScopeSiteKey key) {
  auto [it, added] = site_of_key_.emplace(std::move(key), static_cast<std::uint32_t>(tree_.sites.size()));
  if (added) tree_.sites.push_back(it->first);
  return it->second;
}

std::uint32_t ScopeTreeBuilder::node_index(std::int64_t parent, std::uint32_t site) {
  auto [it, added] = node_of_path_.emplace(std::make_pair(parent, site), 0);
  if (!added) return it->second;
  auto index = static_cast<std::uint32_t>(tree_.nodes.size());
  it->second = index;
  tree_.nodes.push_back({.parent = parent,
                         .site = site,
                         .calls = 0,
                         .primitive_calls = 0,
                         .total_ns = 0,
                         .self_ns = 0,
                         .open_calls = 0,
                         .children = {}});
  if (parent < 0)
    tree_.roots.push_back(index);
  else
    tree_.nodes[static_cast<std::size_t>(parent)].children.push_back(index);
  return index;
}

std::int64_t ScopeTree::root_total_ns() const {
  std::int64_t total = 0;
  for (auto root : roots)
    total = add_saturating(total, nodes[root].total_ns);
  return total;
}

std::int64_t ScopeTree::calls() const {
  std::int64_t sum = 0;
  for (const auto& node : nodes)
    sum = add_saturating(sum, node.calls);
  return sum;
}

std::int64_t ScopeTree::primitive_calls() const {
  std::int64_t sum = 0;
  for (const auto& node : nodes)
    sum = add_saturating(sum, node.primitive_calls);
  return sum;
}

ScopeTree merged_scope_tree(const std::vector<Snapshot>& snapshots, ScopeTimes times) {
  ScopeTreeBuilder builder(times);
  for (const auto& snapshot : snapshots) {
    if (!snapshot.scopes) continue;
    for (const auto& thread : snapshot.scopes->threads)
      builder.add_thread(snapshot, thread);
  }
  return builder.take();
}

std::vector<ThreadScopeTree> scope_trees_per_thread(const std::vector<Snapshot>& snapshots,
                                                    ScopeTimes times) {
  std::vector<ThreadScopeTree> trees;
  for (const auto& snapshot : snapshots) {
    if (!snapshot.scopes) continue;
    for (const auto& thread : snapshot.scopes->threads) {
      ScopeTreeBuilder builder(times);
      builder.add_thread(snapshot, thread);
      trees.push_back({&snapshot, &thread, builder.take()});
    }
  }
  return trees;
}

std::vector<ScopeSiteTotals> scope_site_totals(const ScopeTree& tree) {
  std::vector<ScopeSiteTotals> rows(tree.sites.size());
  for (std::uint32_t i = 0; i < rows.size(); ++i)
    rows[i].site = i;
  auto outermost = outermost_nodes(tree, [&](std::uint32_t node) { return tree.nodes[node].site; });
  for (std::size_t i = 0; i < tree.nodes.size(); ++i) {
    const auto& node = tree.nodes[i];
    auto& row = rows[node.site];
    row.calls = add_saturating(row.calls, node.calls);
    row.primitive_calls = add_saturating(row.primitive_calls, node.primitive_calls);
    row.self_ns = add_saturating(row.self_ns, node.self_ns);
    row.open_calls = add_saturating(row.open_calls, node.open_calls);
    if (outermost[i]) row.total_ns = add_saturating(row.total_ns, node.total_ns);
  }
  std::erase_if(rows, [](const ScopeSiteTotals& row) { return row.calls == 0 && row.total_ns == 0; });
  return rows;
}

std::vector<ScopeEdge> scope_edges(const ScopeTree& tree) {
  auto caller_of = [&](std::uint32_t node) {
    auto parent = tree.nodes[node].parent;
    return parent < 0 ? std::int64_t{-1}
                      : static_cast<std::int64_t>(tree.nodes[static_cast<std::size_t>(parent)].site);
  };
  // Caller and callee in one key; the caller shifted by one so that "no caller" (-1) is 0.
  auto edge_key = [&](std::uint32_t node) {
    return (static_cast<std::uint64_t>(caller_of(node) + 1) << 32) | tree.nodes[node].site;
  };
  auto outermost = outermost_nodes(tree, edge_key);
  std::map<std::uint64_t, std::size_t> row_of;
  std::vector<ScopeEdge> edges;
  for (std::uint32_t i = 0; i < tree.nodes.size(); ++i) {
    const auto& node = tree.nodes[i];
    auto [it, added] = row_of.emplace(edge_key(i), edges.size());
    if (added)
      edges.push_back({.caller = caller_of(i),
                       .callee = node.site,
                       .calls = 0,
                       .primitive_calls = 0,
                       .self_ns = 0,
                       .total_ns = 0});
    auto& edge = edges[it->second];
    edge.calls = add_saturating(edge.calls, node.calls);
    edge.primitive_calls = add_saturating(edge.primitive_calls, node.primitive_calls);
    edge.self_ns = add_saturating(edge.self_ns, node.self_ns);
    if (outermost[i]) edge.total_ns = add_saturating(edge.total_ns, node.total_ns);
  }
  return edges;
}

std::vector<FlatScope> merge_scopes(const std::vector<Snapshot>& snapshots, ScopeTimes times) {
  auto tree = merged_scope_tree(snapshots, times);
  std::vector<FlatScope> rows;
  for (const auto& totals : scope_site_totals(tree)) {
    const auto& site = tree.sites[totals.site];
    rows.push_back({.name = site.name,
                    .file = site.file,
                    .line = site.line,
                    .calls = totals.calls,
                    .primitive_calls = totals.primitive_calls,
                    .self_ns = totals.self_ns,
                    .total_ns = totals.total_ns});
  }
  return rows;
}

}  // namespace prof::viewer
