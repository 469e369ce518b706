// `prof flamegraph [options] PATH... -o FILE`: the run's scopes (cumulative time), CPU samples (--samples) or
// memory (--mem, --view)
// as a flame graph: an interactive self-contained HTML page (default), a static SVG, or a compact text flame
// for a terminal. Merged over threads and processes as `prof report` merges (streamed, one snapshot at a
// time), or one process with --rank/--pid; --diff OLD NEW colours what grew and what shrank.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "error.hpp"
#include "flamegraph/flame_sources.hpp"
#include "flamegraph/html_writer.hpp"
#include "flamegraph/svg_writer.hpp"
#include "flamegraph/text_flame.hpp"
#include "merge/memory_stacks.hpp"
#include "merge/report_merge.hpp"
#include "output_file.hpp"
#include "read/snapshot_files.hpp"
#include "read/snapshot_reader.hpp"
#include "symbolise/symbolised_file.hpp"
#include "terminal.hpp"

namespace prof::viewer {

namespace {

struct FlameOptions {
  std::vector<std::string> paths;
  std::string output, format = "html", view = "peak";
  bool memory = false, scopes = false, samples = false, diff = false, force = false,
       keep_system_frames = false;
  bool no_compensate = false;
  double min_percent = 1;
  std::optional<std::int64_t> rank, pid;
};

enum class Source { scopes, samples, memory };

// The files of PATHS, chosen by --rank/--pid.
std::vector<SnapshotFile> files_of(const std::vector<std::string>& paths, const FlameOptions& options) {
  std::vector<SnapshotFile> files;
  for (const auto& path : paths)
    for (auto& file : only_process(list_snapshot_files({path}), options.rank, options.pid, path))
      files.push_back(std::move(file));
  return files;
}

// The memory sites' stacks of `files`, folded one snapshot at a time; null when none has a memory section.
std::optional<MemoryStacks> memory_stacks_of(const std::vector<SnapshotFile>& files,
                                             bool keep_system_frames) {
  MemoryStacks stacks(keep_system_frames);
  bool any = false;
  for (const auto& file : files) {
    auto snapshot = read_snapshot_file(file.path);
    if (!snapshot.memory) continue;
    symbolise_loaded(snapshot);
    stacks.add(snapshot);
    any = true;
  }
  if (!any) return std::nullopt;
  return stacks;
}

// One side's tree: its files folded as prof report does, then the chosen accumulator made a flame tree. Only
// the accumulator drawn is folded (stacks cost more than scopes): with none of --scopes, --samples and
// --mem, the scopes, and only when there are none a second pass for the memory sites.
FlameTree flame_of(const std::vector<std::string>& paths, const FlameOptions& options,
                   std::optional<Source>& source) {
  auto view = parse_memory_view(options.view);
  auto files = files_of(paths, options);
  auto times = options.no_compensate ? ScopeTimes::raw : ScopeTimes::compensated;
  if (source != Source::memory) {
    // The samples' tree is small and always folded; the scopes only when they may be drawn.
    ReportMerge merge(times, false, source != Source::samples, MemoryReportOptions{}, false);
    merge_files(files, merge);
    if (source == Source::samples) {
      if (merge.samples().samples() == 0)
        throw UserError(paths.front(),
                        "no CPU samples in these snapshots (prof run samples unless told not to)");
      return samples_flame_tree(merge.samples());
    }
    if (merge.scopes().processes() > 0) {
      source = Source::scopes;
      return scope_flame_tree(merge.scopes());
    }
    if (source == Source::scopes) throw UserError(paths.front(), "no scopes in these snapshots");
  }
  auto stacks = memory_stacks_of(files, options.keep_system_frames);
  if (!stacks)
    throw UserError(paths.front(), source == Source::memory
                                       ? "no memory section in these snapshots"
                                       : "no scopes or memory section in these snapshots");
  source = Source::memory;
  return memory_flame_tree(*stacks, view);
}

void run_flamegraph(const FlameOptions& options) {
  if (options.format != "html" && options.format != "svg" && options.format != "text")
    throw UserError("--format",
                    fmt::format("unknown format \"{}\" (choose html, svg or text)", options.format));
  if (options.format != "text" && options.output.empty())
    throw UserError("-o", fmt::format("--format {} needs an output file: -o FILE", options.format));
  if (options.diff && options.paths.size() != 2) throw UserError("--diff", "give two paths: --diff OLD NEW");
  if (!(options.min_percent >= 0 && options.min_percent <= 100))
    throw UserError("--min-percent", "must be a number of percent between 0 and 100");
  std::optional<Source> source;
  if (options.memory) source = Source::memory;
  if (options.scopes) source = Source::scopes;
  if (options.samples) source = Source::samples;
  FlameTree tree;
  std::string described = fmt::format("{}", fmt::join(options.paths, " "));
  if (options.diff) {
    auto old_tree = flame_of({options.paths[0]}, options, source);
    auto new_tree = flame_of({options.paths[1]}, options, source);
    tree = diff_trees(old_tree, new_tree);
    described = fmt::format("{} -> {}", options.paths[0], options.paths[1]);
  } else {
    tree = flame_of(options.paths, options, source);
  }
  std::string out;
  if (options.format == "html")
    out = html_flame(tree, described);
  else if (options.format == "svg")
    out = svg_flame(tree);
  else
    out = text_flame(tree, {.min_percent = options.min_percent});
  if (options.output.empty() || options.output == "-") {
    write_stdout(out);
    return;
  }
  write_output_file(options.output, options.force, out);
}

}  // namespace

void add_flamegraph_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<FlameOptions>();
  auto* cmd =
      app.add_subcommand("flamegraph", "Draw the scopes, CPU samples or memory of a run as a flame graph");
  cmd->add_option("PATH", options->paths,
                  "Snapshot files or run directories (merged), or OLD NEW with --diff")
      ->required();
  cmd->add_option("-o,--output", options->output,
                  "The file to write (html and svg: required; text: stdout when absent or -)");
  cmd->add_option("--format", options->format,
                  "html (default: interactive, self-contained), svg (static) or text (for a terminal)");
  cmd->add_flag("--scopes", options->scopes, "Scopes: cumulative time per call path (the default)");
  cmd->add_flag("--samples", options->samples,
                "CPU samples: the sampling profiler's samples per call path (prof run records them)");
  cmd->add_flag("--mem", options->memory, "Memory: the --view's bytes (or count) per allocation stack");
  cmd->add_option("--view", options->view,
                  "Memory: peak (bytes live at the peak, default), leaks, total (bytes allocated), "
                  "allocations or temporary (counts); implies --mem");
  cmd->add_flag("--keep-system-frames", options->keep_system_frames,
                "Memory: keep libc, libstdc++ and /usr/include frames in the stacks");
  cmd->add_flag("--no-compensate", options->no_compensate,
                "Scopes: raw times, without subtracting the calibrated cost of the instrumentation");
  cmd->add_flag("--diff", options->diff,
                "Two paths OLD NEW: NEW's graph, coloured red where it grew and blue where it shrank");
  cmd->add_option("--rank", options->rank, "Only the process of MPI rank R")->type_name("R");
  cmd->add_option("--pid", options->pid, "Only the process PID")->type_name("PID");
  cmd->add_option("--min-percent", options->min_percent,
                  "Text: leave out frames under this % of the whole (default 1)");
  cmd->add_flag("--force", options->force, "Replace the output file if it exists");
  cmd->footer(
      "Examples:\n"
      "  prof flamegraph prof-run/ -o flame.html        scopes of every process, open in a browser\n"
      "  prof flamegraph run/ --samples -o cpu.html     CPU samples of every thread, no instrumentation\n"
      "  prof flamegraph run/ --mem -o mem.html         bytes live at the peak, per allocation stack\n"
      "  prof flamegraph run/ --view leaks -o leaks.svg --format svg\n"
      "  prof flamegraph run/ --rank 3 -o r3.html       rank 3 only (--pid P: process P)\n"
      "  prof flamegraph --diff old/ new/ -o diff.html  red: grew, blue: shrank\n"
      "  prof flamegraph run/ --format text --min-percent 5   a text flame for a terminal\n"
      "In the page: hover shows a frame's name, file:line and figures; click zooms (Esc or \"Reset zoom\"\n"
      "goes back); the search box highlights matching frames and sums them; \"Icicle\" puts the root on "
      "top.\n"
      "The page's URL may ask for a state: flame.html#zoom=NAME&search=TEXT&view=icicle.\n");
  cmd->callback([options, cmd, &exit_code] {
    ignore_sigpipe();
    if (cmd->get_option("--view")->count() > 0) options->memory = true;
    if (int{options->memory} + int{options->scopes} + int{options->samples} > 1)
      throw UserError(options->memory ? "--mem" : "--scopes", "choose one of --scopes, --samples and --mem");
    run_flamegraph(*options);
    exit_code = 0;
  });
}

}  // namespace prof::viewer
