#pragma once
// `prof report --scopes` and `prof diff --scopes`: the scope profiler's reports, after pstats. Text tables
// are for people (ncalls as "25/1", "name  file:line"); csv and json tables hold one plain value per column.
#include <string>
#include <vector>

#include "merge/scope_tree.hpp"
#include "model/snapshot.hpp"
#include "report/table.hpp"

namespace prof::viewer {

struct ScopeReportOptions {
  enum class View { flat, tree, callers, callees };
  View view = View::flat;
  std::string name;      // the scope asked for by --callers / --callees
  bool threads = false;  // one table per thread instead of everything merged
  ScopeTimes times = ScopeTimes::compensated;
  double min_percent = 1.0;  // --tree hides nodes below this share of the total
  bool text = true;          // tables for --format text; false for csv and json
};

class ScopeMerge;
Section scope_section(const std::vector<Snapshot>& snapshots, const ScopeReportOptions& options);
// The same from a streamed merge (finished).
Section scope_section(const ScopeMerge& merge, const ScopeReportOptions& options);

// `prof diff --scopes` from the two runs' finished merges (made with the same ScopeTimes).
// `per_process`: compare per-process means (runs of different process counts), said in the headers.
Section scope_diff_section(const ScopeMerge& old_run, const ScopeMerge& new_run, bool text, bool per_process);

}  // namespace prof::viewer
