#include "run/run_program.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "large_pages.hpp"
#include "run/child_environment.hpp"
#include "run/exit_status.hpp"
#include "run/launch.hpp"
#include "run/mpi_layer.hpp"
#include "run/run_directory.hpp"
#include "run/run_summary.hpp"
#include "run/shim_location.hpp"
#include "run/signal_forwarding.hpp"
#include "run/untraceable.hpp"
#include "symbolise/symbolised_file.hpp"

namespace prof::viewer::run {

namespace {

// The loader would not load the shim: run the program as it is, with prof's environment left out.
int run_untraced(const RunOptions& options, const std::string& reason) {
  const std::string& program = options.command.front();
  std::fprintf(stderr, "prof: %s is %s: it runs untraced, no snapshot\n", program.c_str(), reason.c_str());
  ChildEnvironment environment({}, {}, true);
  SignalForwarding signals;
  const Launch launch = launch_program(options.command, environment, signals);
  if (launch.exec_error != 0) {
    std::fprintf(stderr, "prof: error: %s: %s\n", program.c_str(), std::strerror(launch.exec_error));
    return exit_code_of_exec_error(launch.exec_error);
  }
  return exit_code_of_wait_status(signals.wait_for(launch.pid));
}

constexpr std::uintmax_t kLargePagesFrom = std::uintmax_t{3} << 20;

// Under an MPI launcher every rank's prof shares the output directory: each one counts and symbolises only
// its own rank's snapshots (their names carry the rank), never another prof's file while it works on it.
bool is_own_snapshot(const std::string& name, long rank) {
  return rank < 0 || name.find(fmt::format(".r{:04d}.", rank)) != std::string::npos;
}

}  // namespace

int run_program(const RunOptions& options) {
  const std::string& program = options.command.front();
  if (const std::string reason = untraceable_reason(program); !reason.empty())
    return run_untraced(options, reason);
  const std::filesystem::path shim = locate_preload_shim();
  const OutputDir dir = prepare_output_dir(options.output_dir, program);
  // A reused directory may hold snapshots of earlier runs: count only the names that appear now.
  const std::set<std::string> before = snapshot_names(dir.absolute);

  std::vector<std::filesystem::path> preloads{shim};
  if (std::filesystem::path mpi = mpi_layer_to_preload(options.mpi, shim); !mpi.empty())
    preloads.push_back(mpi);
  const long rank = launcher_rank();

  ChildEnvironment environment(preloads, dir.absolute, options.follow, options.sample_hz);
  SignalForwarding signals;
  const Launch launch = launch_program(options.command, environment, signals);
  if (launch.exec_error != 0) {
    discard_if_unused(dir);
    std::fprintf(stderr, "prof: error: %s: %s\n", program.c_str(), std::strerror(launch.exec_error));
    return exit_code_of_exec_error(launch.exec_error);
  }
  // wait_for gives prof its own signals back: SIGTERM or SIGINT end the symbolising below, like any program.
  const int status = signals.wait_for(launch.pid);

  std::vector<std::string> files;
  std::uintmax_t bytes = 0;
  for (const auto& name : new_snapshot_names(dir.absolute, before)) {
    if (!is_own_snapshot(name, rank)) continue;
    files.push_back((dir.absolute / name).string());
    std::error_code ignored;
    const std::uintmax_t size = std::filesystem::file_size(files.back(), ignored);
    if (!ignored) bytes += size;
  }
  // Past 3 MB, reading the snapshots costs more in page faults than a second start of prof: with the start
  // counted, large pages took 0.5 ms more CPU on a 2.5 MB snapshot's finish, and 7-9 ms less on a 6.3 MB one
  // (docs/PERFORMANCE.md).
  if (bytes >= kLargePagesFrom) {
    std::vector<std::string> arguments{"prof", kFinishRun, dir.shown, std::to_string(status)};
    arguments.insert(arguments.end(), files.begin(), files.end());
    restart_with_large_pages(arguments);
  }
  return finish_run(files, dir.shown, status);
}

int finish_run(const std::vector<std::string>& files, const std::string& shown_dir, int wait_status) {
  // Symbols are looked up now, outside the program and after it ended, while its binaries are still here.
  for (const std::string& file : files)
    symbolise_snapshot_file(file);
  std::fprintf(stderr, "%s\n", summary_line(files.size(), shown_dir, wait_status).c_str());
  return exit_code_of_wait_status(wait_status);
}

int finish_run_command(int argc, char** argv) {
  if (argc < 4) return 2;
  return finish_run(std::vector<std::string>(argv + 4, argv + argc), argv[2], std::atoi(argv[3]));
}

}  // namespace prof::viewer::run
