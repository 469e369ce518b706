#include "timeit_command/runner.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <vector>

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

CommandRun run_command_once(const Invocation& invocation, bool show_output) {
  SpawnActions actions(show_output);
  std::vector<std::string> words = invocation.argv;
  std::vector<char*> argv;
  for (auto& word : words)
    argv.push_back(word.data());
  argv.push_back(nullptr);
  const std::string where = invocation.through_shell ? "/bin/sh" : fmt::format("'{}'", invocation.command);
  pid_t pid = 0;
  double start = now_seconds();
  if (int error = posix_spawnp(&pid, argv[0], actions.get(), nullptr, argv.data(), environ); error != 0)
    throw UserError(where, fmt::format("cannot start {}: {}", words[0], std::strerror(error)));
  int status = 0;
  rusage usage{};
  pid_t waited = 0;
  do {
    waited = wait4(pid, &status, 0, &usage);
  } while (waited < 0 && errno == EINTR);
  double end = now_seconds();
  if (waited < 0)
    throw UserError(where, fmt::format("cannot wait for {}: {}", words[0], std::strerror(errno)));
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
