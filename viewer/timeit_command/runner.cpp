#include "timeit_command/runner.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

#include "error.hpp"

extern char** environ;

namespace prof::viewer {

namespace {

double now_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double to_seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
}

// posix_spawn's file actions redirect the child's streams without a hand-written fork/exec.
class SpawnActions {
 public:
  explicit SpawnActions(bool show_output) {
    posix_spawn_file_actions_init(&actions_);
    posix_spawn_file_actions_addopen(&actions_, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (!show_output) {
      posix_spawn_file_actions_addopen(&actions_, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
      posix_spawn_file_actions_addopen(&actions_, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    }
  }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  const posix_spawn_file_actions_t* get() const { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

}  // namespace

CommandRun run_command_once(const std::string& command, bool show_output) {
  SpawnActions actions(show_output);
  std::string shell = "/bin/sh", dash_c = "-c", text = command;
  char* argv[] = {shell.data(), dash_c.data(), text.data(), nullptr};
  pid_t pid = 0;
  double start = now_seconds();
  if (int error = posix_spawn(&pid, "/bin/sh", actions.get(), nullptr, argv, environ); error != 0)
    throw UserError("/bin/sh", fmt::format("cannot start the shell: {}", std::strerror(error)));
  int status = 0;
  rusage usage{};
  pid_t waited = 0;
  do {
    waited = wait4(pid, &status, 0, &usage);
  } while (waited < 0 && errno == EINTR);
  double end = now_seconds();
  if (waited < 0)
    throw UserError("/bin/sh", fmt::format("cannot wait for the shell: {}", std::strerror(errno)));
  CommandRun run;
  run.wall_seconds = end - start;
  run.user_seconds = to_seconds(usage.ru_utime);
  run.system_seconds = to_seconds(usage.ru_stime);
  if (WIFEXITED(status)) {
    run.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    run.signal = WTERMSIG(status);
    run.exit_code = 128 + run.signal;
  }
  return run;
}

}  // namespace prof::viewer
