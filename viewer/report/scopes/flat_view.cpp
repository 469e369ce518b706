// The flat profile, as pstats prints it: one row per scope, merged over every node of its site.
#include "report/scopes/flat_view.hpp"
#include "report/scopes/cells.hpp"

namespace prof::viewer {

std::vector<Table> flat_tables(const ScopeTree& tree, bool text) {
  auto rows = scope_site_totals(tree);
  Table table{.key = "scopes", .title = "", .columns = {}, .rows = {}, .total_rows = rows.size()};
  if (text) {
    table.columns = {{"calls", "ncalls", ""},
                     {"self", "tottime", "seconds"},
                     {"self_percall", "percall", "seconds"},
                     {"total", "cumtime", "seconds"},
                     {"total_percall", "percall", "seconds"},
                     {"name", "name  file:line", "", Align::left, true}};
  } else {
    table.columns = {{"name", "name", "", Align::left},
                     {"file", "file", "", Align::left},
                     {"line", "line", ""},
                     {"calls", "calls", ""},
                     {"primitive_calls", "primitive_calls", ""},
                     {"self", "self", "seconds"},
                     {"total", "total", "seconds"},
                     {"self_percall", "self_percall", "seconds"},
                     {"total_percall", "total_percall", "seconds"}};
  }
  for (const auto& row : rows) {
    const auto& site = tree.sites[row.site];
    // pstats: tottime per call over all calls, cumtime per call over the primitive (outermost) ones.
    auto self_percall = per_call_cell(row.self_ns, row.calls);
    auto total_percall = per_call_cell(row.total_ns, row.primitive_calls);
    if (text) {
      table.rows.push_back({ncalls_cell(row.calls, row.primitive_calls, row.open_calls),
                            ns_cell(row.self_ns),
                            self_percall,
                            ns_cell(row.total_ns),
                            total_percall,
                            {scope_label(site), site.name}});
    } else {
      table.rows.push_back({Cell::string(site.name), Cell::string(site.file), Cell::count(site.line),
                            Cell::count(row.calls), Cell::count(row.primitive_calls), ns_cell(row.self_ns),
                            ns_cell(row.total_ns), self_percall, total_percall});
    }
  }
  table.sort_by("total");
  return {std::move(table)};
}

}  // namespace prof::viewer
