#include "commands.hpp"

namespace prof::viewer {

void add_report_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("report", "placeholder");
  cmd->callback([&exit_code] { exit_code = 0; });
}

}  // namespace prof::viewer
