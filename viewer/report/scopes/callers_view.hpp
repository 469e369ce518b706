#pragma once
// `--callers NAME` / `--callees NAME`: the edges into or out of a scope, as pstats prints them.
#include <set>
#include <string>
#include <vector>

#include "merge/scope_tree.hpp"
#include "report/scopes/scope_section.hpp"
#include "report/table.hpp"

namespace prof::viewer {

// `wanted`: the sites the user named, resolved over the whole run by resolve_scope_name.
std::vector<Table> edge_tables(const ScopeTree& tree, const std::set<ScopeSiteKey>& wanted,
                               const ScopeReportOptions& options);

// The sites NAME means: those named exactly so, else those whose name contains it, when that is one name.
// Throws UserError (naming `flag`) when nothing or several names match.
std::set<ScopeSiteKey> resolve_scope_name(const ScopeTree& tree, const std::string& name,
                                          const std::string& flag);

}  // namespace prof::viewer
