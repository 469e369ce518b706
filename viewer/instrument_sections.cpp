// The minimal renderings of the instruments' sections; their own issues build the full reports.
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

Section scopes_section(const std::vector<Snapshot>& snapshots) {
  bool any = false;
  for (const auto& snapshot : snapshots)
    any |= snapshot.scopes.has_value();
  if (!any) return absent("scopes", "Scopes", "scopes section (no scope profiler data)");
  auto rows = merge_scopes(snapshots);
  Section section{
      .key = "scopes", .title = "Scopes", .present = true, .absent_note = {}, .facts = {}, .tables = {}};
  Table table{.key = "scopes", .title = "", .columns = {}, .rows = {}, .total_rows = rows.size()};
  table.columns = {{"name", "scope", "", Align::left},
                   {"location", "file:line", "", Align::left, true},
                   {"calls", "calls", ""},
                   {"self", "self", "seconds"},
                   {"total", "total", "seconds"}};
  for (const auto& row : rows) {
    table.rows.push_back({Cell::string(row.name), Cell::string(fmt::format("{}:{}", row.file, row.line)),
                          Cell::count(row.calls), Cell::seconds(static_cast<double>(row.self_ns) * 1e-9),
                          Cell::seconds(static_cast<double>(row.total_ns) * 1e-9)});
  }
  table.sort_by("self");
  section.tables.push_back(std::move(table));
  return section;
}

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

namespace {

double nth_sample(std::vector<double> samples, bool median) {
  if (samples.empty()) return NAN;
  std::sort(samples.begin(), samples.end());
  if (!median) return samples.front();
  auto n = samples.size();
  return n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

}  // namespace

Section timers_section(const std::vector<Snapshot>& snapshots) {
  bool any = false;
  for (const auto& snapshot : snapshots)
    any |= snapshot.timers.has_value();
  if (!any) return absent("timers", "Timers", "timers section (no timer harness data)");
  Section section{
      .key = "timers", .title = "Timers", .present = true, .absent_note = {}, .facts = {}, .tables = {}};
  Table table{.key = "timings", .title = "", .columns = {}, .rows = {}, .total_rows = 0};
  table.columns = {{"name", "timer", "", Align::left, true},
                   {"runs", "runs", ""},
                   {"loops", "loops", ""},
                   {"min", "min", "seconds"},
                   {"median", "median", "seconds"}};
  for (const auto& snapshot : snapshots) {
    if (!snapshot.timers) continue;
    for (const auto& timing : snapshot.timers->timings) {
      double min = timing.min.value_or(nth_sample(timing.samples, false));
      double median = timing.median.value_or(nth_sample(timing.samples, true));
      table.rows.push_back({Cell::string(timing.name), Cell::count(timing.runs), Cell::count(timing.loops),
                            Cell::seconds(min), Cell::seconds(median)});
    }
  }
  table.total_rows = table.rows.size();
  section.tables.push_back(std::move(table));
  return section;
}

}  // namespace prof::viewer
