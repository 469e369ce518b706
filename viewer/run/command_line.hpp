#pragma once
#include <string>
#include <vector>

namespace prof::viewer::run {

// Turns the arguments CLI11 left over after `prof run [OPTIONS]` into PROGRAM ARGS...: drops the `--` that
// separated them from prof's options, and refuses an unknown prof option given before PROGRAM (a typo there
// would otherwise be run as a program called `--typo`). Throws UserError when no program is left.
std::vector<std::string> program_command(const std::vector<std::string>& leftover);

}  // namespace prof::viewer::run
