#include "merge/scope_merge.hpp"

#include <algorithm>

namespace prof::viewer {

void ScopeMerge::add(const Snapshot& snapshot) {
  if (!snapshot.scopes) return;
  const auto& scopes = *snapshot.scopes;
  const auto ordinal = members_.size();
  members_.push_back(label_of(snapshot.meta));
  threads_ += scopes.threads.size();
  if (scopes.max_depth) max_depth_ = std::max(max_depth_.value_or(0), *scopes.max_depth);
  overheads_.push_back(scopes.overhead);
  // This process alone, for its cumulative time per site: recursion is counted once per process as in
  // the merged flat profile.
  ScopeTreeBuilder own(times_);
  for (const auto& thread : scopes.threads) {
    builder_.add_thread(snapshot, thread);
    own.add_thread(snapshot, thread);
    if (keep_threads_) {
      ScopeTreeBuilder single(times_);
      single.add_thread(snapshot, thread);
      ScopeThread info{
          .id = thread.id, .tid = thread.tid, .name = thread.name, .ended = thread.ended, .nodes = {}};
      thread_trees_.push_back({.pid = snapshot.meta.pid,
                               .program = snapshot.meta.program,
                               .thread = std::move(info),
                               .tree = single.take()});
    }
  }
  auto tree = own.take();
  for (const auto& totals : scope_site_totals(tree))
    spreads_[tree.sites[totals.site]].add(ordinal, static_cast<double>(totals.total_ns) / 1e9);
}

}  // namespace prof::viewer
