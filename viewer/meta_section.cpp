#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "aggregate.hpp"
#include "report_sections.hpp"

namespace prof::viewer {

namespace {

Cell exit_cell(const ExitStatus& exit) {
  switch (exit.kind) {
    case ExitStatus::Kind::exited:
      return Cell::count(exit.code);
    case ExitStatus::Kind::signaled:
      return Cell::string(exit.signal_name.empty() ? fmt::format("signal {}", exit.signal)
                                                   : exit.signal_name);
    case ExitStatus::Kind::running:
      return Cell::string("running");
    case ExitStatus::Kind::unknown:  // the library wrote it without the shim, which alone sees exit codes
      return Cell::string("?");
  }
  return Cell::string("?");
}

Table process_table(const std::vector<Snapshot>& snapshots) {
  Table table{.key = "processes", .title = "", .columns = {}, .rows = {}, .total_rows = snapshots.size()};
  table.columns = {{"pid", "pid", ""},
                   {"ppid", "ppid", ""},
                   {"program", "program", "", Align::left, true},
                   {"exit", "exit", ""},
                   {"wall", "wall", "seconds"},
                   {"cpu", "cpu", "seconds"},
                   {"max_rss", "max rss", "bytes"}};
  std::vector<const Snapshot*> order;
  for (const auto& snapshot : snapshots)
    order.push_back(&snapshot);
  // Default order: as the processes started.
  std::stable_sort(order.begin(), order.end(), [](const Snapshot* a, const Snapshot* b) {
    double x = parse_utc_time(a->meta.start_time), y = parse_utc_time(b->meta.start_time);
    if (!std::isnan(x) && !std::isnan(y) && x != y) return x < y;
    return a->meta.pid < b->meta.pid;
  });
  for (const auto* snapshot : order) {
    const auto& meta = snapshot->meta;
    table.rows.push_back({Cell::count(meta.pid), Cell::count(meta.ppid), Cell::string(meta.program),
                          exit_cell(meta.exit), Cell::seconds(meta.wall_seconds),
                          Cell::seconds(meta.user_seconds + meta.system_seconds),
                          Cell::bytes(meta.max_rss_bytes)});
  }
  return table;
}

}  // namespace

Section meta_section(const std::vector<Snapshot>& snapshots) {
  auto totals = run_totals(snapshots);
  Section section{
      .key = "meta", .title = "Processes", .present = true, .absent_note = {}, .facts = {}, .tables = {}};
  auto cpu = totals.user_seconds + totals.system_seconds;
  section.facts = {
      {"processes", "processes", Cell::count(static_cast<std::int64_t>(totals.processes))},
      {"wall_seconds", "wall (longest)", Cell::seconds(totals.wall_seconds)},
      {"cpu_seconds", "cpu", Cell::seconds(cpu)},
      {"user_seconds", "user cpu", Cell::seconds(totals.user_seconds)},
      {"system_seconds", "system cpu", Cell::seconds(totals.system_seconds)},
      {"max_rss_bytes", "peak rss", Cell::bytes(totals.max_rss_bytes)},
  };
  section.tables.push_back(process_table(snapshots));
  return section;
}

}  // namespace prof::viewer
