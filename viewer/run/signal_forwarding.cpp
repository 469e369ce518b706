#include "run/signal_forwarding.hpp"

#include <sys/wait.h>

#include <cerrno>
#include <system_error>

namespace prof::viewer::run {

namespace {

constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

SignalForwarding::SignalForwarding() {
  sigemptyset(&waited_);
  for (int signal : kForwarded) {
    struct sigaction current {};
    sigaction(signal, nullptr, &current);
    // A signal prof was started ignoring stays ignored: forwarding it would change what the program sees.
    if (current.sa_handler != SIG_IGN) sigaddset(&waited_, signal);
  }
  sigaddset(&waited_, SIGCHLD);
  // An inherited SIG_IGN for SIGCHLD would make the kernel reap the child and lose its exit status.
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  if (sigaction(SIGCHLD, &default_action, &original_sigchld_) != 0) throw_errno("sigaction");
  if (sigprocmask(SIG_BLOCK, &waited_, &original_mask_) != 0) throw_errno("sigprocmask");
}

void SignalForwarding::restore_in_child() const noexcept {
  sigaction(SIGCHLD, &original_sigchld_, nullptr);
  sigprocmask(SIG_SETMASK, &original_mask_, nullptr);
}

int SignalForwarding::wait_for(pid_t child) const {
  for (;;) {
    siginfo_t info{};
    const int signal = sigwaitinfo(&waited_, &info);
    if (signal < 0) {
      if (errno == EINTR) continue;
      throw_errno("sigwaitinfo");
    }
    if (signal == SIGCHLD) {
      int status = 0;
      const pid_t ended = waitpid(child, &status, WNOHANG);
      if (ended == child) return status;
      if (ended < 0 && errno != EINTR) throw_errno("waitpid");
      continue;  // stopped or continued, not ended
    }
    // SI_KERNEL: typed at the terminal, which signalled the whole foreground process group, the program
    // included. From the program itself: it signalled its process group (kill 0), prof included, and has it
    // already.
    if (info.si_code == SI_KERNEL || info.si_pid == child) continue;
    kill(child, signal);
  }
}

}  // namespace prof::viewer::run
