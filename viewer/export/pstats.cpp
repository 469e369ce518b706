#include "export/pstats.hpp"

#include <vector>

#include "error.hpp"
#include "export/marshal.hpp"

namespace prof::viewer {

namespace {

void write_key(MarshalWriter& out, const ScopeSiteKey& site) {
  out.begin_tuple(3);
  out.text(site.file);
  out.integer(site.line);
  out.text(site.name);
}

// (first calls, second calls, tt, ct): cProfile's own order differs between an entry and a caller.
void write_figures(MarshalWriter& out, std::int64_t first, std::int64_t second, std::int64_t self_ns,
                   std::int64_t total_ns) {
  out.integer(first);
  out.integer(second);
  out.real(static_cast<double>(self_ns) * 1e-9);
  out.real(static_cast<double>(total_ns) * 1e-9);
}

}  // namespace

void write_pstats(const ExportData& data, std::ostream& out) {
  if (!data.has_scopes())
    throw UserError("--format pstats", "these snapshots hold no scopes (pstats holds scopes only)");
  const auto& tree = data.merge().scopes().tree();
  std::vector<std::vector<ScopeEdge>> callers_of(tree.sites.size());
  for (const auto& edge : scope_edges(tree))
    if (edge.caller >= 0) callers_of[edge.callee].push_back(edge);  // a root has no caller, as in cProfile
  MarshalWriter marshal(out);
  marshal.begin_dict();
  for (const auto& totals : scope_site_totals(tree)) {
    write_key(marshal, tree.sites[totals.site]);
    marshal.begin_tuple(5);
    write_figures(marshal, totals.primitive_calls, totals.calls, totals.self_ns, totals.total_ns);
    marshal.begin_dict();
    for (const auto& edge : callers_of[totals.site]) {
      write_key(marshal, tree.sites[static_cast<std::size_t>(edge.caller)]);
      // cProfile's snapshot_stats stores a caller's figures as (nc, cc, tt, ct): calls first.
      marshal.begin_tuple(4);
      write_figures(marshal, edge.calls, edge.primitive_calls, edge.self_ns, edge.total_ns);
    }
    marshal.end_dict();
  }
  marshal.end_dict();
}

}  // namespace prof::viewer
