// `prof timeit [--runs N] [--warmup N] [-o FILE] 'CMD' ['CMD2' ...]`: times whole commands as processes.
#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "commands.hpp"
#include "error.hpp"
#include "output_file.hpp"
#include "terminal.hpp"
#include "timeit/statistics.hpp"
#include "timeit_command/command_words.hpp"
#include "timeit_command/exports.hpp"
#include "timeit_command/parameters.hpp"
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
  std::string shell = "auto";
  bool no_shell = false;                // -N
  std::string prepare, setup;           // before every run / before each command's runs, untimed
  std::vector<std::string> scan, list;  // --parameter-scan NAME MIN MAX, --parameter-list NAME VALUES
  long step = 1;
  std::string export_json, export_csv, export_markdown;
};

struct Measurements {
  std::vector<double> wall, user, system;
  std::vector<int> exit_codes;
};

CommandRun run_checked(const Invocation& invocation, const TimeitOptions& options) {
  auto run = run_command_once(invocation, options.show_output);
  if (run.failed() && !options.ignore_failure) {
    auto how = run.signal ? fmt::format("was killed by signal {}", run.signal)
                          : fmt::format("exited with code {}", run.exit_code);
    throw UserError(fmt::format("'{}'", invocation.command),
                    fmt::format("the command {} (--ignore-failure times it anyway)", how));
  }
  return run;
}

// --prepare and --setup commands run through the shell like hyperfine's, and must succeed.
void run_helper(const std::string& command, const char* flag, const TimeitOptions& options) {
  if (command.empty()) return;
  auto run = run_command_once(invocation_for(command, ShellMode::shell), options.show_output);
  if (run.failed()) throw UserError(flag, fmt::format("'{}' failed (exit code {})", command, run.exit_code));
}

// What starting /bin/sh costs one run (median wall, user, system of `sh -c ''`), subtracted from the runs
// of commands that go through it so that their ratio is theirs, not the shell's.
struct ShellCost {
  double wall = 0, user = 0, system = 0;
};

ShellCost measure_shell_cost(std::size_t runs) {
  Measurements m;
  auto empty = invocation_for("true", ShellMode::shell);
  empty.argv.back() = "";
  for (std::size_t i = 0; i < runs; ++i) {
    auto run = run_command_once(empty, false);
    m.wall.push_back(run.wall_seconds);
    m.user.push_back(run.user_seconds);
    m.system.push_back(run.system_seconds);
  }
  return {stats::median(m.wall), stats::median(m.user), stats::median(m.system)};
}

