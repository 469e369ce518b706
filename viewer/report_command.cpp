// `prof report [options] PATH...`: what one run (or several) did, read from its snapshots.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "commands.hpp"
#include "error.hpp"
#include "merge/report_merge.hpp"
#include "read/snapshot_files.hpp"
#include "render/render.hpp"
#include "report/memory/memory_section.hpp"
#include "report/mpi/mpi_section.hpp"
#include "report/processes/processes_section.hpp"
#include "report/processes/rank_census.hpp"
#include "report/processes/ranks_section.hpp"
#include "report/samples/samples_section.hpp"
#include "report/scopes/scope_section.hpp"
#include "report/timers/timers_section.hpp"
#include "terminal.hpp"

namespace prof::viewer {

namespace {

struct ReportOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  std::size_t top = 20;  // text; csv and json keep every row unless --top is given
  bool across = false;   // --across: only the "across N processes" tables
  std::string sort;
  bool meta = false, memory = false, scopes = false, timers = false, mpi = false, by_rank = false,
       samples = false;
  std::optional<std::int64_t> rank, pid;  // --rank, --pid: the report of one process
  ScopeReportOptions scope;     // --tree, --callers, --callees, --threads, --no-compensate, --min-percent
  MemoryReportOptions mem;      // --by, --view, --keep-system-frames, --timeline, --tree with --mem
  SamplesReportOptions sample;  // with --samples: --by, --tree, --callers, --callees, --threads
  std::string mem_by = "line", mem_view = "peak";
  std::size_t width = 0;  // --width; 0: COLUMNS, else 80
};

OutputFormat parse_format(const std::string& name) {
  if (name == "text") return OutputFormat::text;
  if (name == "csv") return OutputFormat::csv;
  if (name == "json") return OutputFormat::json;
  throw UserError("--format", fmt::format("unknown format \"{}\" (choose text, csv or json)", name));
}

std::vector<Section> build_sections(const ReportMerge& merge, const ReportOptions& options) {
  const auto& processes = merge.processes();
  const bool chosen = options.meta || options.memory || options.scopes || options.timers || options.mpi ||
                      options.by_rank || options.samples;
  std::vector<Section> sections;
  // Google Benchmark files hold timers only: by default their made-up process is left out of the table.
  bool only_benchmarks = std::all_of(processes.begin(), processes.end(),
                                     [](const Snapshot& s) { return s.meta.writer == "google-benchmark"; });
  const bool whole_job = !options.rank && !options.pid;  // --rank/--pid leave the other ranks out on purpose
  if ((!chosen && !only_benchmarks) || options.meta)
    sections.push_back(processes_section(processes, whole_job));
  if (options.by_rank) sections.push_back(ranks_section(processes, whole_job));
  if (!chosen || options.scopes) sections.push_back(scope_section(merge.scopes(), options.scope));
  if (!chosen || options.memory) sections.push_back(memory_section(merge.memory(), options.mem));
  if (!chosen || options.mpi) sections.push_back(mpi_section(processes));
  if (!chosen || options.samples) sections.push_back(samples_section(merge.samples(), options.sample));
  if (!chosen || options.timers) sections.push_back(timers_section(processes));
  // By default a section that is not in the snapshots is simply not mentioned.
  if (!chosen) std::erase_if(sections, [](const Section& s) { return !s.present; });
  return sections;
}

void apply_sort_and_top(std::vector<Section>& sections, const ReportOptions& options) {
  if (!options.sort.empty()) {
    std::set<std::string> keys;
    bool known = false;
    for (auto& section : sections)
      for (auto& table : section.tables) {
        for (const auto& column : table.columns)
          keys.insert(column.key);
        if (table.has_column(options.sort)) {
          table.sort_by(options.sort);
          known = true;
        }
      }
    if (!known)
      throw UserError("--sort", fmt::format("no table shown has a column \"{}\" (choose from: {})",
                                            options.sort, fmt::join(keys, ", ")));
  }
  for (auto& section : sections)
    for (auto& table : section.tables)
      table.keep_top(options.top);
}

// One csv output holds one table: the "across N processes" tables are a view of their own (--across) there.
// Text and json show both by default; --across shows only them in every format.
void choose_across(std::vector<Section>& sections, const ReportOptions& options, OutputFormat format) {
  bool any = false;
  for (auto& section : sections) {
    if (options.across || format == OutputFormat::csv)
      std::erase_if(section.tables, [&](const Table& t) { return (t.key == "across") != options.across; });
    for (const auto& table : section.tables)
      any = any || table.key == "across";
  }
  if (options.across && !any)
    throw UserError("--across",
                    "no table across processes: these snapshots hold one process, or the "
                    "sections shown have none (scopes, memory sites, MPI operations and samples do)");
}

// Text is for people: 20 rows a table, 10 memory sites. Machine formats carry every row unless --top says.
void apply_default_top(const CLI::App& cmd, ReportOptions& options) {
  if (cmd.get_option("--top")->count() > 0 || options.format == "text") return;
  options.top = SIZE_MAX;
  options.mem.top = SIZE_MAX;
}

void add_scope_report_flags(CLI::App& cmd, ReportOptions& options) {
  auto& scope = options.scope;
  cmd.add_flag_callback(
      "--tree", [&scope] { scope.view = ScopeReportOptions::View::tree; },
      "Scopes as a call tree with inclusive % of the total, heaviest first (--top applies only when given)");
  cmd.add_option_function<std::string>(
         "--callers",
         [&scope](const std::string& name) {
           scope.view = ScopeReportOptions::View::callers;
           scope.name = name;
         },
         "Who called the scope NAME (exact name, or a part of exactly one name), with calls and times")
      ->type_name("NAME");
  cmd.add_option_function<std::string>(
         "--callees",
         [&scope](const std::string& name) {
           scope.view = ScopeReportOptions::View::callees;
           scope.name = name;
         },
         "What the scope NAME called, with the callees' calls and times there")
      ->type_name("NAME");
  cmd.add_flag("--threads", scope.threads,
               "Scopes (or samples, with --samples): one table per thread instead of all merged");
  cmd.add_flag_callback(
      "--no-compensate", [&scope] { scope.times = ScopeTimes::raw; },
      "Scopes: raw times, without subtracting the calibrated cost of the instrumentation");
  cmd.add_option("--min-percent", scope.min_percent,
                 "--tree hides nodes under this % of the total (default 1; with --samples 0.5)");
}

void add_memory_report_flags(CLI::App& cmd, ReportOptions& options) {
  cmd.add_option(
      "--by", options.mem_by,
      "Memory: group sites by line (default: the innermost line of your own code), function, file or "
      "traceback; with --samples: function (default), line, file or module");
  cmd.add_option(
      "--view", options.mem_view,
      "Memory: peak (live at the high-water mark, default), leaks, allocations, temporary or total");
  cmd.add_flag(
      "--keep-system-frames", options.mem.keep_system_frames,
      "Memory: charge sites to libc, libstdc++ and /usr/include frames too instead of skipping them");
  cmd.add_flag("--timeline", options.mem.timeline, "Memory: the live heap over time as a text chart");
  auto& filters = options.mem.filters;
  cmd.add_option("--exclude-function", filters.exclude_functions,
                 "Memory: skip frames of functions matching this glob (repeatable), as system frames are: "
                 "an allocator wrapper's bytes go to its callers")
      ->type_name("PATTERN");
  cmd.add_option("--include-file", filters.include_files,
                 "Memory: charge only frames whose file (path or base name) matches this glob (repeatable)")
      ->type_name("GLOB");
  cmd.add_option("--exclude-module", filters.exclude_modules,
                 "Memory: skip frames of modules (path or base name) matching this glob (repeatable)")
      ->type_name("GLOB");
  cmd.add_flag("--cumulative", options.mem.cumulative,
               "Memory: every line, function or file on a stack gets its bytes once (inclusive, as "
               "tracemalloc's cumulative=True); with --mem, --callers/--callees F show F's neighbours");
}

// --width N, else COLUMNS, else 80: names shorten to what the text may hold.
std::size_t text_width(std::size_t given) {
  if (given > 0) return given;
  if (const char* columns = std::getenv("COLUMNS")) {
    char* end = nullptr;
    auto value = std::strtol(columns, &end, 10);
    if (end != columns && *end == '\0' && value >= 40 && value <= 10000)
      return static_cast<std::size_t>(value);
  }
  return 80;
}

// Memory flags imply --mem; --tree with --mem is the memory tree (the stacks below each site).
void check_memory_report_flags(const CLI::App& cmd, ReportOptions& options) {
  auto given = [&](const char* name) { return cmd.get_option(name)->count() > 0; };
  // With --samples and without --mem, --by groups the samples (function, line, file or module).
  const bool by_for_samples = options.samples && !options.memory;
  if (by_for_samples)
    options.sample.by =
        parse_sample_key(options.mem_by == "line" && !given("--by") ? "function" : options.mem_by);
  if ((given("--by") && !by_for_samples) || given("--view") || given("--keep-system-frames") ||
      given("--timeline") || given("--exclude-function") || given("--include-file") ||
      given("--exclude-module") || given("--cumulative"))
    options.memory = true;
  // With --mem, --callers F and --callees F are about the stacks of the allocations.
  if (options.memory && (given("--callers") || given("--callees"))) {
    options.mem.neighbours = given("--callers") ? MemoryReportOptions::Neighbours::callers
                                                : MemoryReportOptions::Neighbours::callees;
    options.mem.function = options.scope.name;
    options.scope.view = ScopeReportOptions::View::flat;
  }
  if (options.mem.cumulative && options.mem_by == "traceback")
    throw UserError("--cumulative",
                    "a traceback is already the whole stack: choose --by line, function or file");
  if (!by_for_samples) options.mem.by = parse_memory_key(options.mem_by);
  options.mem.view = parse_memory_view(options.mem_view);
  options.mem.tree = options.memory && given("--tree");
  if (options.mem.tree) options.scope.view = ScopeReportOptions::View::flat;
  options.mem.top = given("--top") ? options.top : 10;
}

void check_scope_report_flags(const CLI::App& cmd, ReportOptions& options) {
  auto given = [&](const char* name) { return cmd.get_option(name)->count() > 0; };
  int views = (given("--tree") && !options.mem.tree) + given("--callers") + given("--callees");
  if (views > 1) throw UserError("--tree", "choose one of --tree, --callers and --callees");
  const bool memory_view =
      options.mem.tree || options.mem.neighbours != MemoryReportOptions::Neighbours::none;
  if ((views > 0 && !memory_view && !options.samples) ||
      ((given("--threads") || given("--min-percent")) && !options.samples) || given("--no-compensate"))
    options.scopes = true;
  // With --samples, the views are the samples' (and the scopes' too when --scopes is given as well).
  if (options.samples && !memory_view) {
    using View = SamplesReportOptions::View;
    options.sample.view = given("--tree")      ? View::tree
                          : given("--callers") ? View::callers
                          : given("--callees") ? View::callees
                                               : View::flat;
    options.sample.name = options.scope.name;
    options.sample.threads = options.scope.threads;
    if (given("--min-percent")) options.sample.min_percent = options.scope.min_percent;
  }
  if (given("--tree") && !options.mem.tree && !options.sort.empty())
    throw UserError("--sort", "the tree keeps its own order (heaviest child first); drop --sort");
  // A tree cut after 20 rows would lose whole branches; --min-percent is its limit.
  if (given("--tree") && !given("--top")) options.top = SIZE_MAX;
  if (!(options.scope.min_percent >= 0))
    throw UserError("--min-percent", "must be a number of percent, 0 or more");
}

void run_report(const ReportOptions& options) {
  auto format = parse_format(options.format);
  auto files = only_process(list_snapshot_files(options.paths), options.rank, options.pid);
  auto with_format = options;
  with_format.scope.text = format == OutputFormat::text;
  with_format.mem.text = format == OutputFormat::text;
  with_format.sample.text = format == OutputFormat::text;
  const bool chosen = options.meta || options.memory || options.scopes || options.timers || options.mpi ||
                      options.by_rank || options.samples;
  ReportMerge merge(with_format.scope.times, with_format.scope.threads, !chosen || options.scopes,
                    with_format.mem, !chosen || options.memory);
  merge_files(files, merge);
  auto sections = build_sections(merge, with_format);
  choose_across(sections, options, format);
  apply_sort_and_top(sections, options);
  std::string out;
  switch (format) {
    case OutputFormat::text:
      out = render_text(sections, {.colour = stdout_wants_colour(), .width = text_width(options.width)});
      // Ranks missing or ended badly: said first, before any figure is read as the whole job's.
      if (auto warning = rank_census_warning(rank_census(merge.processes()));
          !warning.empty() && !options.rank && !options.pid)
        out = fmt::format("warning: {}\n\n{}", warning, out);
      break;
    case OutputFormat::csv:
      // csv holds tables only; a requested section that is absent is said on stderr, keeping stdout clean.
      for (const auto& section : sections) {
        if (!section.present) std::fprintf(stderr, "prof: %s\n", section.absent_note.c_str());
        for (const auto& warning : section.warnings)
          std::fprintf(stderr, "prof: warning: %s\n", warning.c_str());
      }
      out = render_csv(sections);
      break;
    case OutputFormat::json:
      out = render_json(sections);
      break;
  }
  write_stdout(out);
}

}  // namespace

