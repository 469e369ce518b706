// prof: the launcher and viewer of libprof.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <prof/version.hpp>

#include "commands.hpp"
#include "error.hpp"

int main(int argc, char** argv) {
  using namespace prof::viewer;
  CLI::App app{"prof: profile C++ and HPC programs and read their snapshots"};
  app.set_version_flag("--version", "prof (libprof) " PROF_VERSION_STRING);
  app.require_subcommand(1);
  int exit_code = 0;
  add_run_command(app, exit_code);
  add_report_command(app, exit_code);
  add_diff_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "prof: error: %s\n", e.what());
    return kExitUserError;
  } catch (const UserError& e) {
    std::fprintf(stderr, "prof: error: %s: %s\n", e.where().c_str(), e.what());
    return kExitUserError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "prof: error: %s\n", e.what());
    return kExitUserError;
  }
  return exit_code;
}
