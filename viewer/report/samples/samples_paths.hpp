#pragma once
// The samples' call-path views: the call tree merged by path, and the callers or callees of one function.
#include <string>
#include <vector>

#include "merge/samples_merge.hpp"
#include "report/table.hpp"

namespace prof::viewer {

// Inclusive % of all samples, heaviest child first, paths under `min_percent` left out.
Table samples_tree_table(const SamplesMerge& samples, double min_percent);

// The function `name` names: exactly, or as the only function name that contains it; UserError naming
// `flag` otherwise.
std::size_t resolve_sampled_function(const SamplesMerge& samples, const std::string& name,
                                     const std::string& flag);

// Who called `function` (callers) or what it called (callees, with its own samples as "(self)"): samples
// on each edge, their share of the function's samples and of all samples, biggest first.
Table samples_edges_table(const SamplesMerge& samples, std::size_t function, bool callers);

}  // namespace prof::viewer
