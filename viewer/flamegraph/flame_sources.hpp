#pragma once
// Flame trees from the accumulators `prof report` folds (merge/): the scopes' merged call tree (cumulative
// time), the CPU samples' call tree and the memory sites' stacks (the --view's bytes or count), over every
// thread and process merged.
#include "flamegraph/flame_tree.hpp"
#include "merge/memory_stacks.hpp"
#include "merge/memory_view.hpp"
#include "merge/samples_merge.hpp"
#include "merge/scope_merge.hpp"

namespace prof::viewer {

FlameTree scope_flame_tree(const ScopeMerge& scopes);

// The sampling profiler's call tree by function (the samples section): each path's samples, CPU time on
// the cpu clock.
FlameTree samples_flame_tree(const SamplesMerge& samples);

// The memory sites' whole stacks (system frames left out as prof report does), the --view's figure each:
// folded by MemoryStacks, a site an array lookup, so 1024 ranks x 10 000 sites take seconds, not minutes.
FlameTree memory_flame_tree(const MemoryStacks& stacks, MemoryView view);

}  // namespace prof::viewer
