// Assembles the scopes section of `prof report`: the summary facts, then the chosen view for the merged
// tree or for each thread.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report_sections.hpp"
#include "scope_views.hpp"
#include "units.hpp"

namespace prof::viewer {

namespace {

std::string nanoseconds_text(double low, double high) {
  auto text = [](double ns) { return format_seconds(ns * 1e-9); };
  return low == high ? text(low) : fmt::format("{}-{}", text(low), text(high));
}

// Whether the times shown had the instrumentation's cost taken out, and how much, per process.
Fact compensation_fact(const std::vector<Snapshot>& snapshots, ScopeTimes times) {
  if (times == ScopeTimes::raw)
    return {"compensated", "times", {"raw, as measured (--no-compensate)", false}};
  std::size_t processes = 0, calibrated = 0;
  double inner_low = INFINITY, inner_high = 0, outer_low = INFINITY, outer_high = 0;
  for (const auto& snapshot : snapshots) {
    if (!snapshot.scopes) continue;
    ++processes;
    const auto& overhead = snapshot.scopes->overhead;
    if (!overhead || !overhead->calibrated) continue;
    ++calibrated;
    inner_low = std::min(inner_low, overhead->inner_ns);
    inner_high = std::max(inner_high, overhead->inner_ns);
    outer_low = std::min(outer_low, overhead->outer_ns);
    outer_high = std::max(outer_high, overhead->outer_ns);
  }
  if (calibrated == 0) return {"compensated", "times", {"as measured (no calibrated overhead)", false}};
  // inner: what a scope measures of itself; outer: what it adds to its parent (docs/SNAPSHOT.md).
  auto text = fmt::format("compensated (inner {}, outer {})", nanoseconds_text(inner_low, inner_high),
                          nanoseconds_text(outer_low, outer_high));
  if (calibrated < processes) text += fmt::format(" in {} of {} processes", calibrated, processes);
  return {"compensated", "times", {std::move(text), true}};
}

std::vector<Fact> summary_facts(const std::vector<Snapshot>& snapshots, const ScopeTree& merged,
                                ScopeTimes times) {
  std::size_t processes = 0, threads = 0;
  std::optional<std::int64_t> max_depth;
  for (const auto& snapshot : snapshots) {
    if (!snapshot.scopes) continue;
    ++processes;
    threads += snapshot.scopes->threads.size();
    if (snapshot.scopes->max_depth) max_depth = std::max(max_depth.value_or(0), *snapshot.scopes->max_depth);
  }
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
                          compensation_fact(snapshots, times)};
  bool deeper = std::any_of(merged.sites.begin(), merged.sites.end(),
                            [](const ScopeSiteKey& site) { return site.name == "(deeper)"; });
  if (deeper && max_depth)
    facts.push_back(
        {"max_depth",
         "depth limit",
         {fmt::format("{} (deeper scopes are counted in \"(deeper)\")", *max_depth), *max_depth}});
  return facts;
}

std::string thread_title(const Snapshot& snapshot, const ScopeThread& thread) {
  auto title = fmt::format("pid {} {}, thread {}", snapshot.meta.pid, snapshot.meta.program, thread.id);
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
void append_with_thread(std::vector<Table>& into, std::vector<Table> tables, const Snapshot& snapshot,
                        const ScopeThread& thread) {
  std::vector<Cell> lead{Cell::count(snapshot.meta.pid), Cell::count(thread.id),
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

}  // namespace

Section scope_section(const std::vector<Snapshot>& snapshots, const ScopeReportOptions& options) {
  bool any =
      std::any_of(snapshots.begin(), snapshots.end(), [](const Snapshot& s) { return s.scopes.has_value(); });
  if (!any) {
    return {.key = "scopes",
            .title = "Scopes",
            .present = false,
            .absent_note = "no scopes section (no scope profiler data) in these snapshots",
            .facts = {},
            .tables = {}};
  }
  auto merged = merged_scope_tree(snapshots, options.times);
  std::set<ScopeSiteKey> wanted;
  if (options.view == ScopeReportOptions::View::callers || options.view == ScopeReportOptions::View::callees)
    wanted = resolve_scope_name(
        merged, options.name, options.view == ScopeReportOptions::View::callers ? "--callers" : "--callees");
  Section section{.key = "scopes",
                  .title = "Scopes",
                  .present = true,
                  .absent_note = {},
                  .facts = summary_facts(snapshots, merged, options.times),
                  .tables = {}};
  if (!options.threads) {
    section.tables = view_tables(merged, wanted, options);
    return section;
  }
  for (const auto& [snapshot, thread, tree] : scope_trees_per_thread(snapshots, options.times)) {
    auto tables = view_tables(tree, wanted, options);
    if (!options.text) {
      append_with_thread(section.tables, std::move(tables), *snapshot, *thread);
      continue;
    }
    auto title = thread_title(*snapshot, *thread);
    for (auto& table : tables) {
      table.title = table.title.empty() ? title : title + ": " + table.title;
      section.tables.push_back(std::move(table));
    }
  }
  return section;
}

// The section of a plain `prof report`, and of the fuzzer: the flat profile.
Section scopes_section(const std::vector<Snapshot>& snapshots) {
  return scope_section(snapshots, {});
}

}  // namespace prof::viewer
