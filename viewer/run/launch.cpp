#include "run/launch.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace prof::viewer::run {

namespace {

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Between vfork and exec: the child runs in prof's memory, on prof's stack, until its exec. It makes
// async-signal-safe calls only and allocates nothing; what it writes to prof's memory is errno and the root
// pid in the environment prepared for it (ChildEnvironment::set_root_pid), which prof no longer reads. prof's
// forwarded signals are blocked and have no handlers (SignalForwarding), so none can run in the child.
[[noreturn]] void exec_in_child(char* const* argv, ChildEnvironment& environment,
                                const SignalForwarding& signals, int report_fd) {
  signals.restore_in_child();
  environment.set_root_pid(::getpid());
  ::execvpe(argv[0], argv, environment.envp());
  const int error = errno;
  ssize_t ignored = ::write(report_fd, &error, sizeof error);
  (void)ignored;
  ::_exit(127);
}

// Reads the child's exec errno; end of file means the exec succeeded and closed the pipe.
int read_exec_error(int fd) {
  int error = 0;
  ssize_t got = 0;
  do {
    got = ::read(fd, &error, sizeof error);
  } while (got < 0 && errno == EINTR);
  return got == static_cast<ssize_t>(sizeof error) ? error : 0;
}

}  // namespace

Launch launch_program(const std::vector<std::string>& command, ChildEnvironment& environment,
                      const SignalForwarding& signals) {
  std::vector<char*> argv;
  for (const std::string& word : command)
    argv.push_back(const_cast<char*>(word.c_str()));
  argv.push_back(nullptr);

  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) throw_errno("pipe2");
  Launch launch;
  launch.pid = ::vfork();
  if (launch.pid < 0) {
    const int error = errno;
    ::close(report[0]);
    ::close(report[1]);
    throw std::system_error(error, std::generic_category(), "fork");
  }
  if (launch.pid == 0) exec_in_child(argv.data(), environment, signals, report[1]);
  ::close(report[1]);
  launch.exec_error = read_exec_error(report[0]);
  ::close(report[0]);
  if (launch.exec_error != 0) {
    while (::waitpid(launch.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  return launch;
}

}  // namespace prof::viewer::run
