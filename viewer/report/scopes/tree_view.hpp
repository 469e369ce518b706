#pragma once
// `--tree`: the merged call tree, indented, with each node's share of the whole.
#include <vector>

#include "merge/scope_tree.hpp"
#include "report/scopes/scope_section.hpp"
#include "report/table.hpp"

namespace prof::viewer {

std::vector<Table> tree_tables(const ScopeTree& tree, const ScopeReportOptions& options);

}  // namespace prof::viewer
