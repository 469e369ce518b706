#include "commands.hpp"

namespace prof::viewer {

void add_run_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("run", "placeholder");
  cmd->callback([&exit_code] { exit_code = 0; });
}

}  // namespace prof::viewer
