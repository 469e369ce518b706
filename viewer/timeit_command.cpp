// `prof timeit [--runs N] [--warmup N] [-o FILE] 'CMD' ['CMD2' ...]`: times whole commands as processes.
#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "commands.hpp"
#include "error.hpp"
#include "terminal.hpp"
#include "timeit/statistics.hpp"
#include "timeit_command/results.hpp"
#include "timeit_command/runner.hpp"
#include "timeit_command/snapshot.hpp"
#include "units.hpp"

namespace prof::viewer {

namespace {

struct TimeitOptions {
  std::vector<std::string> commands;
  std::size_t runs = 10;
  std::size_t warmup = 1;
  std::string output;
  bool show_output = false;
  bool ignore_failure = false;
};

struct Measurements {
  std::vector<double> wall, user, system;
};

CommandRun run_checked(const std::string& command, const TimeitOptions& options) {
  auto run = run_command_once(command, options.show_output);
  if (run.failed() && !options.ignore_failure) {
    auto how = run.signal ? fmt::format("was killed by signal {}", run.signal)
                          : fmt::format("exited with code {}", run.exit_code);
    throw UserError(fmt::format("'{}'", command),
                    fmt::format("the command {} (--ignore-failure times it anyway)", how));
  }
  return run;
}

// Rounds run every command once, alternating the order, so drift of a shared machine hits all of them alike
// and round i of two commands can be paired.
std::vector<Measurements> measure(const TimeitOptions& options) {
  const auto& commands = options.commands;
  for (const auto& command : commands)
    for (std::size_t i = 0; i < options.warmup; ++i)
      run_checked(command, options);
  std::vector<Measurements> measurements(commands.size());
  for (std::size_t round = 0; round < options.runs; ++round) {
    for (std::size_t k = 0; k < commands.size(); ++k) {
      auto index = round % 2 == 0 ? k : commands.size() - 1 - k;
      auto run = run_checked(commands[index], options);
      measurements[index].wall.push_back(run.wall_seconds);
      measurements[index].user.push_back(run.user_seconds);
      measurements[index].system.push_back(run.system_seconds);
    }
  }
  return measurements;
}

std::string describe(const CommandTiming& command) {
  const auto& t = command.timing;
  auto max = *std::max_element(t.samples.begin(), t.samples.end());
  auto out = fmt::format("'{}'\n", t.name);
  out += fmt::format("  {} runs: median {} +- {} (MAD), mean {}, stddev {}, min {}, max {}\n", t.runs,
                     format_seconds(*t.median), format_seconds(*t.mad), format_seconds(*t.mean),
                     format_seconds(*t.stddev), format_seconds(*t.min), format_seconds(max));
  out += fmt::format("  median's 95 % CI {} - {}; user {}, system {} (medians per run)\n",
                     format_seconds(*t.ci_low), format_seconds(*t.ci_high),
                     format_seconds(stats::median(t.user_seconds)),
                     format_seconds(stats::median(t.system_seconds)));
  for (auto i : command.outliers)
    out += fmt::format("  outlier: run {} took {} (more than {} robust deviations from the median)\n", i + 1,
                       format_seconds(t.samples[i]), kOutlierScore);
  if (t.noisy) out += fmt::format("  noisy: {}\n", t.noisy_reason);
  return out;
}

std::string default_output_name() {
  return fmt::format("prof.timeit.{}.prof.json", getpid());
}

void run_timeit(const TimeitOptions& options) {
  if (!options.output.empty() && std::filesystem::exists(std::filesystem::symlink_status(options.output)))
    throw UserError(options.output, "already exists (prof timeit never replaces a file)");
  auto process = timeit_process_start();
  auto measurements = measure(options);
  std::vector<CommandTiming> timings;
  for (std::size_t i = 0; i < options.commands.size(); ++i)
    timings.push_back(summarize_command(options.commands[i], measurements[i].wall, measurements[i].user,
                                        measurements[i].system));
  std::vector<Comparison> comparisons;
  for (std::size_t i = 1; i < timings.size(); ++i)
    comparisons.push_back(compare_commands(timings[i], timings[0]));
  auto json = timeit_snapshot_json(process, timings, comparisons);
  auto written = options.output.empty() ? publish_new_file(default_output_name(), json, true)
                                        : publish_new_file(options.output, json, false);
  std::string out;
  for (const auto& timing : timings)
    out += describe(timing);
  if (!comparisons.empty()) out += "\n";
  for (const auto& comparison : comparisons)
    out += comparison.verdict + "\n";
  write_stdout(out);
  std::fprintf(stderr, "prof: results in %s (prof report --timers %s)\n", written.c_str(), written.c_str());
}

}  // namespace

void add_timeit_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<TimeitOptions>();
  auto* cmd = app.add_subcommand("timeit", "Time whole commands as processes, and compare them");
  cmd->add_option("COMMAND", options->commands,
                  "Shell commands (run by /bin/sh -c); every one after the first is compared with the first")
      ->required();
  cmd->add_option("--runs", options->runs, "Timed runs of each command (default 10)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  cmd->add_option("--warmup", options->warmup, "Untimed runs of each command first (default 1)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1000000}));
  cmd->add_option("-o,--output", options->output,
                  "Snapshot file to write (never replaced; default prof.timeit.PID.prof.json here)");
  cmd->add_flag(
      "--show-output", options->show_output,
      "Let the commands write to the terminal (by default their stdout and stderr go to /dev/null)");
  cmd->add_flag("--ignore-failure", options->ignore_failure,
                "Time commands that exit with a non-zero code instead of stopping with an error");
  cmd->footer(
      "Runs interleave the commands (order alternating), so a slow moment of the machine hits all of them.\n"
      "Wall time is CLOCK_MONOTONIC around each run; user and system time come from wait4.\n"
      "Examples:\n"
      "  prof timeit 'sleep 0.1'                               statistics of one command\n"
      "  prof timeit --runs 20 'gzip -k -f big' 'zstd -f big'  zstd against gzip, with the ratio's CI\n"
      "  prof timeit --warmup 3 -o make.prof.json 'make -s'    results into a chosen file\n"
      "  prof report --timers make.prof.json                   the results again, as a table\n");
  cmd->callback([options, &exit_code] {
    run_timeit(*options);
    exit_code = 0;
  });
}

}  // namespace prof::viewer
