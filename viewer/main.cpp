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

int main(int argc, char** argv) {
  using namespace prof::viewer;
  use_large_pages(argc, argv);
  CLI::App app{"prof: profile C++ and HPC programs and read their snapshots", "prof"};
  app.set_version_flag("--version", "prof (libprof) " PROF_VERSION_STRING);
  app.require_subcommand(1);
  int exit_code = 0;
  add_run_command(app, exit_code);
  add_report_command(app, exit_code);
  add_diff_command(app, exit_code);
  add_timeit_command(app, exit_code);
  add_flamegraph_command(app, exit_code);
  add_export_command(app, exit_code);
  try {
    if (argc >= 2 && std::strcmp(argv[1], run::kFinishRun) == 0) return run::finish_run_command(argc, argv);
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
