#pragma once
#include <string>
#include <vector>

#include "run/run_options.hpp"

namespace prof::viewer::run {

// Runs the program under the preload shim, waits for it while forwarding signals, prints the summary line and
// returns the exit code prof run ends with (the program's, the shell's convention for signals and exec
// errors).
int run_program(const RunOptions& options);

// What prof run does after its program: symbolises the new snapshots, prints the summary line, returns the
// exit code. Called by run_program, or in a second start of prof with large pages (large_pages.hpp) when the
// snapshots are big: `prof __finish-run SHOWN_DIR WAIT_STATUS FILE...`, which main() hands here.
inline constexpr const char* kFinishRun = "__finish-run";
int finish_run(const std::vector<std::string>& files, const std::string& shown_dir, int wait_status);
int finish_run_command(int argc, char** argv);

}  // namespace prof::viewer::run