// Rounds run every command once, alternating the order, so drift of a shared machine hits all of them alike
// and round i of two commands can be paired.
std::vector<Measurements> measure(const std::vector<Invocation>& invocations, const TimeitOptions& options,
                                  const ShellCost& shell) {
  for (const auto& invocation : invocations) {
    run_helper(options.setup, "--setup", options);
    for (std::size_t i = 0; i < options.warmup; ++i) {
      run_helper(options.prepare, "--prepare", options);
      run_checked(invocation, options);
    }
  }
  std::vector<Measurements> measurements(invocations.size());
  for (std::size_t round = 0; round < options.runs; ++round) {
    for (std::size_t k = 0; k < invocations.size(); ++k) {
      auto index = round % 2 == 0 ? k : invocations.size() - 1 - k;
      run_helper(options.prepare, "--prepare", options);
      auto run = run_checked(invocations[index], options);
      ShellCost cost = invocations[index].through_shell ? shell : ShellCost{};
      measurements[index].wall.push_back(std::max(run.wall_seconds - cost.wall, 0.0));
      measurements[index].user.push_back(std::max(run.user_seconds - cost.user, 0.0));
      measurements[index].system.push_back(std::max(run.system_seconds - cost.system, 0.0));
      measurements[index].exit_codes.push_back(run.exit_code);
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
  // Order statistics give the median's interval only discrete coverage (1 - 2 / 2^n at best): say which,
  // and give none from a single run.
  double coverage = stats::median_interval(t.samples, 0.95).confidence;
  auto interval = coverage > 0 ? fmt::format("median's {:.{}f} % CI {} - {}", 100 * std::min(coverage, 0.95),
                                             coverage >= 0.95 ? 0 : 1, format_seconds(*t.ci_low),
                                             format_seconds(*t.ci_high))
                               : std::string("no CI of the median from 1 run");
  out += fmt::format("  {}; user {}, system {} (medians per run)\n", interval,
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
  std::optional<Parameter> parameter;
  if (!options.scan.empty() && !options.list.empty())
    throw UserError("--parameter-scan", "and --parameter-list cannot be combined");
  if (!options.scan.empty()) parameter = parameter_scan(options.scan, options.step);
  if (!options.list.empty()) parameter = parameter_list(options.list);
  auto commands = expand_parameter(options.commands, parameter);
  auto mode = options.no_shell ? ShellMode::none : parse_shell_mode(options.shell);
  std::vector<Invocation> invocations;
  for (const auto& command : commands)
    invocations.push_back(invocation_for(command, mode));
  bool any_shell = std::any_of(invocations.begin(), invocations.end(),
                               [](const Invocation& invocation) { return invocation.through_shell; });
  auto process = timeit_process_start();
  ShellCost shell = any_shell ? measure_shell_cost(std::max<std::size_t>(options.runs, 20)) : ShellCost{};
  auto measurements = measure(invocations, options, shell);
  std::vector<CommandTiming> timings;
  for (std::size_t i = 0; i < commands.size(); ++i)
    timings.push_back(
        summarize_command(commands[i], measurements[i].wall, measurements[i].user, measurements[i].system));
  std::vector<Comparison> comparisons;
  for (std::size_t i = 1; i < timings.size(); ++i)
    comparisons.push_back(compare_commands(timings[i], timings[0]));
  auto json = timeit_snapshot_json(process, timings, comparisons);
  auto written = options.output.empty() ? publish_new_file(default_output_name(), json, true)
                                        : publish_new_file(options.output, json, false);
  std::vector<std::vector<int>> exit_codes;
  for (const auto& m : measurements)
    exit_codes.push_back(m.exit_codes);
  // Exports replace what was there, as hyperfine's do.
  if (!options.export_json.empty())
    write_output_file(options.export_json, true, export_json(timings, exit_codes));
  if (!options.export_csv.empty()) write_output_file(options.export_csv, true, export_csv(timings));
  if (!options.export_markdown.empty())
    write_output_file(options.export_markdown, true, export_markdown(timings));
  std::string out;
  if (any_shell)
    out +=
        fmt::format("shell start-up subtracted from commands run through /bin/sh: {} (median of sh -c '')\n",
                    format_seconds(shell.wall));
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
                  "Commands; every one after the first is compared with the first. Run directly (split at\n"
                  "blanks, found in PATH) unless they have shell syntax, then by /bin/sh -c (see --shell)")
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
  cmd->add_option("--shell", options->shell,
                  "auto (default): a shell only for commands with shell syntax; none: never; sh: always.\n"
                  "A shell's start-up is measured (sh -c '') and subtracted from the runs that use it");
  cmd->add_flag("-N,--no-shell", options->no_shell, "Same as --shell=none (as hyperfine -N)");
  cmd->add_option("--prepare", options->prepare,
                  "Shell command run before every run of every command, untimed");
  cmd->add_option("--setup", options->setup, "Shell command run once before each command's runs, untimed");
  cmd->add_option("--parameter-scan", options->scan,
                  "NAME MIN MAX: one command per integer from MIN to MAX, {NAME} replaced in the commands")
      ->expected(3);
  cmd->add_option("--parameter-step-size", options->step, "Step of --parameter-scan (default 1)");
  cmd->add_option("--parameter-list", options->list,
                  "NAME VALUES: one command per comma-separated value, {NAME} replaced in the commands")
      ->expected(2);
  cmd->add_option("--export-json", options->export_json, "Results also as hyperfine's JSON, in this file");
  cmd->add_option("--export-csv", options->export_csv, "Results also as CSV (one row per command)");
  cmd->add_option("--export-markdown", options->export_markdown, "Results also as a Markdown table");
  cmd->footer(
      "Runs interleave the commands (order alternating), so a slow moment of the machine hits all of them.\n"
      "Wall time is CLOCK_MONOTONIC around each run; user and system time come from wait4.\n"
      "Examples:\n"
      "  prof timeit 'sleep 0.1'                               statistics of one command\n"
      "  prof timeit --runs 20 'gzip -k -f big' 'zstd -f big'  zstd against gzip, with the ratio's CI\n"
      "  prof timeit --warmup 3 -o make.prof.json 'make -s'    results into a chosen file\n"
      "  prof timeit --parameter-list T 1,2,4 'xz -T{T} -k -f -c big'   one command per thread count\n"
      "  prof timeit --prepare 'sync' --export-markdown t.md 'cmd A' 'cmd B'\n"
      "  prof report --timers make.prof.json                   the results again, as a table\n");
  cmd->callback([options, &exit_code] {
    run_timeit(*options);
    exit_code = 0;
  });
}

}  // namespace prof::viewer
