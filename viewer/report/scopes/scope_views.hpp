#pragma once
// The parts scope_report.cpp assembles: one function per view, each turning one tree (everything merged, or
// one thread) into tables, and the cells they share.
#include <set>
#include <string>
#include <vector>

#include "report_table.hpp"
#include "scope_report.hpp"
#include "scope_tree.hpp"

namespace prof::viewer {

// "name  file:line" as pstats prints it; just the name when the file is unknown.
std::string scope_label(const ScopeSiteKey& site);
// "25/1" when some calls were recursive, else "25"; the raw value is the number of calls.
Cell ncalls_cell(std::int64_t calls, std::int64_t primitive_calls);
Cell ns_cell(std::int64_t ns);
// Time per call; "-" (and no raw value) when there were no such calls.
Cell per_call_cell(std::int64_t ns, std::int64_t calls);

std::vector<Table> flat_tables(const ScopeTree& tree, bool text);
std::vector<Table> tree_tables(const ScopeTree& tree, const ScopeReportOptions& options);
// `wanted`: the sites the user named, resolved over the whole run by resolve_scope_name.
std::vector<Table> edge_tables(const ScopeTree& tree, const std::set<ScopeSiteKey>& wanted,
                               const ScopeReportOptions& options);

// The sites NAME means: those named exactly so, else those whose name contains it, when that is one name.
// Throws UserError (naming `flag`) when nothing or several names match.
std::set<ScopeSiteKey> resolve_scope_name(const ScopeTree& tree, const std::string& name,
                                          const std::string& flag);

}  // namespace prof::viewer
