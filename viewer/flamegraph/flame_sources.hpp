#pragma once
// Flame trees from the accumulators `prof report` folds (merge/): the scopes' merged call tree (cumulative
// time) and the memory sites' stacks (the --view's bytes or count), over every thread and process merged.
#include "flamegraph/flame_tree.hpp"
#include "merge/memory_merge.hpp"
#include "merge/memory_view.hpp"
#include "merge/scope_merge.hpp"

namespace prof::viewer {

FlameTree scope_flame_tree(const ScopeMerge& scopes);

// `merge` must have been folded with MemoryReportOptions{.by = line, .tree = true} (memory_flame_options):
// each group is an innermost frame of the user's code and its callers' chains are the stacks above it.
FlameTree memory_flame_tree(const MemoryMerge& memory, MemoryView view);
MemoryReportOptions memory_flame_options(MemoryView view, bool keep_system_frames);

}  // namespace prof::viewer
