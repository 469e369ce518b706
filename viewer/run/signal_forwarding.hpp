#pragma once
#include <signal.h>
#include <sys/types.h>

namespace prof::viewer::run {

// Makes prof behave like the program it launched, as if a shell had exec'd it: every signal a user can send
// to prof (SIGINT, SIGTERM, SIGUSR1, SIGWINCH, SIGCONT, realtime signals...) is passed on to the program, and
// prof stops when the program stops (job control: Ctrl-Z, `kill -STOP`) and continues it when continued.
// Not forwarded: SIGKILL and SIGSTOP (they cannot be caught), the synchronous signals (SIGSEGV, SIGBUS,
// SIGFPE, SIGILL, SIGTRAP, SIGSYS: prof's own faults must end prof) and signals prof was started ignoring.
// Construct before fork: the signals (and SIGCHLD) are blocked from then on and collected synchronously with
// sigwaitinfo, so no handler runs and nothing races the fork.
class SignalForwarding {
 public:
  SignalForwarding();
  ~SignalForwarding();
  SignalForwarding(const SignalForwarding&) = delete;
  SignalForwarding& operator=(const SignalForwarding&) = delete;

  // In the child before exec (async-signal-safe): gives back the mask and dispositions prof started with, so
  // the program sees what it would have seen without prof (e.g. SIGHUP still ignored under nohup).
  void restore_in_child() const noexcept;

  // Forwards signals until `child` ends; returns its wait status. Then gives prof back the mask and
  // dispositions it started with (release()), so that what prof does next (symbolising) ends on SIGTERM or
  // SIGINT like any program.
  int wait_for(pid_t child);

  // Stops collecting signals: the original mask and dispositions again. Idempotent.
  void release() noexcept;

 private:
  // The program stopped with `signal`: stop prof the same way, and continue the program once prof is.
  void follow_stop(pid_t child, int signal) const;

  sigset_t original_mask_;
  struct sigaction original_sigchld_;
  sigset_t waited_;  // the forwarded signals and SIGCHLD
  bool released_ = false;
};

}  // namespace prof::viewer::run
