#pragma once
// Every thread that entered a scope, live or ended, in the order they started: the snapshot writer reads
// them all. A thread registers on its first scope and hands its tree over when it ends (the tree stays here,
// marked ended); the list's lock is taken only then, at reset and at snapshot time.

#include <cstdint>

#include "scopes/thread_tree.hpp"

namespace prof::scopes {

// Depth of the deepest recorded node; below it one "(deeper)" node per path (default 256, PROF_MAX_DEPTH).
void set_max_depth(int depth) noexcept;
int max_depth() noexcept;

// Calls `visit(tree)` for every tree, in start order, holding the list's lock; gives up (returns false)
// when the lock cannot be had after a bounded wait, as in a signal handler that interrupted its holder.
template <typename Visit>
bool for_each_tree(Visit&& visit) noexcept;

// Scopes not recorded because they began in a signal handler that interrupted its thread's tree update.
std::uint64_t scopes_dropped_in_handlers() noexcept;
// Scopes that ended on another thread than they began on (coroutines resumed elsewhere), counted anyway.
std::uint64_t scopes_ended_elsewhere() noexcept;

// Whether any thread has entered a scope.
bool any_tree() noexcept;

// Takes the baseline of every tree (prof::reset()).
void reset_all_trees() noexcept;

// Runs `body` with the calling thread recording into a private tree that is then discarded (calibration).
void with_private_tree(void (*body)(ThreadTree& tree, void* context), void* context) noexcept;

// Fork handlers: the child keeps only the forking thread, with a new tid, and counts afresh.
void before_fork() noexcept;
void after_fork_in_parent() noexcept;
void after_fork_in_child() noexcept;

namespace registry_detail {
ThreadTree* lock_trees(int spins) noexcept;  // first tree, or reinterpret-casted 1 when not locked
void unlock_trees() noexcept;
inline ThreadTree* const kNotLocked = reinterpret_cast<ThreadTree*>(1);
}  // namespace registry_detail

template <typename Visit>
bool for_each_tree(Visit&& visit) noexcept {
  ThreadTree* tree = registry_detail::lock_trees(100000);
  if (tree == registry_detail::kNotLocked) return false;
  for (; tree; tree = tree->next)
    visit(*tree);
  registry_detail::unlock_trees();
  return true;
}

}  // namespace prof::scopes
