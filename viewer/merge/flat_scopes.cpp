// The flat scope profile over all threads and processes, for callers that want plain rows.
#include "aggregate.hpp"
#include "scope_tree.hpp"

namespace prof::viewer {

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
