#pragma once
// Scope call trees merged by call path: the threads (and processes) given are folded into one tree in which
// a node is a path of sites from a root, a site being (name, file, line). Every scope report (flat, tree,
// callers, callees, diff) is computed from such a tree, so they all agree on what was merged.
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/snapshot.hpp"

namespace prof::viewer {

// Which figures to read: compensated for the instrumentation's own cost (the default) or as measured.
enum class ScopeTimes { compensated, raw };

struct ScopeSiteKey {
  std::string name, file;
  std::int64_t line = 0;
  auto operator<=>(const ScopeSiteKey&) const = default;
};

struct ScopeTreeNode {
  std::int64_t parent = -1;  // an earlier node, or -1 for a root
  std::uint32_t site = 0;    // index into ScopeTree::sites
  std::int64_t calls = 0, primitive_calls = 0, total_ns = 0, self_ns = 0;
  std::int64_t open_calls = 0;  // of `calls`, still open when their snapshot was written
  std::vector<std::uint32_t> children;
};

struct ScopeTree {
  std::vector<ScopeSiteKey> sites;
  std::vector<ScopeTreeNode> nodes;  // parents before children
  std::vector<std::uint32_t> roots;

  std::int64_t root_total_ns() const;  // the time the tree covers: its roots' totals
  std::int64_t calls() const;
  std::int64_t primitive_calls() const;
};

// Folds threads into one tree: the same path of sites (by name, file and line, so that processes agree)
// lands on the same node. Threads can be added one snapshot at a time, so a merge streams.
class ScopeTreeBuilder {
 public:
  explicit ScopeTreeBuilder(ScopeTimes times) : times_(times) {}
  void add_thread(const Snapshot& snapshot, const ScopeThread& thread);
  ScopeTree take() { return std::move(tree_); }

 private:
  std::uint32_t site_index(ScopeSiteKey key);
  std::uint32_t node_index(std::int64_t parent, std::uint32_t site);

  ScopeTimes times_;
  ScopeTree tree_;
  std::map<ScopeSiteKey, std::uint32_t> site_of_key_;
  std::map<std::pair<std::int64_t, std::uint32_t>, std::uint32_t> node_of_path_;  // (parent, site) -> node
};

ScopeTree merged_scope_tree(const std::vector<Snapshot>& snapshots, ScopeTimes times);

// One tree per thread of every snapshot, in snapshot then thread order.
struct ThreadScopeTree {
  const Snapshot* snapshot = nullptr;
  const ScopeThread* thread = nullptr;
  ScopeTree tree;
};
std::vector<ThreadScopeTree> scope_trees_per_thread(const std::vector<Snapshot>& snapshots, ScopeTimes times);

// For each node: true when no ancestor has the same key, i.e. when its time is not already inside an outer
// node's time. `key_of(node)` names what counts as "the same" (a site for the flat report, a caller-callee
// pair for the edges).
template <typename KeyOf>
std::vector<bool> outermost_nodes(const ScopeTree& tree, KeyOf key_of) {
  std::vector<bool> outermost(tree.nodes.size());
  std::unordered_map<std::uint64_t, std::uint32_t> active;  // key -> how often it is on the current path
  // Iterative, so a deep tree from an untrusted file cannot overflow the stack.
  std::vector<std::pair<std::uint32_t, bool>> work;  // node, leaving
  for (auto root : tree.roots)
    work.emplace_back(root, false);
  while (!work.empty()) {
    auto [node, leaving] = work.back();
    work.pop_back();
    auto key = static_cast<std::uint64_t>(key_of(node));
    if (leaving) {
      if (--active[key] == 0) active.erase(key);
      continue;
    }
    outermost[node] = active[key]++ == 0;
    work.emplace_back(node, true);
    for (auto child : tree.nodes[node].children)
      work.emplace_back(child, false);
  }
  return outermost;
}

// One row per site: pstats' flat profile.
struct ScopeSiteTotals {
  std::uint32_t site = 0;
  std::int64_t calls = 0, primitive_calls = 0, self_ns = 0;
  std::int64_t total_ns = 0;  // cumulative time: recursive calls counted once, at their outermost node
  std::int64_t open_calls = 0;
};
std::vector<ScopeSiteTotals> scope_site_totals(const ScopeTree& tree);

// One row per caller-callee pair (pstats' print_callers / print_callees): the callee's figures when called
// from that caller. `caller` is -1 when the callee was a root of its thread.
struct ScopeEdge {
  std::int64_t caller = -1;
  std::uint32_t callee = 0;
  std::int64_t calls = 0, primitive_calls = 0, self_ns = 0;
  std::int64_t total_ns = 0;  // a recursive edge counted once, at its outermost occurrence on a path
};
std::vector<ScopeEdge> scope_edges(const ScopeTree& tree);

// The flat profile as plain rows, for callers (and tests) that want no tables.
// One row per scope (same name, file and line), over all threads and processes.
struct FlatScope {
  std::string name, file;
  std::int64_t line = 0;
  std::int64_t calls = 0;
  std::int64_t primitive_calls = 0;  // calls not inside another call of the same scope
  std::int64_t self_ns = 0;
  std::int64_t total_ns = 0;  // recursive calls are counted once, at their outermost node
};
std::vector<FlatScope> merge_scopes(const std::vector<Snapshot>& snapshots,
                                    ScopeTimes times = ScopeTimes::compensated);

}  // namespace prof::viewer
