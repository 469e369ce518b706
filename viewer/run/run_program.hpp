#pragma once
#include "run/run_options.hpp"

namespace prof::viewer::run {

// Runs the program under the preload shim, waits for it while forwarding signals, prints the summary line and
// returns the exit code prof run ends with (the program's, the shell's convention for signals and exec
// errors).
int run_program(const RunOptions& options);

}  // namespace prof::viewer::run
