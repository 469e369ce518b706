// Assembles the scopes section of `prof report`: the summary facts, then the chosen view for the merged
// tree or for each thread.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "merge/scope_merge.hpp"
#include "report/across_table.hpp"
#include "report/scopes/callers_view.hpp"
#include "report/scopes/flat_view.hpp"
#include "report/scopes/tree_view.hpp"
#include "units.hpp"

namespace prof::viewer {

namespace {

// Compared as shown: processes whose figures differ below the shown precision read as one value.
std::string nanoseconds_text(double low, double high) {
  const std::string low_text = format_seconds(low * 1e-9), high_text = format_seconds(high * 1e-9);
  return low_text == high_text ? low_text : fmt::format("{}-{}", low_text, high_text);
}

// The lowest and highest of a figure over processes, shown as one value or "low-high".
struct Range {
  double low = INFINITY, high = 0;
  void add(double ns) {
    low = std::min(low, ns);
    high = std::max(high, ns);
  }
  bool empty() const { return low > high; }
  std::string text() const { return nanoseconds_text(low, high); }
};

// Whether the times shown had the instrumentation's cost taken out, and how much, per process.
Fact compensation_fact(const ScopeMerge& merge) {
  if (merge.times() == ScopeTimes::raw)
    return {"compensated", "times", {"raw, as measured (--no-compensate)", false}};
  std::size_t processes = merge.processes(), calibrated = 0;
  Range inner, outer, function_inner, function_outer;
  for (const auto& overhead : merge.overheads()) {
    if (!overhead || !overhead->calibrated) continue;
    ++calibrated;
    inner.add(overhead->inner_ns);
    outer.add(overhead->outer_ns);
    if (!overhead->functions_calibrated) continue;
    function_inner.add(overhead->function_inner_ns);
    function_outer.add(overhead->function_outer_ns);
  }
  if (calibrated == 0) return {"compensated", "times", {"as measured (no calibrated overhead)", false}};
  // inner: what a scope measures of itself; outer: what it adds to its parent (docs/SNAPSHOT.md).
  auto text = fmt::format("compensated (inner {}, outer {}", inner.text(), outer.text());
  if (!function_inner.empty())
    text +=
        fmt::format("; functions' hooks: inner {}, outer {}", function_inner.text(), function_outer.text());
  text += ")";
  if (calibrated < processes) text += fmt::format(" in {} of {} processes", calibrated, processes);
  return {"compensated", "times", {std::move(text), true}};
}

std::vector<Fact> summary_facts(const ScopeMerge& merge) {
  const auto& merged = merge.tree();
  std::size_t processes = merge.processes(), threads = merge.threads();
  auto max_depth = merge.max_depth();
  auto calls = merged.calls(), primitive = merged.primitive_calls();
  auto sites = static_cast<std::int64_t>(scope_site_totals(merged).size());
  // pstats: "N function calls (M primitive calls) in T seconds".
  std::vector<Fact> facts{{"calls", "calls", {fmt::format("{} ({} primitive)", calls, primitive), calls}},
                          {"total_seconds",
                           "time",
                           {fmt::format("{} in outermost scopes, summed over threads",
                                        format_seconds(static_cast<double>(merged.root_total_ns()) / 1e9)),
                            static_cast<double>(merged.root_total_ns()) / 1e9}},
                          {"sites",
                           "scopes",
                           {fmt::format("{} in {} thread{} of {} process{}", sites, threads,
                                        threads == 1 ? "" : "s", processes, processes == 1 ? "" : "es"),
                            sites}},
                          compensation_fact(merge)};
  bool deeper = std::any_of(merged.sites.begin(), merged.sites.end(),
                            [](const ScopeSiteKey& site) { return site.name == "(deeper)"; });
  if (deeper && max_depth)
    facts.push_back(
        {"max_depth",
         "depth limit",
         {fmt::format("{} (deeper scopes are counted in \"(deeper)\")", *max_depth), *max_depth}});
  return facts;
}

std::string thread_title(const ScopeThreadTree& each) {
  const auto& thread = each.thread;
  auto title = fmt::format("pid {} {}, thread {}", each.pid, each.program, thread.id);
  if (!thread.name.empty()) title += fmt::format(" \"{}\"", thread.name);
  if (thread.tid) title += fmt::format(" (tid {}{})", *thread.tid, thread.ended ? ", ended" : "");
  return title;
}

std::vector<Table> view_tables(const ScopeTree& tree, const std::set<ScopeSiteKey>& wanted,
                               const ScopeReportOptions& options) {
  switch (options.view) {
    case ScopeReportOptions::View::flat:
      return flat_tables(tree, options.text);
    case ScopeReportOptions::View::tree:
      return tree_tables(tree, options);
    case ScopeReportOptions::View::callers:
    case ScopeReportOptions::View::callees:
      return edge_tables(tree, wanted, options);
  }
  return {};
}

// csv and json get one table for all threads, each row led by the thread it belongs to.
void append_with_thread(std::vector<Table>& into, std::vector<Table> tables, const ScopeThreadTree& each) {
  const auto& thread = each.thread;
  std::vector<Cell> lead{Cell::count(each.pid), Cell::count(thread.id),
                         thread.tid ? Cell::count(*thread.tid) : Cell{"", {}}, Cell::string(thread.name)};
  for (auto& table : tables) {
    auto same = std::find_if(into.begin(), into.end(), [&](const Table& t) { return t.key == table.key; });
    if (same == into.end()) {
      Table empty = table;
      empty.rows.clear();
      empty.total_rows = 0;
      empty.columns.insert(empty.columns.begin(), {{"pid", "pid", ""},
                                                   {"thread", "thread", ""},
                                                   {"tid", "tid", ""},
                                                   {"thread_name", "thread_name", "", Align::left}});
      into.push_back(std::move(empty));
      same = into.end() - 1;
    }
    for (auto& row : table.rows) {
      row.insert(row.begin(), lead.begin(), lead.end());
      same->rows.push_back(std::move(row));
    }
    same->total_rows += table.total_rows;
  }
}

// Each site's cumulative time across the processes, biggest sum first.
Table across_scopes(const ScopeMerge& merge) {
  std::vector<AcrossRow> rows;
  const auto parent = parents_of(merge.members());
  for (const auto& [site, spread] : merge.spreads())
    rows.push_back({.name = site.name,
                    .lead = {Cell::string(site.file), Cell::count(site.line)},
                    .stats = spread.stats(parent)});
  std::stable_sort(rows.begin(), rows.end(),
                   [](const AcrossRow& a, const AcrossRow& b) { return a.stats.sum > b.stats.sum; });
  return across_table({.key = "across",
                       .name_title = "scope",
                       .lead_columns = {{"file", "file", "", Align::left}, {"line", "line", ""}},
                       .unit = AcrossUnit::seconds},
                      rows, merge.members());
}

}  // namespace

Section scope_section(const ScopeMerge& merge, const ScopeReportOptions& options) {
  if (merge.processes() == 0) {
    return {.key = "scopes",
            .title = "Scopes",
            .present = false,
            .absent_note = "no scopes section (no scope profiler data) in these snapshots",
            .facts = {},
            .tables = {},
            .warnings = {}};
  }
  const auto& merged = merge.tree();
  std::set<ScopeSiteKey> wanted;
  if (options.view == ScopeReportOptions::View::callers || options.view == ScopeReportOptions::View::callees)
    wanted = resolve_scope_name(
        merged, options.name, options.view == ScopeReportOptions::View::callers ? "--callers" : "--callees");
  Section section{.key = "scopes",
                  .title = "Scopes",
                  .present = true,
                  .absent_note = {},
                  .facts = summary_facts(merge),
                  .tables = {},
                  .warnings = {}};
  if (!options.threads) {
    section.tables = view_tables(merged, wanted, options);
    if (merge.processes() > 1 && options.view == ScopeReportOptions::View::flat)
      section.tables.push_back(across_scopes(merge));
    return section;
  }
  for (const auto& each : merge.thread_trees()) {
    auto tables = view_tables(each.tree, wanted, options);
    if (!options.text) {
      append_with_thread(section.tables, std::move(tables), each);
      continue;
    }
    auto title = thread_title(each);
    for (auto& table : tables) {
      table.title = table.title.empty() ? title : title + ": " + table.title;
      section.tables.push_back(std::move(table));
    }
  }
  return section;
}

Section scope_section(const std::vector<Snapshot>& snapshots, const ScopeReportOptions& options) {
  ScopeMerge merge(options.times, options.threads);
  for (const auto& snapshot : snapshots)
    merge.add(snapshot);
  merge.finish();
  return scope_section(merge, options);
}

}  // namespace prof::viewer
