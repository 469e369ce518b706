#pragma once
// One run of a command for `prof timeit`, measured as hyperfine does: wall time on CLOCK_MONOTONIC
// around fork..wait, user and system time from wait4's rusage (the command and every child it waited for).
#include <string>

#include "timeit_command/command_words.hpp"

namespace prof::viewer {

struct CommandRun {
  double wall_seconds = 0;
  double user_seconds = 0;
  double system_seconds = 0;
  int exit_code = 0;  // when it exited
  int signal = 0;     // when a signal ended it (exit_code is then 128 + signal)
  bool failed() const { return exit_code != 0 || signal != 0; }
};

// Runs the invocation (a program looked up in PATH, or the shell) with stdin from /dev/null and, unless
// `show_output`, stdout and stderr to /dev/null. Throws UserError when it cannot be started.
CommandRun run_command_once(const Invocation& invocation, bool show_output);

}  // namespace prof::viewer
