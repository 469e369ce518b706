#pragma once

namespace prof::viewer::run {

// The exit code a shell would give for a wait status: the program's own code, or 128+N when signal N killed
// it.
int exit_code_of_wait_status(int status);

// The shell's code for a program that could not be executed: 127 when it does not exist, else 126.
int exit_code_of_exec_error(int error);

}  // namespace prof::viewer::run
