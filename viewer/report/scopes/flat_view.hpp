#pragma once
// The flat profile, as pstats prints it: one row per scope, merged over every node of its site.
#include <vector>

#include "merge/scope_tree.hpp"
#include "report/scopes/scope_section.hpp"
#include "report/table.hpp"

namespace prof::viewer {

std::vector<Table> flat_tables(const ScopeTree& tree, bool text);

}  // namespace prof::viewer
