// `prof report --samples`: one row per function (or line, file, module), heaviest self first, as perf report
// and pprof's top show it: self % (samples whose innermost frame is in the group), total % (with it anywhere
// on the stack), the samples, and the seconds they estimate (samples times the sampling period). On the wall
// clock a "waiting %" column says how much of the group's samples found the thread not running.
#include "report/samples/samples_section.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "report/across_table.hpp"
#include "report/samples/samples_paths.hpp"

namespace prof::viewer {

namespace {

double percent(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

bool has_waiting(const SamplesMerge& samples) {
  return samples.clock() != "cpu";
}

// Heaviest self first, then heaviest total.
std::vector<std::size_t> flat_order(const std::vector<SampleGroup>& rows) {
  std::vector<std::size_t> order(rows.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (rows[a].self != rows[b].self) return rows[a].self > rows[b].self;
    return rows[a].total > rows[b].total;
  });
  return order;
}

// Percentages are of `all`: every sample of the report, or of the thread for a thread's table.
Table flat_table(const std::vector<SampleGroup>& rows, std::int64_t all, SampleKey by, bool waiting) {
  Table table{.key = "functions", .title = "", .columns = {}, .rows = {}, .total_rows = rows.size()};
  table.columns = {{"self_percent", "self %", ""},
                   {"total_percent", "total %", ""},
                   {"samples", "samples", ""},
                   {"self", "self", "seconds"},
                   {"total", "total", "seconds"}};
  if (waiting) table.columns.push_back({"waiting_percent", "waiting %", ""});
  table.columns.push_back({"name", sample_key_name(by), "", Align::left, true});
  table.columns.push_back({"file", "file", "", Align::left, false, true});
  for (std::size_t i : flat_order(rows)) {
    const auto& g = rows[i];
    std::vector<Cell> row{Cell::number(percent(g.self, all)), Cell::number(percent(g.total, all)),
                          Cell::count(g.self), Cell::seconds(g.self_seconds), Cell::seconds(g.total_seconds)};
    if (waiting) row.push_back(Cell::number(percent(g.waiting_total, g.total)));
    row.push_back(Cell::string(g.name));
    row.push_back(Cell::string(by == SampleKey::function || by == SampleKey::line ? g.file : std::string()));
    table.rows.push_back(std::move(row));
  }
  return table;
}

std::string thread_title(const SampledThreadSummary& thread, std::int64_t all, bool waiting) {
  auto title = thread.rank ? fmt::format("rank {}, pid {} {}, tid {}", *thread.rank, thread.pid,
                                         thread.program, thread.tid)
                           : fmt::format("pid {} {}, tid {}", thread.pid, thread.program, thread.tid);
  if (!thread.name.empty()) title += fmt::format(" \"{}\"", thread.name);
  title += fmt::format(": {} samples ({:.1f} % of all", thread.samples, percent(thread.samples, all));
  if (waiting) title += fmt::format(", {:.1f} % waiting", percent(thread.waiting, thread.samples));
  return title + ")";
}

// Text: one table per thread, heaviest thread first. csv and json: one table, each row led by its thread.
std::vector<Table> thread_tables(const SamplesMerge& samples, const SamplesReportOptions& options) {
  const auto& threads = samples.threads();
  std::vector<std::size_t> order(threads.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return threads[a].samples > threads[b].samples; });
  const bool waiting = has_waiting(samples);
  std::vector<Table> tables;
  for (std::size_t i : order) {
    const auto& thread = threads[i];
    auto table = flat_table(thread.groups[static_cast<std::size_t>(options.by)].rows, thread.samples,
                            options.by, waiting);
    if (options.text) {
      table.title = thread_title(thread, samples.samples(), waiting);
      tables.push_back(std::move(table));
      continue;
    }
    if (tables.empty()) {
      Table all = table;
      all.key = "threads";
      all.rows.clear();
      all.total_rows = 0;
      all.columns.insert(all.columns.begin(), {{"rank", "rank", ""},
                                               {"pid", "pid", ""},
                                               {"tid", "tid", ""},
                                               {"thread_name", "thread_name", "", Align::left},
                                               {"thread_samples", "thread_samples", ""}});
      tables.push_back(std::move(all));
    }
    for (auto& row : table.rows) {
      row.insert(row.begin(),
                 {thread.rank ? Cell::count(*thread.rank) : Cell{"", {}}, Cell::count(thread.pid),
                  Cell::count(thread.tid), Cell::string(thread.name), Cell::count(thread.samples)});
      tables.front().rows.push_back(std::move(row));
    }
    tables.front().total_rows += table.total_rows;
  }
  return tables;
}

// Each group's estimated seconds (total: with the group anywhere on the stack) across the processes, in the
// order of the flat table.
Table across_groups(const SamplesMerge& samples, SampleKey by) {
  const auto& rows = samples.groups(by).rows;
  const auto& spreads = samples.spreads(by);
  const auto parent = parents_of(samples.members());
  std::vector<AcrossRow> across;
  for (std::size_t i : flat_order(rows))
    across.push_back(
        {.name = rows[i].name, .lead = {Cell::string(rows[i].file)}, .stats = spreads[i].stats(parent)});
  return across_table({.key = "across",
                       .name_title = sample_key_name(by),
                       .lead_columns = {{"file", "file", "", Align::left}},
                       .unit = AcrossUnit::seconds},
                      across, samples.members());
}

std::vector<Fact> summary_facts(const SamplesMerge& samples) {
  std::vector<Fact> facts;
  const bool wall = samples.clock() == "wall";
  facts.push_back({"processes", "processes", Cell::count(samples.processes())});
  facts.push_back({"threads", "threads", Cell::count(static_cast<std::int64_t>(samples.threads().size()))});
  facts.push_back({"samples", "samples", Cell::count(samples.samples())});
  facts.push_back({"clock", "clock",
                   Cell::string(wall                       ? "wall (real time, running or waiting)"
                                : samples.clock() == "cpu" ? "cpu (each thread's CPU time)"
                                                           : samples.clock())});
  facts.back().value.raw = samples.clock();
  facts.push_back({"rate_hz", wall ? "rate (per thread second)" : "rate (per thread CPU second)",
                   Cell::number(samples.hz())});
  facts.push_back({wall ? "thread_seconds" : "cpu_seconds", wall ? "thread time sampled" : "CPU time sampled",
                   Cell::seconds(samples.seconds())});
  if (has_waiting(samples)) {
    facts.push_back({"running_percent", "running",
                     Cell::number(percent(samples.samples() - samples.waiting(), samples.samples()))});
    facts.back().value.text += " %";
    facts.push_back({"waiting_percent", "waiting (blocked, sleeping, or no CPU free)",
                     Cell::number(percent(samples.waiting(), samples.samples()))});
    facts.back().value.text += " %";
  }
  if (samples.dropped() > 0) facts.push_back({"dropped", "dropped", Cell::count(samples.dropped())});
  return facts;
}

}  // namespace