void add_report_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ReportOptions>();
  auto* cmd = app.add_subcommand("report", "Show what the processes of a run did, from their snapshots");
  cmd->add_option("PATH", options->paths,
                  "Snapshot files, or directories of *.prof.json (merged into one report)")
      ->required();
  cmd->add_option("--format", options->format, "Output: text (default), csv (tables only) or json");
  cmd->add_option("--top", options->top,
                  "Rows kept in each table (text: 20, memory sites 10, --tree all; csv and json: all rows "
                  "unless --top is given)");
  cmd->add_flag("--across", options->across,
                "Only the tables across processes (sum, min, mean, max, cv, max/mean per scope, memory site "
                "or MPI operation); csv shows them only with --across, one table per output");
  cmd->add_option(
      "--sort", options->sort,
      "Sort tables by this column: pid, ppid, program, exit, wall, cpu, max_rss; scopes: total (cumtime, "
      "the default), self (tottime), calls, name; memory: peak, allocated, allocations, leaked; timers: "
      "name, runs, min, median");
  cmd->add_flag("--meta", options->meta, "Show the processes section");
  cmd->add_flag("--mem", options->memory, "Show the memory section");
  cmd->add_flag("--scopes", options->scopes, "Show the scopes section");
  cmd->add_flag("--timers", options->timers,
                "Show the timers section (prof::timeit, prof timeit, Google Benchmark JSON files)");
  cmd->add_flag("--mpi", options->mpi,
                "Show the MPI section: per operation calls, bytes, time, and the time across ranks");
  cmd->add_flag("--samples", options->samples,
                "Show the samples section (prof run's sampling profiler): per function self %, total %, "
                "samples, estimated seconds; with --by, --tree, --callers, --callees, --threads");
  cmd->add_flag(
      "--by-rank", options->by_rank,
      "One row per rank (or process): rank, host, pid, wall, cpu, peak heap, peak rss, MPI time and "
      "its % of wall");
  cmd->add_option("--rank", options->rank, "Report only the process of MPI rank R")->type_name("R");
  cmd->add_option("--pid", options->pid, "Report only the process PID")->type_name("PID");
  cmd->add_option(
         "--width", options->width,
         "Text: columns a line may take (default: COLUMNS, else 80); long names shorten in the middle")
      ->type_name("N");
  add_scope_report_flags(*cmd, *options);
  add_memory_report_flags(*cmd, *options);
  cmd->footer(
      "With no section flag, every section present is summarised.\n"
      "Examples:\n"
      "  prof report prof-run/                         every snapshot of a run directory\n"
      "  prof report solver.4242.prof.json --mem       memory section of one process\n"
      "  prof report run/ --sort max_rss --top 5       the five processes with the largest RSS\n"
      "  prof report run/ --meta --format csv > p.csv  the process table for a spreadsheet\n"
      "  prof report a/ b/ --format json               two runs merged, as JSON\n"
      "  prof report --timers bench.json               Google Benchmark JSON (--benchmark_out=bench.json)\n"
      "Scope reports (pstats-like; --tree, --callers, --callees and --threads imply --scopes):\n"
      "  prof report run/ --scopes                     flat profile: ncalls tottime percall cumtime\n"
      "                                                percall name  file:line, sorted by cumtime\n"
      "  prof report run/ --scopes --sort self --top 10   the ten scopes with the most own time\n"
      "  prof report run/ --tree --min-percent 5       call tree, nodes of 5 % of the total or more\n"
      "  prof report run/ --callers solve              who called solve, with calls and times\n"
      "  prof report run/ --callees Solver::step       what ns::Solver::step called\n"
      "  prof report run/ --scopes --threads           one table per thread (pid, thread name, tid)\n"
      "  prof report run/ --scopes --no-compensate     raw times, instrumentation cost included\n"
      "  prof report run/ --scopes --format csv        name,file,line,calls,primitive_calls,\n"
      "                                                self_seconds,total_seconds,...\n"
      "Memory reports (tracemalloc-like; --by, --view, --timeline, --cumulative and the filters imply "
      "--mem):\n"
      "  prof report run/ --mem                        top 10 lines of your code by bytes live at the peak\n"
      "  prof report run/ --view leaks --by function   what leaked, per function\n"
      "  prof report run/ --mem --tree --top 3         the stacks below the three biggest sites\n"
      "  prof report run/ --mem --timeline             the live heap over time\n"
      "  prof report run/ --mem --format csv           file,line,function,allocations,allocated_bytes,...\n"
      "  prof report run/ --mem --exclude-function 'Memory::s*alloc'   a wrapper's bytes go to its callers\n"
      "  prof report run/ --by function --cumulative   inclusive bytes: every function on the stack\n"
      "  prof report run/ --mem --callers grow         who calls grow, for how many bytes (--callees: what\n"
      "                                                grow calls)\n"
      "Sample reports (perf report / pprof top; prof run samples every thread, --sample-clock wall for\n"
      "real time):\n"
      "  prof report run/ --samples                    flat: self %, total %, samples, seconds per "
      "function;\n"
      "                                                wall clock: waiting % and running/waiting shares\n"
      "  prof report run/ --samples --by line          per source line (file:line); --by file, --by module\n"
      "  prof report run/ --samples --tree             call tree, inclusive %, heaviest first\n"
      "  prof report run/ --samples --callers solve    who called solve, samples per caller (--callees:\n"
      "                                                what solve called, its own samples as (self))\n"
      "  prof report run/ --samples --threads          one table per thread (pid, tid, thread name)\n"
      "  prof report run/ --samples --across           seconds per function across ranks: min (rank),\n"
      "                                                mean, max (rank), cv, max/mean\n"
      "Several processes (MPI ranks, fork pools; merged as a stream, one snapshot in memory at a time):\n"
      "  prof report run/                              scopes and memory sites get a second table\n"
      "                                                \"across N ranks\": sum, min (rank), mean, max "
      "(rank),\n"
      "                                                cv (stddev / mean), max/mean (imbalance); a process\n"
      "                                                without the row counts as 0. Per process: cumtime "
      "for\n"
      "                                                scopes, the --view's bytes (or count) for memory.\n"
      "                                                csv/json columns: name, sum, min, min_rank, mean, "
      "max,\n"
      "                                                max_rank, cv, imbalance (min_pid/max_pid without "
      "ranks;\n"
      "                                                cv, imbalance empty when every process has 0)\n"
      "  prof report run/ --scopes --across --format csv   only the across table (csv: one table each)\n"
      "  prof report run/ --by-rank                    rank, host, pid, wall, cpu, peak heap, peak rss, mpi\n"
      "  prof report run/ --rank 3 --mem               only rank 3 (--pid P: only process P)\n"
      "  prof report run/ --mpi                        MPI operations: calls, bytes, time, across ranks\n"
      "The processes section shows parents and children (fork pools) as a tree, and warns when the\n"
      "processes of a host ran more threads at once than it has cores (csv: on stderr, json: "
      "\"warnings\").\n");
  cmd->callback([options, cmd, &exit_code] {
    ignore_sigpipe();
    check_memory_report_flags(*cmd, *options);
    check_scope_report_flags(*cmd, *options);
    apply_default_top(*cmd, *options);
    run_report(*options);
    exit_code = 0;
  });
}

}  // namespace prof::viewer
