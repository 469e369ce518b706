// `--callers NAME` / `--callees NAME`: the edges into or out of a scope, as pstats' print_callers and
// print_callees, with the callee's calls and times on each edge.
#include <fmt/format.h>

#include "error.hpp"
#include "report/scopes/callers_view.hpp"
#include "report/scopes/cells.hpp"

namespace prof::viewer {

namespace {

const ScopeSiteKey kRoot{"(root)", "", 0};  // the "caller" of a thread's outermost scopes

}  // namespace

std::set<ScopeSiteKey> resolve_scope_name(const ScopeTree& tree, const std::string& name,
                                          const std::string& flag) {
  std::set<ScopeSiteKey> exact, containing;
  std::set<std::string> containing_names;
  for (const auto& site : tree.sites) {
    if (site.name == name) exact.insert(site);
    if (site.name.find(name) != std::string::npos) {
      containing.insert(site);
      containing_names.insert(site.name);
    }
  }
  if (!exact.empty()) return exact;
  if (containing_names.size() == 1) return containing;
  if (containing_names.empty())
    throw UserError(flag, fmt::format("no scope is named \"{}\" or has it in its name", name));
  throw UserError(flag, fmt::format("\"{}\" is in {} scope names, give one exactly: {}", name,
                                    containing_names.size(), fmt::join(containing_names, ", ")));
}

std::vector<Table> edge_tables(const ScopeTree& tree, const std::set<ScopeSiteKey>& wanted,
                               const ScopeReportOptions& options) {
  const bool callers = options.view == ScopeReportOptions::View::callers;
  const std::string other = callers ? "caller" : "callee";
  auto edges = scope_edges(tree);
  auto site_of = [&](std::int64_t site) -> const ScopeSiteKey& {
    return site < 0 ? kRoot : tree.sites[static_cast<std::size_t>(site)];
  };
  std::vector<Table> tables;
  for (std::uint32_t focus = 0; focus < tree.sites.size(); ++focus) {
    if (!wanted.contains(tree.sites[focus])) continue;
    const auto& site = tree.sites[focus];
    Table table{
        .key = callers ? "callers" : "callees", .title = {}, .columns = {}, .rows = {}, .total_rows = 0};
    if (options.text) {
      table.title = fmt::format("{} {}", scope_label(site), callers ? "was called by:" : "called:");
      table.columns = {{"calls", "ncalls", ""},
                       {"self", "tottime", "seconds"},
                       {"total", "cumtime", "seconds"},
                       {"name", other, "", Align::left, true}};
    } else {
      table.columns = {{"scope_name", "scope_name", "", Align::left},
                       {"scope_file", "scope_file", "", Align::left},
                       {"scope_line", "scope_line", ""},
                       {"name", other + "_name", "", Align::left},
                       {"file", other + "_file", "", Align::left},
                       {"line", other + "_line", ""},
                       {"calls", "calls", ""},
                       {"primitive_calls", "primitive_calls", ""},
                       {"self", "self", "seconds"},
                       {"total", "total", "seconds"}};
      // csv and json name the columns by what they hold for this direction.
      for (auto& column : table.columns)
        if (column.key == "name" || column.key == "file" || column.key == "line") column.key = column.title;
    }
    for (const auto& edge : edges) {
      bool ours = callers ? edge.callee == focus : edge.caller == static_cast<std::int64_t>(focus);
      if (!ours) continue;
      // The figures are always the callee's on this edge, as in pstats.
      const auto& peer = callers ? site_of(edge.caller) : site_of(edge.callee);
      if (options.text) {
        table.rows.push_back({ncalls_cell(edge.calls, edge.primitive_calls),
                              ns_cell(edge.self_ns),
                              ns_cell(edge.total_ns),
                              {scope_label(peer), peer.name}});
      } else {
        table.rows.push_back({Cell::string(site.name), Cell::string(site.file), Cell::count(site.line),
                              Cell::string(peer.name), Cell::string(peer.file), Cell::count(peer.line),
                              Cell::count(edge.calls), Cell::count(edge.primitive_calls),
                              ns_cell(edge.self_ns), ns_cell(edge.total_ns)});
      }
    }
    table.total_rows = table.rows.size();
    table.sort_by("total");
    tables.push_back(std::move(table));
  }
  return tables;
}

}  // namespace prof::viewer