Section samples_section(const SamplesMerge& samples, const SamplesReportOptions& options) {
  const bool wall = samples.clock() == "wall";
  Section section{.key = "samples",
                  .title = wall ? "Samples (wall clock)" : "CPU samples",
                  .present = samples.present(),
                  .absent_note = {},
                  .facts = {},
                  .tables = {},
                  .warnings = {}};
  if (!samples.present()) {
    section.absent_note = "no samples section (run with prof run; --sample 0 turns sampling off)";
    return section;
  }
  section.facts = summary_facts(samples);
  // A drop or two in thousands (a pool's parent that forked and waited before its first sample) moves no
  // percentage shown: the count stays among the facts, and the warning is kept for a share that does.
  const std::int64_t taken = samples.samples() + samples.dropped();
  if (samples.dropped() > 0 && samples.dropped() * 100 >= taken)
    section.warnings.push_back(fmt::format(
        "{} of {} samples ({:.1f} %) were dropped (a full stack table, a stack the unwinder could not walk, "
        "or a thread that ended before its first sample): percentages are of the samples kept",
        samples.dropped(), taken,
        100.0 * static_cast<double>(samples.dropped()) / static_cast<double>(taken)));
  if (samples.clock() == "mixed")
    section.warnings.push_back(
        "the processes were sampled on different clocks (cpu and wall): their samples do not add up "
        "to one kind of time");
  switch (options.view) {
    case SamplesReportOptions::View::tree:
      section.tables.push_back(samples_tree_table(samples, options.min_percent));
      return section;
    case SamplesReportOptions::View::callers:
    case SamplesReportOptions::View::callees: {
      const bool callers = options.view == SamplesReportOptions::View::callers;
      const auto function =
          resolve_sampled_function(samples, options.name, callers ? "--callers" : "--callees");
      section.tables.push_back(samples_edges_table(samples, function, callers));
      return section;
    }
    case SamplesReportOptions::View::flat:
      break;
  }
  if (options.threads) {
    section.tables = thread_tables(samples, options);
    return section;
  }
  section.tables.push_back(
      flat_table(samples.groups(options.by).rows, samples.samples(), options.by, has_waiting(samples)));
  if (samples.processes() > 1) section.tables.push_back(across_groups(samples, options.by));
  return section;
}

}  // namespace prof::viewer
