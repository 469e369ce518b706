// `prof export PATH... --format F -o FILE`: the runs' scopes and memory in a format another tool opens
// (pstats, Chrome traces, speedscope, folded stacks; the formats are listed in export/formats.cpp).
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "error.hpp"
#include "export/export_data.hpp"
#include "export/formats.hpp"
#include "output_file.hpp"
#include "read/snapshot_files.hpp"
#include "read/snapshot_reader.hpp"
#include "symbolise/symbolised_file.hpp"

namespace prof::viewer {

namespace {

struct ExportCommandOptions {
  std::vector<std::string> paths;
  std::string format, output;
  bool force = false;
  std::optional<std::int64_t> rank, pid;
  ExportOptions data;
  std::string view = "peak";
};

void run_export(const ExportCommandOptions& options) {
  const auto& format = find_export_format(options.format);
  if (options.data.samples && format.name != "folded" && format.name != "speedscope" &&
      format.name != "pprof")
    throw UserError(
        "--samples",
        fmt::format("--format {} has no room for CPU samples (folded, speedscope or pprof do)", format.name));
  check_output_path(options.output, options.force);
  auto files = only_process(list_snapshot_files(options.paths), options.rank, options.pid);
  auto data_options = options.data;
  data_options.memory_stacks = format.memory_stacks;
  data_options.addressed_stacks = format.addressed_stacks;
  // Streamed as prof report streams: one snapshot in memory at a time, folded and dropped; a streamed
  // format writes its part of each before the next is read.
  write_output_file(options.output, options.force, [&](std::ostream& out) {
    ExportData data(data_options);
    auto stream = format.open ? format.open(data_options, files.size(), out) : nullptr;
    // One snapshot parsed at a time: parsing the next one on a second thread overlapped the folding, but
    // cost 20 % more CPU and 10-25 MB more peak RSS (speedscope of 1024 ranks went over 100 MB).
    for (const auto& file : files) {
      auto snapshot = read_snapshot_file(file.path);
      symbolise_loaded(snapshot);
      data.add(snapshot);
      if (stream) stream->add(data, snapshot);
    }
    data.finish();
    if (stream)
      stream->finish(data);
    else
      format.write(data, out);
  });
  std::fprintf(stderr, "prof: wrote %s (%s, from %zu snapshot%s)\n", options.output.c_str(),
               std::string(format.name).c_str(), files.size(), files.size() == 1 ? "" : "s");
}

std::string formats_help() {
  std::string help = "Output format:";
  for (const auto& format : export_formats())
    help += fmt::format("\n  {:<11} {}", format.name, format.description);
  return help;
}

}  // namespace

void add_export_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ExportCommandOptions>();
  auto* cmd = app.add_subcommand("export",
                                 "Write the runs' scopes and memory for other tools (pstats, Perfetto, "
                                 "speedscope, flamegraph.pl)");
  cmd->add_option("PATH", options->paths, "Snapshot files, or run directories of *.prof.json (merged)")
      ->required();
  cmd->add_option("--format", options->format, formats_help())->required()->type_name("FORMAT");
  cmd->add_option("-o,--output", options->output, "The file to write (atomically: whole or not at all)")
      ->required()
      ->type_name("FILE");
  cmd->add_flag("--force", options->force, "Replace FILE when it exists");
  cmd->add_option("--rank", options->rank, "Only the process of MPI rank R")->type_name("R");
  cmd->add_option("--pid", options->pid, "Only the process PID")->type_name("PID");
  cmd->add_flag_callback(
      "--no-compensate", [options] { options->data.times = ScopeTimes::raw; },
      "Scopes: raw times, without subtracting the calibrated cost of the instrumentation");
  cmd->add_flag("--mem", options->data.memory,
                "Memory instead of scopes where the format holds one profile (folded, speedscope, pprof)");
  cmd->add_flag("--samples", options->data.samples,
                "CPU samples (the sampling profiler's) instead of scopes (folded, speedscope, pprof)");
  cmd->add_option("--view", options->view,
                  "Memory: bytes live at the peak (default), leaks, allocations (implies --mem)");
  cmd->add_flag("--keep-system-frames", options->data.keep_system_frames,
                "Memory: keep libc, libstdc++ and /usr/include frames in the stacks");
  cmd->footer(
      "Examples:\n"
      "  prof export run/ --format pstats -o run.pstats       python3 -m pstats run.pstats, snakeviz\n"
      "  prof export run/ --format chrome -o run.trace.json   ui.perfetto.dev or chrome://tracing\n"
      "  prof export run/ --format speedscope -o run.speedscope.json   speedscope.app\n"
      "  prof export run/ --format folded -o run.folded       flamegraph.pl run.folded > run.svg\n"
      "  prof export run/ --format folded --view leaks -o leaks.folded   leaked bytes per stack\n"
      "  prof export run/ --format pprof --samples -o cpu.pb.gz   pprof -top cpu.pb.gz\n");
  cmd->callback([options, cmd, &exit_code] {
    if (cmd->get_option("--view")->count() > 0) options->data.memory = true;
    if (options->data.samples && options->data.memory)
      throw UserError("--samples", "choose one of --samples and --mem (or --view)");
    options->data.view = parse_memory_view(options->view);
    run_export(*options);
    exit_code = 0;
  });
}

}  // namespace prof::viewer
