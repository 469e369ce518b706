#include "run/exit_status.hpp"

#include <sys/wait.h>

#include <cerrno>

namespace prof::viewer::run {

int exit_code_of_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;  // wait_for returns only for ended children; kept total for safety
}

int exit_code_of_exec_error(int error) {
  return error == ENOENT ? 127 : 126;
}

}  // namespace prof::viewer::run
