#include "run/signal_forwarding.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>
#include <system_error>

namespace prof::viewer::run {

namespace {

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Signals the kernel raises in the thread that faults: forwarding them would hide prof's own crash. SIGKILL
// and SIGSTOP cannot be waited for; SIGCHLD is prof's own business (the program's state).
bool is_forwardable(int signal) {
  switch (signal) {
    case SIGKILL:
    case SIGSTOP:
    case SIGSEGV:
    case SIGBUS:
    case SIGFPE:
    case SIGILL:
    case SIGTRAP:
    case SIGSYS:
    case SIGCHLD:
      return false;
    default:
      // Between the standard signals and SIGRTMIN are the C library's own (thread cancellation, setxid).
      return signal < 32 || (signal >= SIGRTMIN && signal <= SIGRTMAX);
  }
}

bool is_ignored(int signal) {
  struct sigaction current {};
  sigaction(signal, nullptr, &current);
  return current.sa_handler == SIG_IGN;
}

// Whether `pid` is stopped now (state T in /proc/PID/stat; the name before it may hold any character).
bool is_stopped(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'T';
}

void forward(pid_t child, int signal, const siginfo_t& info) {
  // A realtime signal's value is part of what the sender meant: keep it.
  if (info.si_code == SI_QUEUE) {
    sigqueue(child, signal, info.si_value);
  } else {
    kill(child, signal);
  }
}

}  // namespace

SignalForwarding::SignalForwarding() {
  sigemptyset(&waited_);
  for (int signal = 1; signal <= SIGRTMAX; ++signal) {
    // A signal prof was started ignoring stays ignored: forwarding it would change what the program sees.
    if (is_forwardable(signal) && !is_ignored(signal)) sigaddset(&waited_, signal);
  }
  sigaddset(&waited_, SIGCHLD);
  // An inherited SIG_IGN for SIGCHLD would make the kernel reap the child and lose its exit status.
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  if (sigaction(SIGCHLD, &default_action, &original_sigchld_) != 0) throw_errno("sigaction");
  if (sigprocmask(SIG_BLOCK, &waited_, &original_mask_) != 0) throw_errno("sigprocmask");
}

SignalForwarding::~SignalForwarding() {
  release();
}

void SignalForwarding::restore_in_child() const noexcept {
  sigaction(SIGCHLD, &original_sigchld_, nullptr);
  sigprocmask(SIG_SETMASK, &original_mask_, nullptr);
}

void SignalForwarding::release() noexcept {
  if (released_) return;
  released_ = true;
  // A signal that came after the program ended is prof's own now: SIGTERM or SIGINT end it right here.
  restore_in_child();
}

void SignalForwarding::follow_stop(pid_t child, int signal) const {
  // The stop is stale when someone continued the program since.
  if (!is_stopped(child)) return;
  // The same signal, so the shell reports prof as the program would be (`kill -STOP`: 147, Ctrl-Z: 148);
  // SIGSTOP when prof was started ignoring it.
  if (signal != SIGSTOP && !sigismember(&waited_, signal)) signal = SIGSTOP;
  kill(getpid(), signal);  // SIGSTOP stops prof before kill returns
  if (signal != SIGSTOP) {
    // Blocked until now: unblocking delivers it, and prof stops there with the default action.
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signal);
    sigprocmask(SIG_UNBLOCK, &only, nullptr);
    sigprocmask(SIG_BLOCK, &only, nullptr);
  }
  // prof runs again: someone sent it SIGCONT, which is pending (blocked) and was meant for the program.
  sigset_t cont;
  sigemptyset(&cont);
  sigaddset(&cont, SIGCONT);
  const timespec now{};
  if (sigismember(&waited_, SIGCONT)) sigtimedwait(&cont, nullptr, &now);
  // A shell's `fg` continued the whole process group already; `kill -CONT PROF_PID` continued prof alone.
  if (is_stopped(child)) kill(child, SIGCONT);
}

int SignalForwarding::wait_for(pid_t child) {
  for (;;) {
    siginfo_t info{};
    const int signal = sigwaitinfo(&waited_, &info);
    if (signal < 0) {
      if (errno == EINTR) continue;
      throw_errno("sigwaitinfo");
    }
    if (signal == SIGCHLD) {
      // One SIGCHLD may stand for a stop and the end that followed: collect every change.
      for (;;) {
        int status = 0;
        const pid_t changed = waitpid(child, &status, WNOHANG | WUNTRACED);
        if (changed < 0 && errno == EINTR) continue;
        if (changed < 0) throw_errno("waitpid");
        if (changed == 0) break;
        if (!WIFSTOPPED(status)) {
          release();
          return status;
        }
        follow_stop(child, WSTOPSIG(status));
      }
      continue;
    }
    // SI_KERNEL: typed at the terminal (Ctrl-C, Ctrl-Z, a window resize), which signalled the whole
    // foreground process group, the program included. From the program itself: it signalled its process
    // group (kill 0), prof included, and has it already.
    if (info.si_code == SI_KERNEL || info.si_pid == child) continue;
    forward(child, signal, info);
  }
}

}  // namespace prof::viewer::run
