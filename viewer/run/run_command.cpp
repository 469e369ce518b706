#include <memory>

#include "commands.hpp"
#include "run/command_line.hpp"
#include "run/run_options.hpp"
#include "run/run_program.hpp"

namespace prof::viewer {

namespace {

constexpr const char* kRunFooter =
    R"(PROGRAM is looked up in PATH. Everything after it belongs to the program, options included;
put -- before a PROGRAM whose name starts with -.
Each process of the run (fork children and the programs they exec too, unless --no-follow) writes its own
snapshot into DIR. stdin, stdout, stderr and the terminal are the program's; SIGINT, SIGTERM, SIGHUP and
SIGQUIT sent to prof are passed on to it. prof exits with the program's exit code (128+N when signal N
killed it, 127 when there is no such program, 126 when it cannot be executed).

Examples:
  prof run ./solver input.dat         snapshots in prof.solver.PID/
  prof run -o out -- make -j4 check   every process of the build writes into out/
  prof run --no-follow ./driver.sh    only the script's own process writes
  prof report out                     read them
)";

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto* cmd =
      app.add_subcommand("run", "Run a program with the memory tracer preloaded and collect its snapshots");
  // CLI11 keeps references to these for the life of the app: they live with the callback that uses them.
  struct Parsed {
    run::RunOptions options;
    bool no_follow = false;
    std::string program_placeholder;
  };
  auto parsed = std::make_shared<Parsed>();
  cmd->add_option("-o,--output", parsed->options.output_dir,
                  "Directory for the snapshots (created if missing)")
      ->type_name("DIR");
  cmd->add_flag("--no-follow", parsed->no_follow,
                "Record only the launched process, not its children or the programs it execs");
  // PROGRAM is shown in the help but never filled: every word from PROGRAM on must reach the program
  // untouched, so the validator refuses it and prefix_command() hands it and the rest over as leftovers, `--`
  // included.
  cmd->add_option("PROGRAM", parsed->program_placeholder, "The program to run, then its arguments")
      ->type_name("[ARGS...]")
      ->check(CLI::Validator([](std::string&) { return std::string("belongs to the program"); }, "", ""));
  cmd->validate_positionals();
  cmd->prefix_command();
  cmd->footer(kRunFooter);
  cmd->callback([cmd, parsed, &exit_code] {
    parsed->options.follow = !parsed->no_follow;
    parsed->options.command = run::program_command(cmd->remaining());
    exit_code = run::run_program(parsed->options);
  });
}

}  // namespace prof::viewer
