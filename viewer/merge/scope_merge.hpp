#pragma once
// The scopes of many processes folded one snapshot at a time (prof report streams its snapshots): the merged
// call tree, the per-thread trees when --threads wants them, and each site's cumulative time per process
// for the "across N ranks" table. Nothing here points into a snapshot, so snapshots can be dropped.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "merge/process_label.hpp"
#include "merge/scope_tree.hpp"
#include "merge/spread.hpp"
#include "model/snapshot.hpp"

namespace prof::viewer {

struct ScopeThreadTree {
  std::int64_t pid = 0;
  std::string program;
  ScopeThread thread;  // without its nodes
  ScopeTree tree;
};

class ScopeMerge {
 public:
  ScopeMerge(ScopeTimes times, bool keep_threads)
      : times_(times), keep_threads_(keep_threads), builder_(times) {}
  void add(const Snapshot& snapshot);
  // Ends the merge: the merged tree is built once, here.
  void finish() { tree_ = builder_.take(); }

  ScopeTimes times() const { return times_; }
  std::size_t processes() const { return members_.size(); }
  std::size_t threads() const { return threads_; }
  std::optional<std::int64_t> max_depth() const { return max_depth_; }
  const std::vector<std::optional<ScopeOverhead>>& overheads() const { return overheads_; }
  const ScopeTree& tree() const { return tree_; }
  const std::vector<ScopeThreadTree>& thread_trees() const { return thread_trees_; }
  const std::vector<ProcessLabel>& members() const { return members_; }
  // Each site's cumulative time (seconds) per process.
  const std::map<ScopeSiteKey, Spread>& spreads() const { return spreads_; }

 private:
  ScopeTimes times_;
  bool keep_threads_;
  ScopeTreeBuilder builder_;
  ScopeTree tree_;
  std::size_t threads_ = 0;
  std::optional<std::int64_t> max_depth_;
  std::vector<std::optional<ScopeOverhead>> overheads_;
  std::vector<ScopeThreadTree> thread_trees_;
  std::vector<ProcessLabel> members_;
  std::map<ScopeSiteKey, Spread> spreads_;
};

}  // namespace prof::viewer
