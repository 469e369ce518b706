#include "run/command_line.hpp"

#include "error.hpp"

namespace prof::viewer::run {

std::vector<std::string> program_command(const std::vector<std::string>& leftover) {
  const bool after_separator = !leftover.empty() && leftover.front() == "--";
  std::vector<std::string> command(leftover.begin() + (after_separator ? 1 : 0), leftover.end());
  if (command.empty()) {
    throw UserError("run",
                    "no program given (usage: prof run [-o DIR] [--no-follow] [--] PROGRAM [ARGS...])");
  }
  if (!after_separator && command.front().size() > 1 && command.front().starts_with('-')) {
    throw UserError(
        "run", "unknown option " + command.front() + " (put -- before a program whose name starts with -)");
  }
  return command;
}

}  // namespace prof::viewer::run
