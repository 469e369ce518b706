#pragma once
// Each subcommand of `prof` registers itself on the CLI11 app; the callback it sets runs the command and
// stores its exit code in `exit_code`.
#include <CLI/CLI.hpp>

namespace prof::viewer {

void add_run_command(CLI::App& app, int& exit_code);
void add_report_command(CLI::App& app, int& exit_code);
void add_diff_command(CLI::App& app, int& exit_code);
void add_timeit_command(CLI::App& app, int& exit_code);
void add_flamegraph_command(CLI::App& app, int& exit_code);
void add_export_command(CLI::App& app, int& exit_code);

}  // namespace prof::viewer
