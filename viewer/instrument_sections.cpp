// The minimal renderings of the instruments' sections; their own issues build the full reports
// (timers_report.cpp has the timers).
#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "aggregate.hpp"
#include "report_sections.hpp"

namespace prof::viewer {

namespace {

Section absent(std::string key, std::string title, std::string what) {
  return {.key = std::move(key),
          .title = std::move(title),
          .present = false,
          .absent_note = fmt::format("no {} in these snapshots", what),
          .facts = {},
          .tables = {}};
}

}  // namespace

Section memory_section(const std::vector<Snapshot>& snapshots) {
  auto merged = merge_memory(snapshots);
  if (merged.processes == 0) return absent("memory", "Memory", "memory section (no memory tracer data)");
  Section section{
      .key = "memory", .title = "Memory", .present = true, .absent_note = {}, .facts = {}, .tables = {}};
  const auto& summary = merged.summary;
  section.facts = {
      {"allocations", "allocations", Cell::count(summary.allocations)},
      {"allocated_bytes", "allocated", Cell::bytes(summary.allocated_bytes)},
      {"peak_bytes", merged.processes > 1 ? "peak (sum)" : "peak", Cell::bytes(summary.peak_bytes)},
      {"leaked_allocations", "leaked allocations", Cell::count(summary.leaked_allocations)},
      {"leaked_bytes", "leaked", Cell::bytes(summary.leaked_bytes)},
  };
  Table table{.key = "sites", .title = "", .columns = {}, .rows = {}, .total_rows = merged.sites.size()};
  table.columns = {{"peak", "peak", "bytes"},
                   {"allocated", "allocated", "bytes"},
                   {"allocations", "allocs", ""},
                   {"leaked", "leaked", "bytes"},
                   {"site", "innermost frame", "", Align::left, true}};
  for (const auto& site : merged.sites) {
    table.rows.push_back({Cell::bytes(site.peak_bytes), Cell::bytes(site.allocated_bytes),
                          Cell::count(site.allocations), Cell::bytes(site.leaked_bytes),
                          Cell::string(site.where)});
  }
  table.sort_by("peak");
  section.tables.push_back(std::move(table));
  return section;
}

}  // namespace prof::viewer
