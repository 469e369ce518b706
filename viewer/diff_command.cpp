// `prof diff OLD NEW`: two runs side by side, with NEW/OLD ratios.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "commands.hpp"
#include "error.hpp"
#include "merge/report_merge.hpp"
#include "merge/run_totals.hpp"
#include "merge/scope_tree.hpp"
#include "render/render.hpp"
#include "report/memory/memory_diff.hpp"
#include "report/samples/samples_diff.hpp"
#include "report/scopes/scope_section.hpp"
#include "report/timers/timers_diff.hpp"
#include "terminal.hpp"

namespace prof::viewer {

namespace {

struct DiffOptions {
  std::string old_path, new_path;
  std::string format = "text";
  bool timers = false;
  bool scopes = false, no_compensate = false;
  double threshold = kDefaultDiffThreshold;
  bool memory = false;
  std::string mem_by = "line", mem_view = "peak";
  MemoryFrameFilters mem_filters;  // --exclude-function, --include-file, --exclude-module
  std::size_t mem_top = 10;
  bool top_given = false;
  bool allow_mixed_modes = false;  // an exact memory run against a sampled one
  bool samples = false;  // --samples: shares per function (or --by line, file, module without --mem)
  bool by_given = false;
};

double ratio(double new_value, double old_value) {
  return old_value == 0 ? NAN : new_value / old_value;
}

Section meta_diff(const RunTotals& old_totals, const RunTotals& new_totals) {
  Section section{.key = "meta",
                  .title = "Processes (NEW / OLD)",
                  .present = true,
                  .absent_note = {},
                  .facts = {},
                  .tables = {},
                  .warnings = {}};
  Table table{.key = "metrics", .title = "", .columns = {}, .rows = {}, .total_rows = 5};
  table.columns = {{"metric", "metric", "", Align::left},
                   {"old", "old", ""},
                   {"new", "new", ""},
                   {"ratio", "new/old", ""}};
  auto seconds_row = [&](const char* key, const char* label, double a, double b) {
    table.rows.push_back({Cell::string(key), Cell::seconds(a), Cell::seconds(b), Cell::ratio(ratio(b, a))});
    table.rows.back()[0].text = label;
  };
  seconds_row("wall_seconds", "wall", old_totals.wall_seconds, new_totals.wall_seconds);
  seconds_row("user_seconds", "user cpu", old_totals.user_seconds, new_totals.user_seconds);
  seconds_row("system_seconds", "system cpu", old_totals.system_seconds, new_totals.system_seconds);
  table.rows.push_back({Cell::string("max_rss_bytes"), Cell::bytes(old_totals.max_rss_bytes),
                        Cell::bytes(new_totals.max_rss_bytes),
                        Cell::ratio(ratio(static_cast<double>(new_totals.max_rss_bytes),
                                          static_cast<double>(old_totals.max_rss_bytes)))});
  table.rows.back()[0].text = "max rss";
  auto old_n = static_cast<std::int64_t>(old_totals.processes),
       new_n = static_cast<std::int64_t>(new_totals.processes);
  table.rows.push_back({Cell::string("processes"), Cell::count(old_n), Cell::count(new_n),
                        Cell::ratio(ratio(static_cast<double>(new_n), static_cast<double>(old_n)))});
  section.tables.push_back(std::move(table));
  return section;
}

// The programs of a run, "a, b" (sorted, each once).
std::string programs_of(const std::vector<Snapshot>& processes) {
  std::set<std::string> names;
  for (const auto& process : processes)
    names.insert(process.meta.program);
  return fmt::format("{}", fmt::join(names, ", "));
}

// Said first when the runs are not two runs of one program at one size: ratios of sums would mislead
// without a word ("MPI_Init 1.57x" from 2 ranks against 3). Empty when nothing differs.
std::optional<Section> runs_differ(const std::vector<Snapshot>& old_processes,
                                   const std::vector<Snapshot>& new_processes) {
  Section section{.key = "runs_differ",
                  .title = "The runs differ",
                  .present = true,
                  .absent_note = {},
                  .facts = {},
                  .tables = {},
                  .warnings = {}};
  auto old_programs = programs_of(old_processes), new_programs = programs_of(new_processes);
  if (old_programs != new_programs)
    section.facts.push_back({"programs",
                             "programs",
                             {fmt::format("differ: OLD {}, NEW {}", old_programs, new_programs),
                              fmt::format("OLD {}; NEW {}", old_programs, new_programs)}});
  if (old_processes.size() != new_processes.size()) {
    auto ranked = [](const std::vector<Snapshot>& processes) {
      return std::all_of(processes.begin(), processes.end(), [](const Snapshot& p) { return p.meta.rank; });
    };
    const char* what = ranked(old_processes) && ranked(new_processes) ? "ranks" : "processes";
    section.facts.push_back({"processes",
                             what,
                             {fmt::format("{} {} against {}: scopes and memory compare per-process means",
                                          old_processes.size(), what, new_processes.size()),
                              fmt::format("{} against {}", old_processes.size(), new_processes.size())}});
  }
  if (section.facts.empty()) return std::nullopt;
  return section;
}

// The memory tracer's figures of a sampled run (PROF_MEMORY_SAMPLE) are estimates, an exact run's are counts:
// a difference between them is mostly the sampling's noise, so they are not compared unless asked.
void refuse_mixed_modes(const DiffOptions& options, const ReportMerge& old_run, const ReportMerge& new_run) {
  if (options.allow_mixed_modes) return;
  auto has = [](const ReportMerge& run, bool sampled) {
    return std::any_of(run.processes().begin(), run.processes().end(), [&](const Snapshot& p) {
      return p.memory && p.memory->summary && p.memory->summary->sample_interval_bytes.has_value() == sampled;
    });
  };
  const bool old_sampled = has(old_run, true), new_sampled = has(new_run, true);
  if (!(old_sampled || new_sampled) || !(has(old_run, false) || has(new_run, false))) return;
  const char* other = new_sampled && !old_sampled ? "OLD's are"
                      : new_sampled               ? "other processes' are"
                                                  : "NEW's are";
  throw UserError(new_sampled ? options.new_path : options.old_path,
                  fmt::format("its memory figures are estimates (sampled mode) and {} exact: they do not "
                              "compare (--allow-mixed-modes compares them anyway)",
                              other));
}

void run_diff(const DiffOptions& options) {
  OutputFormat format = OutputFormat::text;
  if (options.format == "csv")
    format = OutputFormat::csv;
  else if (options.format == "json")
    format = OutputFormat::json;
  else if (options.format != "text")
    throw UserError("--format",
                    fmt::format("unknown format \"{}\" (choose text, csv or json)", options.format));
  ScopeReportOptions scope;
  scope.times = options.no_compensate ? ScopeTimes::raw : ScopeTimes::compensated;
  MemoryReportOptions mem;
  if (options.memory) {  // --by and --view without --mem are ignored
    mem.by = parse_memory_key(options.mem_by);
    mem.view = parse_memory_view(options.mem_view);
    mem.filters = options.mem_filters;
  }
  // Text shows 10 sites; csv and json carry every row unless --top is given.
  mem.top = options.top_given || format == OutputFormat::text ? options.mem_top : SIZE_MAX;
  mem.text = format == OutputFormat::text;
  // One side at a time, one snapshot at a time: only the accumulators and the processes' summaries stay.
  auto old_run = merge_run(options.old_path, scope.times, scope.threads, options.scopes, mem, options.memory);
  auto new_run = merge_run(options.new_path, scope.times, scope.threads, options.scopes, mem, options.memory);
  refuse_mixed_modes(options, old_run, new_run);
  std::vector<Section> sections;
  auto differ = runs_differ(old_run.processes(), new_run.processes());
  if (differ) sections.push_back(*differ);
  bool per_process = old_run.processes().size() != new_run.processes().size();
  if (options.timers)
    sections.push_back(timers_diff_section(old_run.processes(), new_run.processes(), options.threshold));
  if (options.scopes)
    sections.push_back(
        scope_diff_section(old_run.scopes(), new_run.scopes(), format == OutputFormat::text, per_process));
  if (options.memory)
    sections.push_back(memory_diff_section(old_run.memory(), new_run.memory(), mem, per_process));
  if (options.samples) {
    sections.push_back(samples_diff_section(
        old_run.samples(), new_run.samples(),
        options.by_given && !options.memory ? parse_sample_key(options.mem_by) : SampleKey::function));
    for (auto& table : sections.back().tables)
      table.keep_top(mem.top);
  }
  if (sections.size() == (differ ? 1U : 0U))
    sections.push_back(meta_diff(run_totals(old_run.processes()), run_totals(new_run.processes())));
  std::string out;
  if (format == OutputFormat::text)
    out = render_text(sections, {.colour = stdout_wants_colour(), .width = 80});
  else if (format == OutputFormat::csv) {
    out = render_csv(sections);  // a table file: what differs goes to stderr
    if (differ)
      for (const auto& fact : differ->facts)
        fmt::print(stderr, "prof: note: the runs differ: {}: {}\n", fact.label, fact.value.text);
  } else
    out = render_json(sections);
  write_stdout(out);
}

}  // namespace

void add_diff_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DiffOptions>();
  auto* cmd = app.add_subcommand("diff", "Compare two runs: NEW against OLD, with NEW/OLD ratios");
  cmd->add_option("OLD", options->old_path, "Snapshot file or run directory of the reference run")
      ->required();
  cmd->add_option("NEW", options->new_path, "Snapshot file or run directory of the run to compare")
      ->required();
  cmd->add_option("--format", options->format, "Output: text (default), csv or json");
  cmd->add_flag(
      "--timers", options->timers,
      "Compare the timers (prof::timeit, prof timeit, Google Benchmark JSON): medians, ratio, and a "
      "Mann-Whitney U test on the samples (p < 0.05) for a verdict");
  cmd->add_option("--threshold", options->threshold,
                  "With --timers: smallest change called a regression or an improvement, as a fraction "
                  "(default 0.05 = 5 %)")
      ->check(CLI::Validator(
          [](std::string& text) {
            // CLI::Range lets NaN through (every comparison with it is false).
            return std::isnan(std::strtod(text.c_str(), nullptr)) ? std::string("not a number")
                                                                  : std::string();
          },
          "", "finite"))
      ->check(CLI::Range(0.0, 10.0));
  cmd->add_flag("--scopes", options->scopes,
                "Compare the scopes: cumulative time old, new, change and ratio, biggest change first");
  cmd->add_flag("--no-compensate", options->no_compensate,
                "With --scopes: raw times, without subtracting the instrumentation's calibrated cost");
  cmd->add_flag(
      "--mem", options->memory,
      "Compare the memory sites (tracemalloc's compare_to): size and count in NEW with their changes, "
      "biggest change of size first");
  cmd->add_option("--by", options->mem_by,
                  "With --mem: line (default), function, file or traceback; with --samples alone: function "
                  "(default), line, file or module");
  cmd->add_flag("--samples", options->samples,
                "Compare the samples: each function's share of its run's samples (self and total %) in OLD "
                "and NEW, and the change in points, biggest first");
  cmd->add_option("--view", options->mem_view,
                  "With --mem: peak (default), leaks, allocations, temporary or total");
  cmd->add_option(
         "--exclude-function", options->mem_filters.exclude_functions,
         "With --mem: skip frames of functions matching this glob (repeatable): a wrapper's bytes go "
         "to its callers")
      ->type_name("PATTERN");
  cmd->add_option("--include-file", options->mem_filters.include_files,
                  "With --mem: charge only frames whose file matches this glob (repeatable)")
      ->type_name("GLOB");
  cmd->add_option("--exclude-module", options->mem_filters.exclude_modules,
                  "With --mem: skip frames of modules matching this glob (repeatable)")
      ->type_name("GLOB");
  cmd->add_flag("--allow-mixed-modes", options->allow_mixed_modes,
                "Compare a run the memory tracer sampled (prof run --mem-sample: estimates) with an exact "
                "one; refused otherwise");
  cmd->add_option("--top", options->mem_top,
                  "With --mem or --samples: rows shown (text: 10; csv and json: all rows unless --top is "
                  "given)");
  cmd->footer(
      "Examples:\n"
      "  prof diff before/ after/                  two run directories\n"
      "  prof diff old.123.prof.json new.456.prof.json\n"
      "  prof diff before/ after/ --format csv     metric,old,new,ratio in seconds and bytes\n"
      "  prof diff old.json new.json --timers      Google Benchmark JSON (--benchmark_out) or snapshots\n"
      "  prof diff a/ b/ --timers --threshold 0.02 call changes of 2 % and more\n"
      "  prof diff before/ after/ --scopes         scopes by the size of their change, with ratios\n"
      "  prof diff a/ b/ --scopes --format csv     name,file,line,old_calls,...,change_seconds,ratio\n"
      "  prof diff before/ after/ --mem            memory sites: size=, count= and their changes\n"
      "  prof diff before/ after/ --samples        sampled functions: old %, new %, change in points\n"
      "  prof diff a/ b/ --samples --by line       the same per source line\n");
  cmd->callback([options, cmd, &exit_code] {
    ignore_sigpipe();
    options->top_given = cmd->get_option("--top")->count() > 0;
    options->by_given = cmd->get_option("--by")->count() > 0;
    run_diff(*options);
    exit_code = 0;
  });
}

}  // namespace prof::viewer
