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

struct SiteChange {
  ScopeSiteKey site;
  ScopeSiteTotals old_run, new_run;
  std::int64_t change_ns() const { return new_run.total_ns - old_run.total_ns; }
};

std::vector<SiteChange> site_changes(const ScopeTree& old_tree, const ScopeTree& new_tree) {
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
  for (auto& [site, change] : by_site)
    changes.push_back(std::move(change));
  // Biggest absolute change first; ties by name, so the order does not depend on the reading order.
  std::stable_sort(changes.begin(), changes.end(), [](const SiteChange& a, const SiteChange& b) {
    auto x = std::llabs(a.change_ns()), y = std::llabs(b.change_ns());
    return x != y ? x > y : a.site < b.site;
  });
  return changes;
}

double ratio(std::int64_t new_ns, std::int64_t old_ns) {
  return old_ns == 0 ? NAN : static_cast<double>(new_ns) / static_cast<double>(old_ns);
}

Cell change_cell(std::int64_t ns) {
  auto cell = ns_cell(ns);
  if (ns > 0) cell.text = "+" + cell.text;
  return cell;
}

}  // namespace

Section scope_diff_section(const ScopeMerge& old_run, const ScopeMerge& new_run, bool text) {
  Section section{.key = "scopes",
                  .title = "Scopes (NEW / OLD, biggest change in cumulative time first)",
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
  section.facts = {{"old_total_seconds", "old total", ns_cell(old_total)},
                   {"new_total_seconds", "new total", ns_cell(new_total)},
                   {"ratio", "new/old", Cell::ratio(ratio(new_total, old_total))}};
  if (new_run.times() == ScopeTimes::raw)
    section.facts.push_back({"compensated", "times", {"raw, as measured", false}});
  auto changes = site_changes(old_run.tree(), new_run.tree());
  Table table{.key = "scopes", .title = "", .columns = {}, .rows = {}, .total_rows = changes.size()};
  if (text) {
    table.columns = {{"old", "old", "seconds"},
                     {"new", "new", "seconds"},
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
  }
  for (const auto& change : changes) {
    const auto& a = change.old_run;
    const auto& b = change.new_run;
    auto r = Cell::ratio(ratio(b.total_ns, a.total_ns));
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
