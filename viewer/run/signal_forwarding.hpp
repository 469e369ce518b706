#pragma once
#include <signal.h>
#include <sys/types.h>

namespace prof::viewer::run {

// Passes SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to prof on to the program, so `kill PROF_PID` or a batch
// scheduler's SIGTERM reaches it. Construct before fork: the signals (and SIGCHLD) are blocked from then on
// and collected synchronously with sigwaitinfo, so no handler runs and nothing races the fork.
class SignalForwarding {
 public:
  SignalForwarding();
  SignalForwarding(const SignalForwarding&) = delete;
  SignalForwarding& operator=(const SignalForwarding&) = delete;

  // In the child before exec (async-signal-safe): gives back the mask and dispositions prof started with, so
  // the program sees what it would have seen without prof (e.g. SIGHUP still ignored under nohup).
  void restore_in_child() const noexcept;

  // Forwards signals until `child` ends; returns its wait status.
  int wait_for(pid_t child) const;

 private:
  sigset_t original_mask_;
  struct sigaction original_sigchld_;
  sigset_t waited_;  // the forwarded signals and SIGCHLD
};

}  // namespace prof::viewer::run
