// prof: the launcher and viewer of libprof.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include <CLI/CLI.hpp>
#include <prof/version.hpp>

#include "cli_errors.hpp"
#include "commands.hpp"
#include "error.hpp"
#include "large_pages.hpp"
#include "run/run_program.hpp"

namespace {

using AddCommand = void (*)(CLI::App&, int&);
struct Command {
  const char* name;
  AddCommand add;
};
constexpr Command kCommands[] = {
    {"run", prof::viewer::add_run_command},
    {"report", prof::viewer::add_report_command},
    {"diff", prof::viewer::add_diff_command},
    {"timeit", prof::viewer::add_timeit_command},
    {"flamegraph", prof::viewer::add_flamegraph_command},
    {"export", prof::viewer::add_export_command},
};

// The command named first is the only one set up: building every command's options cost `prof run` a few
// hundred microseconds before the program starts. prof's own options, a misspelt command or none at all get
// them all, for the list in the help and the error.
void add_commands(CLI::App& app, int& exit_code, int argc, char** argv) {
  for (const Command& command : kCommands)
    if (argc >= 2 && std::strcmp(argv[1], command.name) == 0) return command.add(app, exit_code);
  for (const Command& command : kCommands)
    command.add(app, exit_code);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace prof::viewer;
  use_large_pages(argc, argv);
  if (argc >= 2 && std::strcmp(argv[1], run::kFinishRun) == 0) return run::finish_run_command(argc, argv);
  CLI::App app{"prof: profile C++ and HPC programs and read their snapshots", "prof"};
  app.set_version_flag("--version", "prof (libprof) " PROF_VERSION_STRING);
  app.require_subcommand(1);
  int exit_code = 0;
  add_commands(app, exit_code, argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    print_error_line(describe_parse_error(e, argc > 1 ? argv[1] : ""));
    return kExitUserError;
  } catch (const UserError& e) {
    print_error_line(e.where() + ": " + e.what());
    return kExitUserError;
  } catch (const std::bad_alloc&) {
    print_error_line("out of memory");
    return kExitUserError;
  } catch (const std::exception& e) {
    print_error_line(e.what());
    return kExitUserError;
  }
  return exit_code;
}
