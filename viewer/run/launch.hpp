#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

#include "run/child_environment.hpp"
#include "run/signal_forwarding.hpp"

namespace prof::viewer::run {

struct Launch {
  pid_t pid = -1;
  int exec_error = 0;  // errno of a failed exec (the child is reaped already); 0 when the program runs
};

// Forks and execs `command` (PATH lookup like execvp) with `environment`. The child stays in prof's process
// group and session and inherits its file descriptors, so the terminal behaves as without prof. A failed exec
// is reported back through a close-on-exec pipe, so prof, not a shell, tells the user.
Launch launch_program(const std::vector<std::string>& command, ChildEnvironment& environment,
                      const SignalForwarding& signals);

}  // namespace prof::viewer::run
