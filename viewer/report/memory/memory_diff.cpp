#include "report/memory/memory_diff.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "units.hpp"

namespace prof::viewer {

namespace {

std::string signed_bytes(std::int64_t bytes) {
  // fmt, not `"+" + std::string`: g++ 12 at -O3 raises a false -Wrestrict inside libstdc++ on that.
  return fmt::format("{}{}", bytes < 0 ? '-' : '+', format_bytes(static_cast<double>(std::llabs(bytes))));
}

struct DiffRow {
  const MemoryGroup* group = nullptr;  // from NEW, or OLD when the site is gone
  MemoryViewValues old_values, new_values;
};

}  // namespace

Section memory_diff_section(const MemoryMerge& old_run, const MemoryMerge& new_run,
                            const MemoryReportOptions& options, bool per_process) {
  Section section{.key = "memory",
                  .title = per_process ? "Memory (per-process means, NEW - OLD)" : "Memory (NEW - OLD)",
                  .present = true,
                  .absent_note = {},
                  .facts = {},
                  .tables = {},
                  .warnings = {}};
  if (old_run.processes() == 0 || new_run.processes() == 0) {
    section.present = false;
    section.absent_note = fmt::format("no memory section (no memory tracer data) in the {} run",
                                      old_run.processes() > 0 ? "NEW" : "OLD");
    return section;
  }
  // Runs of different process counts are compared by their means per process: 3 ranks against 2 would
  // otherwise show every site 1.5x bigger. The average (bytes per allocation) is the same either way.
  auto mean = [per_process](MemoryViewValues values, std::size_t processes) {
    if (!per_process) return values;
    auto n = static_cast<double>(std::max<std::size_t>(processes, 1));
    values.size = std::llround(static_cast<double>(values.size) / n);
    values.count = std::llround(static_cast<double>(values.count) / n);
    return values;
  };
  // Sampled runs (prof diff refuses an exact run against a sampled one unless --allow-mixed-modes): say which
  // side's figures are estimates.
  auto mode = [](const MemoryMerge& run) {
    return run.sampled_processes() == 0                 ? "exact"
           : run.sampled_processes() == run.processes() ? "sampled"
                                                        : "mixed";
  };
  if (old_run.sampled_processes() > 0 || new_run.sampled_processes() > 0) {
    section.facts.push_back({"old_mode", "OLD mode", Cell::string(mode(old_run))});
    section.facts.push_back({"new_mode", "NEW mode", Cell::string(mode(new_run))});
    section.warnings.push_back("sampled figures are estimates: a change within their noise is no change");
  }
  std::map<std::string, DiffRow> rows;
  for (const auto& group : old_run.groups())
    rows[group.key] = {&group, mean(view_values(group.counts, options.view), old_run.processes()), {}};
  for (const auto& group : new_run.groups()) {
    auto& row = rows[group.key];
    row.group = &group;
    row.new_values = mean(view_values(group.counts, options.view), new_run.processes());
  }
  std::vector<DiffRow> sorted;
  for (auto& [key, row] : rows)
    sorted.push_back(row);
  auto change = [](const DiffRow& r) { return std::llabs(r.new_values.size - r.old_values.size); };
  std::stable_sort(sorted.begin(), sorted.end(), [&](const DiffRow& a, const DiffRow& b) {
    if (change(a) != change(b)) return change(a) > change(b);
    return std::llabs(a.new_values.count - a.old_values.count) >
           std::llabs(b.new_values.count - b.old_values.count);
  });
  Table table{.key = "sites", .title = "", .columns = {}, .rows = {}, .total_rows = sorted.size()};
  if (options.text) {
    table.columns = {{"site", "site", "", Align::left},
                     {"size", per_process ? "size/proc" : "size", "bytes"},
                     {"size_diff", "(change)", "bytes", Align::left},
                     {"count", per_process ? "count/proc" : "count", ""},
                     {"count_diff", "(change)", "", Align::left},
                     {"average", "average", "", Align::left}};
  } else {
    table.columns = {{"file", "file", "", Align::left},
                     {"line", "line", ""},
                     {"function", "function", "", Align::left},
                     {"old_size", "old_size", "bytes"},
                     {"size", "size", "bytes"},
                     {"size_diff", "size_diff", "bytes"},
                     {"old_count", "old_count", ""},
                     {"count", "count", ""},
                     {"count_diff", "count_diff", ""}};
    if (per_process)  // sizes and counts are means: the header says so
      for (std::size_t c = 3; c < table.columns.size(); ++c)
        table.columns[c].key += "_per_process";
  }
  for (const auto& row : sorted) {
    const auto& o = row.old_values;
    const auto& n = row.new_values;
    const auto size_diff = n.size - o.size, count_diff = n.count - o.count;
    if (options.text) {
      auto average =
          n.average_count
              ? format_bytes(static_cast<double>(n.average_of) / static_cast<double>(n.average_count))
              : std::string("-");
      table.rows.push_back({Cell::string(row.group->key + ":"),
                            // fmt, not `"size=" + std::string`: g++ 12 at -O3 raises a false -Wrestrict
                            // inside libstdc++ on a literal + temporary string.
                            {fmt::format("size={}", format_bytes(static_cast<double>(n.size))), n.size},
                            {fmt::format("({}),", signed_bytes(size_diff)), size_diff},
                            {fmt::format("count={}", n.count), n.count},
                            {fmt::format("({:+}),", count_diff), count_diff},
                            Cell::string("average=" + average)});
    } else {
      table.rows.push_back({Cell::string(row.group->file), Cell::count(row.group->line),
                            Cell::string(row.group->function), Cell::bytes(o.size), Cell::bytes(n.size),
                            Cell::bytes(size_diff), Cell::count(o.count), Cell::count(n.count),
                            Cell::count(count_diff)});
    }
  }
  if (table.rows.size() > options.top) table.rows.resize(options.top);
  section.tables.push_back(std::move(table));
  return section;
}

}  // namespace prof::viewer
