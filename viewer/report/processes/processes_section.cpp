#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "merge/run_totals.hpp"
#include "report/processes/oversubscription.hpp"
#include "report/processes/process_tree.hpp"
#include "report/processes/processes_section.hpp"
#include "report/processes/rank_census.hpp"

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

bool has_heap(const Snapshot& snapshot) {
  return snapshot.memory && snapshot.memory->summary;
}

// In start order; with parents and children among them (a fork pool), as a tree: children indented below
// their parent.
Table process_table(const std::vector<Snapshot>& snapshots) {
  Table table{.key = "processes", .title = "", .columns = {}, .rows = {}, .total_rows = snapshots.size()};
  table.columns = {{"pid", "pid", ""},
                   {"ppid", "ppid", ""},
                   {"program", "program", "", Align::left, true},
                   {"exit", "exit", ""},
                   {"wall", "wall", "seconds"},
                   {"cpu", "cpu", "seconds"},
                   {"max_rss", "max rss", "bytes"}};
  auto places = process_tree_order(snapshots);
  // A tree (a fork pool) shows each process's own heap: what a worker adds beside its rss.
  const bool tree =
      std::any_of(places.begin(), places.end(), [](const ProcessPlace& p) { return p.depth > 0; });
  const bool heap = tree && std::any_of(snapshots.begin(), snapshots.end(), has_heap);
  if (heap) table.columns.push_back({"peak_heap", "peak heap", "bytes"});
  for (const auto& place : places) {
    const auto& snapshot = snapshots[place.index];
    const auto& meta = snapshot.meta;
    auto program = Cell::string(meta.program);
    program.text = std::string(2 * place.depth, ' ') + program.text;
    table.rows.push_back({Cell::count(meta.pid), Cell::count(meta.ppid), std::move(program),
                          exit_cell(meta.exit), Cell::seconds(meta.wall_seconds),
                          Cell::seconds(meta.user_seconds + meta.system_seconds),
                          Cell::bytes(meta.max_rss_bytes)});
    if (heap)
      table.rows.back().push_back(has_heap(snapshot) ? Cell::bytes(snapshot.memory->summary->peak_bytes)
                                                     : Cell{"-", {}});
  }
  return table;
}

}  // namespace

Section processes_section(const std::vector<Snapshot>& snapshots, bool whole_job) {
  auto totals = run_totals(snapshots);
  Section section{.key = "meta",
                  .title = "Processes",
                  .present = true,
                  .absent_note = {},
                  .facts = {},
                  .tables = {},
                  .warnings = {}};
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
  // An MPI job: how many of its ranks are here and which are not (a rank killed, or crashed where the MPI
  // library's own signal handler ran instead of prof's, writes nothing). The warning is the report's first
  // line (report_command.cpp), said once.
  const auto census = rank_census(snapshots);
  if (whole_job && census.size > 0) {
    section.facts.push_back(
        {"ranks", "ranks", Cell::string(fmt::format("{} of {}", census.present.size(), census.size))});
    section.facts.push_back({"missing_ranks", "missing ranks",
                             Cell::string(census.missing.empty() ? "none" : rank_list(census.missing))});
  }
  section.warnings = oversubscription_warnings(snapshots);
  return section;
}

}  // namespace prof::viewer
