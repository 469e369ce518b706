#include "test_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

extern char** environ;

namespace prof::test {

namespace {

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

std::vector<std::string> child_environment(const ProcessOptions& options) {
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const std::string name = text.substr(0, text.find('='));
    if (!options.env.contains(name)) entries.push_back(text);
  }
  for (const auto& [name, value] : options.env) {
    if (value) entries.push_back(name + "=" + *value);
  }
  return entries;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

Process::Process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  std::vector<std::string> env = child_environment(options);
  std::vector<char*> env_pointers;
  for (std::string& entry : env)
    env_pointers.push_back(entry.data());
  env_pointers.push_back(nullptr);
  std::vector<char*> arg_pointers;
  for (const std::string& word : argv)
    arg_pointers.push_back(const_cast<char*>(word.c_str()));
  arg_pointers.push_back(nullptr);
  const std::string cwd = options.cwd ? options.cwd->string() : std::string();

  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    throw_errno("pipe2");
  }
  pid_ = ::fork();
  if (pid_ < 0) throw_errno("fork");
  if (pid_ == 0) {
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    for (int signal = 1; signal < NSIG; ++signal) {
      if (signal != SIGKILL && signal != SIGSTOP) ::signal(signal, SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(121);
    ::execvpe(arg_pointers[0], arg_pointers.data(), env_pointers.data());
    ::_exit(122);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  stdin_fd_ = in[1];
  stdout_fd_ = out[0];
  stderr_fd_ = err[0];
}

Process::~Process() {
  close_fd(stdin_fd_);
  close_fd(stdout_fd_);
  close_fd(stderr_fd_);
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void Process::write_stdin(std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = ::write(stdin_fd_, data.data(), data.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) throw_errno("write");
    data.remove_prefix(static_cast<size_t>(written));
  }
}

void Process::close_stdin() {
  close_fd(stdin_fd_);
}

bool Process::pump() {
  pollfd fds[2] = {{stdout_fd_, POLLIN, 0}, {stderr_fd_, POLLIN, 0}};
  if (stdout_fd_ < 0 && stderr_fd_ < 0) return false;
  if (::poll(fds, 2, -1) < 0) {
    if (errno == EINTR) return true;
    throw_errno("poll");
  }
  int* owners[2] = {&stdout_fd_, &stderr_fd_};
  std::string* sinks[2] = {&result_.out, &result_.err};
  for (int i = 0; i < 2; ++i) {
    if (fds[i].fd < 0 || fds[i].revents == 0) continue;
    char buffer[4096];
    const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
    if (got > 0) sinks[i]->append(buffer, static_cast<size_t>(got));
    if (got == 0 || (got < 0 && errno != EINTR)) close_fd(*owners[i]);
  }
  return stdout_fd_ >= 0 || stderr_fd_ >= 0;
}

std::string Process::read_stdout_until(std::string_view marker) {
  while (result_.out.find(marker) == std::string::npos && stdout_fd_ >= 0)
    pump();
  return result_.out;
}

ProcessResult Process::finish() {
  close_stdin();
  while (pump()) {
  }
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) throw_errno("waitpid");
  }
  pid_ = -1;
  result_.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result_;
}

ProcessResult run_process(const std::vector<std::string>& argv, std::string_view input,
                          const ProcessOptions& options) {
  Process process(argv, options);
  process.write_stdin(input);
  return process.finish();
}

}  // namespace prof::test
