// `prof diff OLD NEW --scopes`: every scope of either run, the biggest change in cumulative time first.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "merge/scope_merge.hpp"
#include "report/scopes/cells.hpp"
#include "report/scopes/scope_section.hpp"
#include "units.hpp"

namespace prof::viewer {

namespace {

// Sums, or per-process means when the runs have different numbers of processes: 3 ranks against 2 would
// otherwise make every scope look 1.5x slower.
struct Scale {
  double old_n = 1, new_n = 1;
  std::int64_t old_value(std::int64_t v) const { return std::llround(static_cast<double>(v) / old_n); }
  std::int64_t new_value(std::int64_t v) const { return std::llround(static_cast<double>(v) / new_n); }
  double ratio(std::int64_t new_sum, std::int64_t old_sum) const {
    return old_sum == 0 ? NAN
                        : (static_cast<double>(new_sum) / new_n) / (static_cast<double>(old_sum) / old_n);
  }
};

// A scope's figures in each run (sums, or per-process means) and NEW/OLD of its cumulative time.
struct SiteChange {
  ScopeSiteKey site;
  ScopeSiteTotals old_run, new_run;
  double ratio = NAN;
  std::int64_t change_ns() const { return new_run.total_ns - old_run.total_ns; }
};

// A scope's figures divided by the process count `n` (1: its sums).
ScopeSiteTotals mean_of(ScopeSiteTotals totals, double n) {
  auto mean = [n](std::int64_t v) { return std::llround(static_cast<double>(v) / n); };
  totals.calls = mean(totals.calls);
  totals.primitive_calls = mean(totals.primitive_calls);
  totals.self_ns = mean(totals.self_ns);
  totals.total_ns = mean(totals.total_ns);
  return totals;
}

std::vector<SiteChange> site_changes(const ScopeTree& old_tree, const ScopeTree& new_tree,
                                     const Scale& scale) {
  std::map<ScopeSiteKey, SiteChange> by_site;
  auto add = [&](const ScopeTree& tree, bool is_new) {
    for (const auto& totals : scope_site_totals(tree)) {
      auto& change = by_site[tree.sites[totals.site]];
      change.site = tree.sites[totals.site];
      (is_new ? change.new_run : change.old_run) = totals;
    }
  };
  add(old_tree, false);
  add(new_tree, true);
  std::vector<SiteChange> changes;
  for (auto& [site, change] : by_site) {
    change.ratio = scale.ratio(change.new_run.total_ns, change.old_run.total_ns);
    change.old_run = mean_of(change.old_run, scale.old_n);
    change.new_run = mean_of(change.new_run, scale.new_n);
    changes.push_back(std::move(change));
  }
  // Biggest absolute change first; ties by name, so the order does not depend on the reading order.
  std::stable_sort(changes.begin(), changes.end(), [](const SiteChange& a, const SiteChange& b) {
    auto x = std::llabs(a.change_ns()), y = std::llabs(b.change_ns());
    return x != y ? x > y : a.site < b.site;
  });
  return changes;
}

Cell change_cell(std::int64_t ns) {
  auto cell = ns_cell(ns);
  if (ns > 0) cell.text = "+" + cell.text;
  return cell;
}

}  // namespace

Section scope_diff_section(const ScopeMerge& old_run, const ScopeMerge& new_run, bool text,
                           bool per_process) {
  Scale scale;
  if (per_process) {
    scale.old_n = static_cast<double>(std::max<std::size_t>(old_run.processes(), 1));
    scale.new_n = static_cast<double>(std::max<std::size_t>(new_run.processes(), 1));
  }
  Section section{
      .key = "scopes",
      .title = per_process ? "Scopes (per-process means, NEW / OLD, biggest change in cumulative time first)"
                           : "Scopes (NEW / OLD, biggest change in cumulative time first)",
      .present = true,
      .absent_note = {},
      .facts = {},
      .tables = {},
      .warnings = {}};
  if (old_run.processes() == 0 && new_run.processes() == 0) {
    section.present = false;
    section.absent_note = "no scopes section (no scope profiler data) in either run";
    return section;
  }
  auto old_total = old_run.tree().root_total_ns();
  auto new_total = new_run.tree().root_total_ns();
  if (per_process)
    section.facts = {
        {"old_total_per_process_seconds", "old total per process", ns_cell(scale.old_value(old_total))},
        {"new_total_per_process_seconds", "new total per process", ns_cell(scale.new_value(new_total))},
        {"ratio", "new/old", Cell::ratio(scale.ratio(new_total, old_total))}};
  else
    section.facts = {{"old_total_seconds", "old total", ns_cell(old_total)},
                     {"new_total_seconds", "new total", ns_cell(new_total)},
                     {"ratio", "new/old", Cell::ratio(scale.ratio(new_total, old_total))}};
  if (new_run.times() == ScopeTimes::raw)
    section.facts.push_back({"compensated", "times", {"raw, as measured", false}});
  auto changes = site_changes(old_run.tree(), new_run.tree(), scale);
  Table table{.key = "scopes", .title = "", .columns = {}, .rows = {}, .total_rows = changes.size()};
  if (text) {
    table.columns = {{"old", per_process ? "old/proc" : "old", "seconds"},
                     {"new", per_process ? "new/proc" : "new", "seconds"},
                     {"change", "change", "seconds"},
                     {"ratio", "new/old", ""},
                     {"name", "name  file:line", "", Align::left, true}};
  } else {
    table.columns = {{"name", "name", "", Align::left},
                     {"file", "file", "", Align::left},
                     {"line", "line", ""},
                     {"old_calls", "old_calls", ""},
                     {"new_calls", "new_calls", ""},
                     {"old_self", "old_self", "seconds"},
                     {"new_self", "new_self", "seconds"},
                     {"old_total", "old_total", "seconds"},
                     {"new_total", "new_total", "seconds"},
                     {"change", "change", "seconds"},
                     {"ratio", "ratio", ""}};
    if (per_process)  // every figure from old_calls to change is a mean: the header says so
      for (std::size_t c = 3; c < 10; ++c)
        table.columns[c].key += "_per_process";
  }
  for (const auto& change : changes) {
    const auto& a = change.old_run;
    const auto& b = change.new_run;
    auto r = Cell::ratio(change.ratio);
    if (text) {
      table.rows.push_back({ns_cell(a.total_ns),
                            ns_cell(b.total_ns),
                            change_cell(change.change_ns()),
                            r,
                            {scope_label(change.site), change.site.name}});
    } else {
      table.rows.push_back({Cell::string(change.site.name), Cell::string(change.site.file),
                            Cell::count(change.site.line), Cell::count(a.calls), Cell::count(b.calls),
                            ns_cell(a.self_ns), ns_cell(b.self_ns), ns_cell(a.total_ns), ns_cell(b.total_ns),
                            change_cell(change.change_ns()), r});
    }
  }
  section.tables.push_back(std::move(table));
  return section;
}

}  // namespace prof::viewer
